// The graphs an engine runs: train step, evaluate, the sampling window pass, the decode step and
// cache compaction. Each is built for a fixed batch size B and the spec's context length T.
import type { FloatDType } from './dtype.ts';
import { GraphBuilder, type Tensor } from './graph.ts';
import { adamwUpdate } from './adamw.ts';
import { declareFlatParams, declareParams, head, stepTrunk, trunk, type Params } from './gpt.ts';
import { targetScores, truncatedCrossEntropy } from './losses.ts';
import { oneHot, reshape } from './ops.ts';
import { cacheNames, FEED, gradName, OUTPUT } from './io-names.ts';
import { flatLayout, type ModelSpec } from './spec.ts';

export interface BuiltGraph {
  bytes: Uint8Array;
  nodeCount: number;
  opCounts: Record<string, number>;
}

const built = (g: GraphBuilder): BuiltGraph => ({
  bytes: g.toBytes(),
  nodeCount: g.nodes.length,
  opCounts: g.opCounts(),
});

function lossOf(g: GraphBuilder, spec: ModelSpec, B: number, P: Params) {
  const T = spec.contextLength;
  const ids = g.input(FEED.ids, [B, T], 'int32');
  const targets = g.input(FEED.targets, [B, T], 'int32');
  const gamma = g.input(FEED.gamma, []);
  const x = reshape(g, trunk(g, spec, P, ids), [B * T, spec.dModel]);
  const logits = head(g, spec, P, x); // [B·T, V]
  return truncatedCrossEntropy(g, logits, reshape(g, targets, [B * T]), gamma);
}

/**
 * Train step: inputs ids, targets [B, T] int32 (−1 ignored), gamma (TCE threshold; ≥ 1 is plain CE),
 * lr, weightDecay, clip, biasCorrection1, biasCorrection2, the flat parameters `params` [N]
 * (flatLayout order) and their AdamW moments m, v [N].
 * Outputs stats [2] = (loss, gradNorm) and new.params, new.m, new.v.
 */
export function buildTrainGraph(spec: ModelSpec, B: number): BuiltGraph {
  const g = new GraphBuilder('float32');
  const { P, flat } = declareFlatParams(g, spec);
  const loss = lossOf(g, spec, B, P);
  const scalar = (name: string) => g.input(name, []);
  const inputs = {
    lr: scalar(FEED.lr),
    weightDecay: scalar(FEED.weightDecay),
    clip: scalar(FEED.clip),
    biasCorrection1: scalar(FEED.biasCorrection1),
    biasCorrection2: scalar(FEED.biasCorrection2),
  };
  const grad = g.backward(loss, [flat]).get(flat.name)!;
  const norm = adamwUpdate(g, flatLayout(spec), flat, grad, inputs, spec);
  const one = (t: Tensor) => reshape(g, t, [1]);
  g.output(g.op('Concat', [one(loss), one(norm)], [2], { attrs: { axis: 0 } }), OUTPUT.stats);
  return built(g);
}

/** Loss and gradients only (tests, gradient checks): outputs loss and grad.p for every param. */
export function buildGradGraph(spec: ModelSpec, B: number, float: FloatDType = 'float32'): BuiltGraph {
  const g = new GraphBuilder(float);
  const P = declareParams(g, spec);
  const loss = lossOf(g, spec, B, P);
  const grads = g.backward(loss, Object.values(P));
  g.output(loss, OUTPUT.loss);
  for (const [name, grad] of grads) g.output(grad, gradName(name));
  return built(g);
}

/** Evaluate: ids, targets [B, T] → logProb [B, T] of each target (0 where ignored), entropy [B, T] in nats. */
export function buildEvalGraph(spec: ModelSpec, B: number): BuiltGraph {
  const g = new GraphBuilder('float32');
  const T = spec.contextLength;
  const V = spec.vocabSize;
  const ids = g.input(FEED.ids, [B, T], 'int32');
  const targets = g.input(FEED.targets, [B, T], 'int32');
  const { P } = declareFlatParams(g, spec);
  const logits = head(g, spec, P, reshape(g, trunk(g, spec, P, ids), [B * T, spec.dModel]));
  const N = B * T;
  const s = targetScores(g, logits, reshape(g, targets, [N]));
  const zero = g.scalar(0);
  const targetLogp = g.op('Where', [s.isValid, s.targetLogp, zero], [N, 1]);
  // H = −Σ p·log p with log p = (logit − maxLogit) + logMaxP and Σ p = 1: H = maxLogit − Σ p·logit − logMaxP
  // (at least 0; rounding may leave −1e-7 for a one-hot distribution).
  const pDotLogit = g.reduce('ReduceSum', g.op('Mul', [s.p, logits], [N, V]), { axes: [-1] });
  const entropy = g.op(
    'Max',
    [g.op('Sub', [g.op('Sub', [s.maxLogit, pDotLogit], [N, 1]), s.logMaxP], [N, 1]), zero],
    [N, 1],
  );
  g.output(reshape(g, targetLogp, [B, T]), OUTPUT.logProb);
  g.output(reshape(g, entropy, [B, T]), OUTPUT.entropy);
  return built(g);
}

/**
 * The output head shared by the window and step graphs: logits [B, V] → outputs `logp` [B, V]
 * (untempered log-probabilities) and `probs` [B, V] = softmax(logits · invTemperature). The draw
 * itself (greedy, temperature, top-k, top-p, one uniform per row) runs on these in engine/draw.ts:
 * an inverse CDF over V values is a short loop in JavaScript, and far slower as TopK and CumSum
 * kernels.
 */
function outputHead(g: GraphBuilder, logits: Tensor): void {
  const [B, V] = logits.shape as [number, number];
  const invTemperature = g.input(FEED.invTemperature, []);
  const direct = (op: string, x: Tensor, name: string) =>
    g.markOutput(g.op(op, [x], [B, V], { attrs: { axis: -1 }, name }));
  direct('LogSoftmax', logits, OUTPUT.logp);
  direct('Softmax', g.op('Mul', [logits, invTemperature], [B, V]), OUTPUT.probs);
}

/**
 * Shape of one cache (model/io-names.ts cacheName) for B rows: [B, H, T, Dh]. `past.*` are step and
 * compaction inputs, `present.*` outputs (the window pass has only outputs); `fresh.*` [B, H, Dh]
 * are the new position's keys and values a CPU decode step returns.
 */
export const cacheShape = (spec: ModelSpec, B: number): number[] => [
  B,
  spec.heads,
  spec.contextLength,
  spec.dModel / spec.heads,
];

/**
 * Window pass (sampling and prefill): ids [B, T] (left-aligned windows, see model/window.ts), last
 * [B] int32 (index of each window's last token), invTemperature, params. Outputs the head of each
 * window's last position (see outputHead) and each layer's keys and values `present.k.l`,
 * `present.v.l` [B, H, T, Dh] (slots past `last` hold padding) for decode steps to continue from.
 */
export function buildSampleGraph(spec: ModelSpec, B: number): BuiltGraph {
  const g = new GraphBuilder('float32');
  const T = spec.contextLength;
  const ids = g.input(FEED.ids, [B, T], 'int32');
  const last = g.input(FEED.last, [B], 'int32');
  const { P } = declareFlatParams(g, spec);
  const kv: Tensor[] = [];
  const x = trunk(g, spec, P, ids, kv); // [B, T, D]
  const pick = reshape(g, oneHot(g, last, T), [B, 1, T]);
  const xLast = reshape(g, g.op('MatMul', [pick, x], [B, 1, spec.dModel]), [B, spec.dModel]);
  outputHead(g, head(g, spec, P, xLast));
  const names = cacheNames(spec, 'present');
  kv.forEach((t, i) => g.output(t, names[i]!));
  return built(g);
}

/**
 * Decode step: ids [B] int32 (each row's newest token), pos [B] int32 (its position in the row's
 * window, < T), past.k.l and past.v.l [B, H, T, Dh] (positions 0 … pos − 1 filled), invTemperature
 * and params. Outputs the head as the window pass does and either the caches with slot pos written
 * (`present.*`, `write` = 'graph': GPU-resident caches) or only the new keys and values
 * (`fresh.*` [B, H, Dh], `write` = 'caller': CPU caches the engine updates in place, which saves
 * copying every cache through the graph each step).
 */
export function buildStepGraph(spec: ModelSpec, B: number, write: 'graph' | 'caller'): BuiltGraph {
  const g = new GraphBuilder('float32');
  const ids = g.input(FEED.ids, [B], 'int32');
  const pos = g.input(FEED.pos, [B], 'int32');
  const past = cacheNames(spec, 'past').map((name) => g.input(name, cacheShape(spec, B)));
  const { P } = declareFlatParams(g, spec);
  const { x, fresh, present } = stepTrunk(
    g,
    spec,
    P,
    ids,
    pos,
    past,
    write === 'graph' ? cacheNames(spec, 'present') : undefined,
  );
  outputHead(g, head(g, spec, P, x));
  if (write === 'graph') for (const t of present) g.markOutput(t);
  else {
    const names = cacheNames(spec, 'fresh');
    fresh.forEach((t, i) => g.output(t, names[i]!));
  }
  return built(g);
}

/** Compaction: rows [Bout] int32 (indices into Bin) → every present.* [Bout, …] from past.* [Bin, …]. */
export function buildGatherGraph(spec: ModelSpec, Bin: number, Bout: number): BuiltGraph {
  const g = new GraphBuilder('float32');
  const rows = g.input(FEED.rows, [Bout], 'int32');
  const present = cacheNames(spec, 'present');
  cacheNames(spec, 'past').forEach((name, i) => {
    const cache = g.input(name, cacheShape(spec, Bin));
    g.markOutput(
      g.op('Gather', [cache, rows], cacheShape(spec, Bout), { attrs: { axis: 0 }, name: present[i]! }),
    );
  });
  return built(g);
}
