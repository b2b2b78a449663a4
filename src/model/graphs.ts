// The three graphs an engine runs: train step, evaluate, sample. Each is built for a fixed batch
// size B and the spec's context length T.
import { GraphBuilder, type Tensor } from './graph.ts';
import { adamwUpdate } from './adamw.ts';
import { declareFlatParams, declareParams, head, trunk, type Params } from './gpt.ts';
import { logSoftmax, targetScores, truncatedCrossEntropy } from './losses.ts';
import { oneHot, reshape } from './ops.ts';
import { attr } from './onnx-encode.ts';
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
  const ids = g.input('ids', [B, T], 'int32');
  const targets = g.input('targets', [B, T], 'int32');
  const gamma = g.input('gamma', []);
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
    lr: scalar('lr'),
    weightDecay: scalar('weightDecay'),
    clip: scalar('clip'),
    biasCorrection1: scalar('biasCorrection1'),
    biasCorrection2: scalar('biasCorrection2'),
  };
  const grad = g.backward(loss, [flat]).get(flat.name)!;
  const norm = adamwUpdate(g, flatLayout(spec), flat, grad, inputs, spec);
  const one = (t: Tensor) => reshape(g, t, [1]);
  g.output(g.op('Concat', [one(loss), one(norm)], [2], { axis: attr.int(0) }), 'stats');
  return built(g);
}

/** Loss and gradients only (tests, gradient checks): outputs loss and grad.p for every param. */
export function buildGradGraph(
  spec: ModelSpec,
  B: number,
  float: 'float32' | 'float64' = 'float32',
): BuiltGraph {
  const g = new GraphBuilder(float);
  const P = declareParams(g, spec);
  const loss = lossOf(g, spec, B, P);
  const grads = g.backward(loss, Object.values(P));
  g.output(loss, 'loss');
  for (const [name, grad] of grads) g.output(grad, `grad.${name}`);
  return built(g);
}

/** Evaluate: ids, targets [B, T] → logProb [B, T] of each target (0 where ignored), entropy [B, T] in nats. */
export function buildEvalGraph(spec: ModelSpec, B: number): BuiltGraph {
  const g = new GraphBuilder('float32');
  const T = spec.contextLength;
  const V = spec.vocabSize;
  const ids = g.input('ids', [B, T], 'int32');
  const targets = g.input('targets', [B, T], 'int32');
  const { P } = declareFlatParams(g, spec);
  const logits = head(g, spec, P, reshape(g, trunk(g, spec, P, ids), [B * T, spec.dModel]));
  const N = B * T;
  const s = targetScores(g, logits, reshape(g, targets, [N]));
  const zero = g.scalar(0);
  const targetLogp = g.op('Where', [s.isValid, s.targetLogp, zero], [N, 1]);
  // H = −Σ p·log p with log p = (logit − maxLogit) + logMaxP and Σ p = 1: H = maxLogit − Σ p·logit − logMaxP
  // (at least 0; rounding may leave −1e-7 for a one-hot distribution).
  const pDotLogit = g.op('ReduceSum', [g.op('Mul', [s.p, logits], [N, V]), g.ints([-1])], [N, 1], {
    keepdims: attr.int(1),
  });
  const entropy = g.op(
    'Max',
    [g.op('Sub', [g.op('Sub', [s.maxLogit, pDotLogit], [N, 1]), s.logMaxP], [N, 1]), zero],
    [N, 1],
  );
  g.output(reshape(g, targetLogp, [B, T]), 'logProb');
  g.output(reshape(g, entropy, [B, T]), 'entropy');
  return built(g);
}

/**
 * Sample: ids [B, T] (left-aligned contexts), last [B] int32 (index of each context's last token),
 * uniform [B] in [0, 1), invTemperature, topK (float; 0 = off), topP.
 * Outputs token [B] int32 drawn from the truncated, tempered distribution, greedy [B] int32 (argmax),
 * and logProb [B] / greedyLogProb [B] of those tokens under the untempered model distribution.
 *
 * Drawing: sort the tempered logits (TopK with k = V), softmax, keep rank < topK and exclusive
 * cumulative probability < topP (always at least the top token), then the first kept rank whose
 * cumulative kept mass exceeds uniform · total.
 */
export function buildSampleGraph(spec: ModelSpec, B: number): BuiltGraph {
  const g = new GraphBuilder('float32');
  const T = spec.contextLength;
  const V = spec.vocabSize;
  const ids = g.input('ids', [B, T], 'int32');
  const last = g.input('last', [B], 'int32');
  const uniform = g.input('uniform', [B]);
  const invTemperature = g.input('invTemperature', []);
  const topK = g.input('topK', []);
  const topP = g.input('topP', []);
  const { P } = declareFlatParams(g, spec);
  const x = trunk(g, spec, P, ids); // [B, T, D]
  const pick = reshape(g, oneHot(g, last, T), [B, 1, T]);
  const xLast = reshape(g, g.op('MatMul', [pick, x], [B, 1, spec.dModel]), [B, spec.dModel]);
  const logits = head(g, spec, P, xLast); // [B, V]
  const logp = logSoftmax(g, logits);

  const [sorted, order] = g.emit(
    'TopK',
    [g.op('Mul', [logits, invTemperature], [B, V]), g.ints([V])],
    [[[B, V]], [[B, V], 'int64']],
    { axis: attr.int(-1), largest: attr.int(1), sorted: attr.int(1) },
  ) as [Tensor, Tensor];
  const probs = g.op('Softmax', [sorted], [B, V], { axis: attr.int(-1) });
  const axis = g.constant([1], [], 'int32');
  const cum = g.op('CumSum', [probs, axis], [B, V]);
  const before = g.op('Sub', [cum, probs], [B, V]);
  const rank = g.constant([...Array(V).keys()], [V]);
  const kOff = g.op('LessOrEqual', [topK, g.scalar(0)], [], {}, undefined, 'bool');
  const inK = g.op(
    'Or',
    [g.op('Less', [rank, topK], [V], {}, undefined, 'bool'), kOff],
    [V],
    {},
    undefined,
    'bool',
  );
  const inP = g.op('Less', [before, topP], [B, V], {}, undefined, 'bool');
  const first = g.constant([1, ...Array(V - 1).fill(0)], [V], 'bool');
  const keep = g.op(
    'Or',
    [g.op('And', [inP, inK], [B, V], {}, undefined, 'bool'), first],
    [B, V],
    {},
    undefined,
    'bool',
  );
  const kept = g.op('Where', [keep, probs, g.scalar(0)], [B, V]);
  const keptCum = g.op('CumSum', [kept, axis], [B, V]);
  const sumLast = (t: Tensor) => g.op('ReduceSum', [t, g.ints([-1])], [B, 1], { keepdims: attr.int(1) });
  const total = sumLast(kept);
  const threshold = g.op('Mul', [reshape(g, uniform, [B, 1]), total], [B, 1]);
  const toFloat = (t: Tensor) => g.op('Cast', [t], t.shape, { to: attr.int(1) });
  const below = sumLast(toFloat(g.op('LessOrEqual', [keptCum, threshold], [B, V], {}, undefined, 'bool')));
  const lastKept = g.op('Sub', [sumLast(toFloat(keep)), g.scalar(1)], [B, 1]);
  const chosenRank = g.op(
    'Cast',
    [g.op('Min', [below, lastKept], [B, 1])],
    [B, 1],
    { to: attr.int(7) },
    undefined,
    'int64',
  );
  const token = g.op(
    'GatherElements',
    [order, chosenRank],
    [B, 1],
    { axis: attr.int(1) },
    undefined,
    'int64',
  );
  const greedy = g.op(
    'ArgMax',
    [logits],
    [B, 1],
    { axis: attr.int(-1), keepdims: attr.int(1) },
    undefined,
    'int64',
  );
  const lpOf = (t: Tensor) =>
    reshape(g, g.op('GatherElements', [logp, t], [B, 1], { axis: attr.int(1) }), [B]);
  const toInt32 = (t: Tensor) =>
    reshape(g, g.op('Cast', [t], [B, 1], { to: attr.int(6) }, undefined, 'int32'), [B]);
  g.output(toInt32(token), 'token');
  g.output(lpOf(token), 'logProb');
  g.output(toInt32(greedy), 'greedy');
  g.output(lpOf(greedy), 'greedyLogProb');
  return built(g);
}
