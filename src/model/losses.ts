// Losses and log-probabilities over logits [N, V] with int32 targets [N] (−1 = ignored position).
import type { GraphBuilder, Tensor } from './graph.ts';

/** The softmax of logits [N, V] and what the loss and the evaluation read off it (not differentiated). */
export interface TargetScores {
  /** softmax(logits) [N, V] */
  p: Tensor;
  /** max logit and log(max p) per row [N, 1]; log p_v = (logit_v − maxLogit) + logMaxP */
  maxLogit: Tensor;
  logMaxP: Tensor;
  /** target ≠ −1 [N, 1] bool, and the targets with −1 replaced by 0 [N, 1] int32 */
  isValid: Tensor;
  safeTargets: Tensor;
  /** log p(target) [N, 1] (meaningless where the target is ignored) */
  targetLogp: Tensor;
}

/**
 * log p(target) without a log-softmax over [N, V]: (logit[target] − max logit) + log(max p), since the
 * largest probability is 1 / Σ exp(logit − max logit). Exact, and never log 0 (max p ≥ 1/V) however
 * small p(target) is. Kernels over [N, V]: the softmax and two row maxima.
 */
export function targetScores(g: GraphBuilder, logits: Tensor, targets: Tensor): TargetScores {
  const [N, V] = logits.shape as [number, number];
  const targets2 = g.op('Unsqueeze', [targets, g.ints([-1])], [N, 1], { dtype: 'int32' });
  const isValid = g.op('Greater', [targets2, g.constant([-1], [], 'int32')], [N, 1], { dtype: 'bool' });
  // Ignored positions (−1) gather column 0; callers weight or mask them out.
  const safeTargets = g.op('Where', [isValid, targets2, g.constant([0], [], 'int32')], [N, 1], {
    dtype: 'int32',
  });
  const rowMax = (x: Tensor) => g.reduce('ReduceMax', x, { axes: [-1] });
  const p = g.op('Softmax', [logits], [N, V], { attrs: { axis: -1 } });
  const maxLogit = rowMax(logits);
  const logMaxP = g.op('Log', [rowMax(p)], [N, 1]);
  const targetLogit = g.op('GatherElements', [logits, safeTargets], [N, 1], { attrs: { axis: 1 } });
  const targetLogp = g.op('Add', [g.op('Sub', [targetLogit, maxLogit], [N, 1]), logMaxP], [N, 1]);
  return { p, maxLogit, logMaxP, isValid, safeTargets, targetLogp };
}

/**
 * Truncated cross-entropy (ForTIFAI): mean over the valid targets of −log p(target), where targets
 * the model already gives probability > γ are dropped from the sum (but still counted in the mean).
 * The mask is not differentiated. γ ≥ 1 drops nothing: plain cross-entropy. γ is a runtime input.
 *
 * log p(target) from targetScores (the softmax it computes serves the backward too).
 * One fused backward: d loss / d logits = kept · (p − onehot) / n_valid, the −1 scatter-added at
 * each row's target (no one-hot tensor).
 */
export function truncatedCrossEntropy(
  g: GraphBuilder,
  logits: Tensor,
  targets: Tensor,
  gamma: Tensor,
): Tensor {
  const [N, V] = logits.shape as [number, number];
  const { p, isValid, safeTargets, targetLogp } = targetScores(g, logits, targets);
  const valid = g.cast(isValid, g.float);
  const confident = g.op('Greater', [g.op('Exp', [targetLogp], [N, 1]), gamma], [N, 1], { dtype: 'bool' });
  const kept = g.op(
    'Mul',
    [valid, g.cast(g.op('Not', [confident], [N, 1], { dtype: 'bool' }), g.float)],
    [N, 1],
  );
  const sumAll = (x: Tensor) => g.reduce('ReduceSum', x, { axes: [0, 1], keepdims: false });
  const count = g.op('Max', [sumAll(valid), g.scalar(1)], []);
  const total = sumAll(g.op('Mul', [kept, targetLogp], [N, 1]));
  const loss = g.op('Div', [g.op('Neg', [total], []), count], []);
  g.recordBackward([logits], [loss], ([d]) => {
    // (row, target) pairs [N, 2]; ignored rows point at column 0 and get weight 0.
    const rows = g.constant([...Array(N).keys()], [N, 1], 'int64');
    const cols = g.cast(safeTargets, 'int64');
    const at = g.op('Concat', [rows, cols], [N, 2], { attrs: { axis: 1 }, dtype: 'int64' });
    const minusOne = g.constant(new Array<number>(N).fill(-1), [N]);
    const pMinusHot = g.op('ScatterND', [p, at, minusOne], [N, V], { attrs: { reduction: 'add' } });
    const w = g.op('Div', [g.op('Mul', [kept, d!], [N, 1]), count], [N, 1]);
    return [g.op('Mul', [pMinusHot, w], [N, V])];
  });
  return loss;
}
