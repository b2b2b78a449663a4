// The names of the graphs' inputs and outputs (model/graphs.ts), declared once for the graph
// builders, the engines that feed and read them, and the tests.
import type { ModelSpec } from './spec.ts';

/** Graph inputs the engines feed. */
export const FEED = {
  /** Token ids, int32: [B, T] windows, or [B] newest tokens in a decode step. */
  ids: 'ids',
  /** Next-token targets [B, T], int32 (−1 ignored). */
  targets: 'targets',
  /** Truncated cross-entropy threshold (≥ 1: plain cross-entropy). */
  gamma: 'gamma',
  /** AdamW scalars. */
  lr: 'lr',
  weightDecay: 'weightDecay',
  clip: 'clip',
  biasCorrection1: 'biasCorrection1',
  biasCorrection2: 'biasCorrection2',
  /** The flat parameter vector [N] (flatLayout order) and its AdamW moments. */
  params: 'params',
  m: 'm',
  v: 'v',
  /** Index of each window's last token [B], int32. */
  last: 'last',
  /** Each row's position in its window [B], int32 (decode step). */
  pos: 'pos',
  /** 1 / temperature of the `probs` output. */
  invTemperature: 'invTemperature',
  /** Rows kept by a cache compaction [Bout], int32. */
  rows: 'rows',
} as const;

/** Graph outputs the engines read. */
export const OUTPUT = {
  /** (loss, gradient norm) of a train step. */
  stats: 'stats',
  /** The updated flat parameters and moments of a train step. */
  newParams: 'new.params',
  newM: 'new.m',
  newV: 'new.v',
  /** The loss of a gradient graph (its gradients: gradName). */
  loss: 'loss',
  /** Evaluation: log-probability of each target and entropy of each position [B, T]. */
  logProb: 'logProb',
  entropy: 'entropy',
  /** The output head [B, V]: untempered log-probabilities and tempered probabilities. */
  logp: 'logp',
  probs: 'probs',
} as const;

/** The gradient graph's output d loss / d `param`. */
export const gradName = (param: string): string => `grad.${param}`;

/**
 * A layer's key or value cache as a step or compaction input (`past`), an output (`present`), or
 * the new position's key or value a CPU decode step returns (`fresh`).
 */
export type CacheIO = 'past' | 'present' | 'fresh';

/** Name of layer l's key or value cache: `past.k.l`, `present.v.l`, `fresh.k.l`, … */
export const cacheName = (l: number, kv: 'k' | 'v', io: CacheIO): string => `${io}.${kv}.${l}`;

/** Every cache name of a spec, in graph order (layer by layer, keys then values). */
export const cacheNames = (spec: ModelSpec, io: CacheIO): string[] =>
  [...Array(spec.layers).keys()].flatMap((l) => [cacheName(l, 'k', io), cacheName(l, 'v', io)]);
