// AdamW (decoupled weight decay) with global-norm gradient clipping, as ONNX nodes over the flat
// parameter vector: a few element-wise nodes for the whole model instead of a dozen per parameter.
// Runtime scalar inputs: lr, weightDecay, clip (0 = off), and the bias corrections 1 − β1^t and
// 1 − β2^t (the step count t lives in the engine, so no scalar-only node needs to run on the GPU).
import type { GraphBuilder, Tensor } from './graph.ts';
import { FEED, OUTPUT } from './io-names.ts';
import type { FlatLayout } from './spec.ts';

export interface AdamWInputs {
  lr: Tensor;
  weightDecay: Tensor;
  clip: Tensor;
  biasCorrection1: Tensor;
  biasCorrection2: Tensor;
}

/**
 * Emits the update of the flat parameters `p` [N] from their gradient `grad` [N]; returns the global
 * gradient norm (before clipping). Inputs m, v [N]; outputs new.params, new.m, new.v.
 * Weight decay applies where the layout says so (matrices and embeddings, not gains and biases).
 */
export function adamwUpdate(
  g: GraphBuilder,
  layout: FlatLayout,
  p: Tensor,
  grad: Tensor,
  inp: AdamWInputs,
  hyper: { beta1: number; beta2: number; eps: number },
): Tensor {
  const sh = [layout.total];
  const sumSq = g.reduce('ReduceSumSquare', grad, { keepdims: false });
  const norm = g.op('Sqrt', [sumSq], []);
  // scale = clip > 0 ? min(1, clip / (norm + 1e-6)) : 1
  const ratio = g.op('Div', [inp.clip, g.op('Add', [norm, g.scalar(1e-6)], [])], []);
  const clipped = g.op('Min', [ratio, g.scalar(1)], []);
  const on = g.op('Greater', [inp.clip, g.scalar(0)], [], { dtype: 'bool' });
  const gradScale = g.op('Where', [on, clipped, g.scalar(1)], []);
  const { beta1: b1, beta2: b2, eps } = hyper;
  const gr = g.op('Mul', [grad, gradScale], sh);
  const m = g.input(FEED.m, sh);
  const v = g.input(FEED.v, sh);
  const m1 = g.op('Add', [g.op('Mul', [m, g.scalar(b1)], sh), g.op('Mul', [gr, g.scalar(1 - b1)], sh)], sh);
  const v1 = g.op(
    'Add',
    [g.op('Mul', [v, g.scalar(b2)], sh), g.op('Mul', [g.op('Mul', [gr, gr], sh), g.scalar(1 - b2)], sh)],
    sh,
  );
  const mHat = g.op('Div', [m1, inp.biasCorrection1], sh);
  const vHat = g.op('Div', [v1, inp.biasCorrection2], sh);
  const adam = g.op('Div', [mHat, g.op('Add', [g.op('Sqrt', [vHat], sh), g.scalar(eps)], sh)], sh);
  // Per-element decay rate: weightDecay where the parameter decays, 0 elsewhere.
  const mask = new Array<number>(layout.total).fill(0);
  for (const e of layout.entries) if (e.decay) mask.fill(1, e.offset, e.offset + e.size);
  const decay = g.op('Mul', [g.constant(mask, sh), inp.weightDecay], sh);
  const step = g.op('Add', [adam, g.op('Mul', [p, decay], sh)], sh);
  const p1 = g.op('Sub', [p, g.op('Mul', [step, inp.lr], sh)], sh);
  g.output(p1, OUTPUT.newParams);
  g.output(m1, OUTPUT.newM);
  g.output(v1, OUTPUT.newV);
  return norm;
}
