// AdamW (decoupled weight decay) with global-norm gradient clipping, as ONNX nodes.
// Runtime scalar inputs: lr, weightDecay, clip (0 = off), and the bias corrections 1 − β1^t and
// 1 − β2^t (the step count t lives in the engine, so no scalar-only node needs to run on the GPU).
import type { GraphBuilder, Tensor } from './graph.ts';
import type { ParamInfo } from './spec.ts';
import { attr } from './onnx-encode.ts';

export interface AdamWInputs {
  lr: Tensor;
  weightDecay: Tensor;
  clip: Tensor;
  biasCorrection1: Tensor;
  biasCorrection2: Tensor;
}

/** Emits the update; returns the global gradient norm (before clipping). Outputs new_*, new_m_*, new_v_*. */
export function adamwUpdate(
  g: GraphBuilder,
  params: { info: ParamInfo; tensor: Tensor }[],
  grads: Map<string, Tensor>,
  inp: AdamWInputs,
  hyper: { beta1: number; beta2: number; eps: number },
): Tensor {
  const sq = params.map(({ tensor }) => {
    const gr = grads.get(tensor.name)!;
    return g.op('ReduceSum', [g.op('Mul', [gr, gr], gr.shape), g.ints([...gr.shape.keys()])], [], {
      keepdims: attr.int(0),
    });
  });
  const sumSq = sq.reduce((a, b) => g.op('Add', [a, b], []));
  const norm = g.op('Sqrt', [sumSq], []);
  // scale = clip > 0 ? min(1, clip / (norm + 1e-6)) : 1
  const ratio = g.op('Div', [inp.clip, g.op('Add', [norm, g.scalar(1e-6)], [])], []);
  const clipped = g.op('Min', [ratio, g.scalar(1)], []);
  const on = g.op('Greater', [inp.clip, g.scalar(0)], [], {}, undefined, 'bool');
  const gradScale = g.op('Where', [on, clipped, g.scalar(1)], []);
  const { beta1: b1, beta2: b2, eps } = hyper;
  for (const { info, tensor: p } of params) {
    const sh = p.shape;
    const gr = g.op('Mul', [grads.get(p.name)!, gradScale], sh);
    const m = g.input(`m.${p.name}`, sh);
    const v = g.input(`v.${p.name}`, sh);
    const m1 = g.op('Add', [g.op('Mul', [m, g.scalar(b1)], sh), g.op('Mul', [gr, g.scalar(1 - b1)], sh)], sh);
    const v1 = g.op(
      'Add',
      [g.op('Mul', [v, g.scalar(b2)], sh), g.op('Mul', [g.op('Mul', [gr, gr], sh), g.scalar(1 - b2)], sh)],
      sh,
    );
    const mHat = g.op('Div', [m1, inp.biasCorrection1], sh);
    const vHat = g.op('Div', [v1, inp.biasCorrection2], sh);
    let step = g.op('Div', [mHat, g.op('Add', [g.op('Sqrt', [vHat], sh), g.scalar(eps)], sh)], sh);
    if (info.decay) step = g.op('Add', [step, g.op('Mul', [p, inp.weightDecay], sh)], sh);
    const p1 = g.op('Sub', [p, g.op('Mul', [step, inp.lr], sh)], sh);
    g.output(p1, `new.${p.name}`);
    g.output(m1, `new.m.${p.name}`);
    g.output(v1, `new.v.${p.name}`);
  }
  return norm;
}
