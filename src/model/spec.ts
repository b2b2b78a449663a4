/**
 * Architecture and training settings of one tiny GPT: what an engine builds and trains. The preset
 * architectures live in `models/*.json` (see architectures.ts, which also holds the AdamW and
 * initialisation constants); the batch size and learning rate come from the run's config.
 */
export interface ModelSpec {
  /** The model family: a GPT (presets leave it out). */
  kind?: 'gpt';
  /** Preset name this spec came from (informational). */
  name: string;
  /** Vocabulary size V (set from the tokenizer by the simulation). */
  vocabSize: number;
  /** Context length T: positions the model sees. */
  contextLength: number;
  /** Transformer blocks L. */
  layers: number;
  /** Embedding width D. */
  dModel: number;
  /** Attention heads H (D must divide by H). */
  heads: number;
  /** MLP hidden width F (usually 4·D). */
  dFF: number;
  /** Training batch size B (sequences per step). */
  batchSize: number;
  /** Share the token embedding with the output head. */
  tieEmbeddings: boolean;
  /** AdamW β1, β2, ε (graph constants). */
  beta1: number;
  beta2: number;
  eps: number;
  /** Runtime values: learning rate (a train step may override it), decoupled weight decay, global-norm clip (0 = off). */
  learningRate: number;
  weightDecay: number;
  gradClip: number;
  /** Std of the normal initialisation of weight matrices and embeddings. */
  initStd: number;
}

/**
 * A count n-gram model (engine/ngram.ts): p(w | h) = (c(h, w) + k) / (c(h) + k·V) over the last
 * order − 1 tokens h, backing off to shorter histories. It has no weights to initialise or optimise.
 */
export interface NgramSpec {
  kind: 'ngram';
  /** Informational, e.g. `ngram-3`. */
  name: string;
  vocabSize: number;
  /** Positions a training window holds (histories never cross a window's start). */
  contextLength: number;
  /** Training windows per step. */
  batchSize: number;
  /** 1 = unigram, 2 = bigram, 3 = trigram. */
  order: number;
  /** Add-k pseudo-count k ≥ 0; 0 gives maximum-likelihood estimates (unseen tokens: log p = −∞). */
  addK: number;
}

/** What an engine runs: a tiny GPT or a count n-gram model, told apart by `kind`. */
export type EngineSpec = ModelSpec | NgramSpec;

/** An n-gram spec; by default a trigram with k = 0.05 over windows of 64 tokens, 16 a step. */
export function ngramSpec(
  vocabSize: number,
  { order = 3, addK = 0.05, contextLength = 64, batchSize = 16 } = {},
): NgramSpec {
  return { kind: 'ngram', name: `ngram-${order}`, vocabSize, contextLength, batchSize, order, addK };
}

export interface ParamInfo {
  name: string;
  /** Shape of the parameter tensor. */
  shape: number[];
  /** How it starts: N(0, std²), ones or zeros. */
  init: { kind: 'normal'; std: number } | { kind: 'ones' } | { kind: 'zeros' };
  /** AdamW weight decay applies to matrices (rank ≥ 2), not to gains and biases. */
  decay: boolean;
}

/** Elements in a tensor of `shape` (1 for a scalar). */
export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Bytes one row's key/value cache takes in decoding: keys and values of every layer over a window, fp32 (none for a count model). */
export const cacheBytesPerRow = (spec: EngineSpec): number =>
  spec.kind === 'ngram' ? 0 : 2 * spec.layers * spec.contextLength * spec.dModel * 4;

/** Every parameter of the model, in a fixed order (the order of graph inputs and checkpoints). */
export function paramList(s: ModelSpec): ParamInfo[] {
  const { vocabSize: V, contextLength: T, dModel: D, dFF: F, layers: L } = s;
  const out: ParamInfo[] = [];
  const normal = (name: string, shape: number[], std = s.initStd) =>
    out.push({ name, shape, init: { kind: 'normal', std }, decay: true });
  const ones = (name: string, shape: number[]) =>
    out.push({ name, shape, init: { kind: 'ones' }, decay: false });
  const zeros = (name: string, shape: number[]) =>
    out.push({ name, shape, init: { kind: 'zeros' }, decay: false });
  normal('tok_emb', [V, D]);
  normal('pos_emb', [T, D]);
  // GPT-2 scales the residual projections by 1/sqrt(2L) so the residual stream's variance stays put.
  const resid = s.initStd / Math.sqrt(2 * L);
  for (let l = 0; l < L; l++) {
    const p = `h${l}.`;
    ones(p + 'ln1_g', [D]);
    zeros(p + 'ln1_b', [D]);
    normal(p + 'w_qkv', [D, 3 * D]);
    zeros(p + 'b_qkv', [3 * D]);
    normal(p + 'w_o', [D, D], resid);
    zeros(p + 'b_o', [D]);
    ones(p + 'ln2_g', [D]);
    zeros(p + 'ln2_b', [D]);
    normal(p + 'w_fc', [D, F]);
    zeros(p + 'b_fc', [F]);
    normal(p + 'w_proj', [F, D], resid);
    zeros(p + 'b_proj', [D]);
  }
  ones('lnf_g', [D]);
  zeros('lnf_b', [D]);
  if (!s.tieEmbeddings) normal('w_head', [D, V]);
  return out;
}

export const parameterCount = (s: ModelSpec): number => paramList(s).reduce((n, p) => n + numel(p.shape), 0);

/** Where each parameter sits in the flat vector the train, eval and sample graphs take (paramList order). */
export interface FlatLayout {
  entries: (ParamInfo & { offset: number; size: number })[];
  total: number;
}

export function flatLayout(s: ModelSpec): FlatLayout {
  let offset = 0;
  const entries = paramList(s).map((p) => {
    const size = numel(p.shape);
    const e = { ...p, offset, size };
    offset += size;
    return e;
  });
  return { entries, total: offset };
}

/** Throws a clear error when a spec cannot build a model. */
export function validateSpec(s: ModelSpec): void {
  const int = (k: keyof ModelSpec, min: number, max: number) => {
    const v = s[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      throw new RangeError(
        `model spec: ${String(k)} must be an integer in [${min}, ${max}], got ${String(v)}`,
      );
  };
  int('vocabSize', 2, 1 << 20);
  int('contextLength', 2, 4096);
  int('layers', 1, 64);
  int('dModel', 2, 8192);
  int('heads', 1, 256);
  int('dFF', 1, 32768);
  int('batchSize', 1, 65536);
  if (s.dModel % s.heads !== 0)
    throw new RangeError(`model spec: dModel (${s.dModel}) must be divisible by heads (${s.heads})`);
  for (const k of ['beta1', 'beta2'] as const)
    if (!(s[k] >= 0 && s[k] < 1)) throw new RangeError(`model spec: ${k} must be in [0, 1), got ${s[k]}`);
  for (const k of ['eps', 'learningRate', 'weightDecay', 'gradClip', 'initStd'] as const)
    if (!(Number.isFinite(s[k]) && s[k] >= 0))
      throw new RangeError(`model spec: ${k} must be a finite number ≥ 0, got ${s[k]}`);
}
