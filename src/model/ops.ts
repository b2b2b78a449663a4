// Differentiable ops over GraphBuilder. Each forward emits ONNX nodes and gives a backward rule
// that emits the gradient as ONNX nodes too. Shapes in comments: B batch, T time, D width, V vocab.
import { floatAttr } from './onnx-encode.ts';
import { broadcastShapes, sameShape, type GraphBuilder, type Tensor } from './graph.ts';
import { numel } from './spec.ts';

/** Sum `grad` down to `shape` (the inverse of broadcasting). */
export function unbroadcast(g: GraphBuilder, grad: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(grad.shape, shape)) return grad;
  const lead = grad.shape.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < grad.shape.length; i++)
    if (i < lead || (shape[i - lead] === 1 && grad.shape[i] !== 1)) axes.push(i);
  const summed = axes.length ? g.reduce('ReduceSum', grad, { axes }) : grad;
  return reshape(g, summed, shape);
}

function binary(
  g: GraphBuilder,
  type: string,
  a: Tensor,
  b: Tensor,
  rule: (grad: Tensor) => (Tensor | null)[],
) {
  return g.op(type, [a, b], broadcastShapes(a.shape, b.shape), { backward: ([grad]) => rule(grad!) });
}

export const add = (g: GraphBuilder, a: Tensor, b: Tensor): Tensor =>
  binary(g, 'Add', a, b, (d) => [
    a.requiresGrad ? unbroadcast(g, d, a.shape) : null,
    b.requiresGrad ? unbroadcast(g, d, b.shape) : null,
  ]);

export const sub = (g: GraphBuilder, a: Tensor, b: Tensor): Tensor =>
  binary(g, 'Sub', a, b, (d) => [
    unbroadcast(g, d, a.shape),
    b.requiresGrad ? unbroadcast(g, neg(g, d), b.shape) : null,
  ]);

export const mul = (g: GraphBuilder, a: Tensor, b: Tensor): Tensor =>
  binary(g, 'Mul', a, b, (d) => [
    a.requiresGrad ? unbroadcast(g, mul(g, d, b), a.shape) : null,
    b.requiresGrad ? unbroadcast(g, mul(g, d, a), b.shape) : null,
  ]);

/** a / b; d/db = -d·a/b². */
export const div = (g: GraphBuilder, a: Tensor, b: Tensor): Tensor => {
  const y = binary(g, 'Div', a, b, (d) => [
    a.requiresGrad ? unbroadcast(g, div(g, d, b), a.shape) : null,
    b.requiresGrad ? unbroadcast(g, neg(g, mul(g, d, div(g, y, b))), b.shape) : null,
  ]);
  return y;
};

export const neg = (g: GraphBuilder, x: Tensor): Tensor =>
  g.op('Neg', [x], x.shape, { backward: ([d]) => [neg(g, d!)] });

export const scale = (g: GraphBuilder, x: Tensor, s: number): Tensor => mul(g, x, g.scalar(s));

/** tanh; d/dx = 1 − y². */
export const tanh = (g: GraphBuilder, x: Tensor): Tensor => {
  const y = g.op('Tanh', [x], x.shape, {
    backward: ([d]) => [mul(g, d!, sub(g, g.scalar(1), mul(g, y, y)))],
  });
  return y;
};

/**
 * GELU, tanh approximation (GPT-2): y = 0.5·x·(1 + t), t = tanh(c·(x + a·x³)), c = √(2/π), a = 0.044715.
 * One fused backward instead of differentiating every primitive:
 * dy/dx = 0.5·(1 + t) + 0.5·x·(1 − t²)·c·(1 + 3a·x²).
 */
export function gelu(g: GraphBuilder, x: Tensor): Tensor {
  const a = 0.044715;
  const c = Math.sqrt(2 / Math.PI);
  const sh = x.shape;
  const x2 = g.op('Mul', [x, x], sh);
  // c·(x + a·x³) = x·(c + c·a·x²)
  const inner = g.op('Mul', [x, g.op('Add', [g.op('Mul', [x2, g.scalar(c * a)], sh), g.scalar(c)], sh)], sh);
  const t = g.op('Tanh', [inner], sh);
  const half = g.op('Mul', [g.op('Add', [t, g.scalar(1)], sh), g.scalar(0.5)], sh); // 0.5·(1 + t)
  const y = g.op('Mul', [x, half], sh);
  g.recordBackward([x], [y], ([d]) => {
    const sech2 = g.op('Sub', [g.scalar(1), g.op('Mul', [t, t], sh)], sh); // 1 − t²
    const slope = g.op('Add', [g.op('Mul', [x2, g.scalar(1.5 * a * c)], sh), g.scalar(0.5 * c)], sh); // 0.5·c·(1 + 3a·x²)
    const dy = g.op('Add', [half, g.op('Mul', [g.op('Mul', [x, sech2], sh), slope], sh)], sh);
    return [g.op('Mul', [d!, dy], sh)];
  });
  return y;
}

/** Matrix product with NumPy broadcasting over leading dims. */
export function matmul(g: GraphBuilder, a: Tensor, b: Tensor): Tensor {
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const shape = [...batch, a.shape.at(-2)!, b.shape.at(-1)!];
  return g.op('MatMul', [a, b], shape, {
    backward: ([d]) => [
      a.requiresGrad ? unbroadcast(g, matmul(g, d!, swapLast(g, b)), a.shape) : null,
      b.requiresGrad ? unbroadcast(g, matmul(g, swapLast(g, a), d!), b.shape) : null,
    ],
  });
}

export function reshape(g: GraphBuilder, x: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(x.shape, shape)) return x;
  if (numel(x.shape) !== numel(shape)) throw new Error(`cannot reshape [${x.shape}] to [${shape}]`);
  return g.op('Reshape', [x, g.ints(shape)], shape, {
    dtype: x.dtype,
    backward: ([d]) => [reshape(g, d!, x.shape)],
  });
}

export function transpose(g: GraphBuilder, x: Tensor, perm: readonly number[]): Tensor {
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return g.op(
    'Transpose',
    [x],
    perm.map((p) => x.shape[p]!),
    { attrs: { perm }, dtype: x.dtype, backward: ([d]) => [transpose(g, d!, inverse)] },
  );
}

/** Swap the last two axes. */
export function swapLast(g: GraphBuilder, x: Tensor): Tensor {
  const r = x.shape.length;
  const perm = [...Array(r).keys()];
  [perm[r - 1], perm[r - 2]] = [perm[r - 2]!, perm[r - 1]!];
  return transpose(g, x, perm);
}

/** Sum over `axes` (keepdims); backward broadcasts the gradient back with Expand. */
export function reduceSum(g: GraphBuilder, x: Tensor, axes: readonly number[], keepdims = true): Tensor {
  const rank = x.shape.length;
  const norm = axes.map((a) => (a < 0 ? a + rank : a));
  const kept = x.shape.map((d, i) => (norm.includes(i) ? 1 : d));
  return g.reduce('ReduceSum', x, {
    axes: norm,
    keepdims,
    backward: ([d]) => [g.op('Expand', [reshape(g, d!, kept), g.ints(x.shape)], x.shape)],
  });
}

/** Softmax over the last axis; dx = y·(d − Σ d·y). */
export function softmax(g: GraphBuilder, x: Tensor): Tensor {
  const y = g.op('Softmax', [x], x.shape, {
    attrs: { axis: -1 },
    backward: ([d]) => {
      const dy = g.op('Mul', [d!, y], x.shape);
      const s = g.reduce('ReduceSum', dy, { axes: [-1] });
      return [g.op('Mul', [y, g.op('Sub', [d!, s], x.shape)], x.shape)];
    },
  });
  return y;
}

/** Where(cond, x, fill): the gradient flows only where cond holds. */
export function maskFill(g: GraphBuilder, cond: Tensor, x: Tensor, fill: number): Tensor {
  const zero = g.scalar(0);
  return g.op('Where', [cond, x, g.scalar(fill)], x.shape, {
    backward: ([d]) => [null, g.op('Where', [cond, d!, zero], x.shape), null],
  });
}

/** One-hot rows for int32 ids [...] → float [..., n]; an id outside [0, n) gives an all-zero row. */
export function oneHot(g: GraphBuilder, ids: Tensor, n: number): Tensor {
  const u = g.op('Unsqueeze', [ids, g.ints([-1])], [...ids.shape, 1], { dtype: ids.dtype });
  const range = g.constant([...Array(n).keys()], [n], ids.dtype);
  return g.cast(g.op('Equal', [u, range], [...ids.shape, n], { dtype: 'bool' }), g.float);
}

/**
 * Embedding lookup W[ids]. The gradient scatter-adds each position's row of d into the row of its id:
 * ScatterND with reduction 'add' into zeros [V, D] (rows of repeated ids sum up).
 */
export function embedding(g: GraphBuilder, W: Tensor, ids: Tensor): Tensor {
  const [V, D] = W.shape as [number, number];
  return g.op('Gather', [W, ids], [...ids.shape, D], {
    attrs: { axis: 0 },
    backward: ([d]) => {
      const N = numel(ids.shape);
      const index = g.cast(reshape(g, ids, [N, 1]), 'int64');
      const zeros = g.zerosLike(W);
      const dW = g.op('ScatterND', [zeros, index, reshape(g, d!, [N, D])], [V, D], {
        attrs: { reduction: 'add' },
      });
      return [dW, null];
    },
  });
}

/** Split along `axis` into pieces of the given sizes; backward concatenates (zeros for pieces without gradient). */
export function split(g: GraphBuilder, x: Tensor, axis: number, sizes: readonly number[]): Tensor[] {
  const pieces = sizes.map((s) => ({ shape: x.shape.map((d, i) => (i === axis ? s : d)), dtype: x.dtype }));
  const outs = g.emit('Split', [x, g.ints(sizes)], pieces, {
    attrs: { axis },
    backward: (ds) => [
      g.op(
        'Concat',
        ds.map((d, i) => d ?? g.zerosLike(outs[i]!)),
        x.shape,
        { attrs: { axis } },
      ),
      null,
    ],
  });
  return outs;
}

/**
 * LayerNormalization over the last axis (ε = 1e-5) with gain γ and bias β.
 * Backward uses the op's Mean and InvStdDev outputs: with x̂ = (x − μ)·r and dx̂ = d·γ,
 * dx = r·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)).
 */
export function layerNorm(g: GraphBuilder, x: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-5): Tensor {
  const rowShape = [...x.shape.slice(0, -1), 1];
  const outs = g.emit(
    'LayerNormalization',
    [x, gamma, beta],
    [{ shape: x.shape }, { shape: rowShape, dtype: 'float32' }, { shape: rowShape, dtype: 'float32' }],
    {
      attrs: { axis: -1, epsilon: floatAttr(eps) },
      backward: ([d]) => {
        // Mean and InvStdDev are float32 whatever x is; cast them for float64 (gradient-check) graphs.
        const toFloat = (t: Tensor) => (g.float === 'float32' ? t : g.cast(t, g.float));
        const mean = toFloat(outs[1]!);
        const inv = toFloat(outs[2]!);
        const xhat = g.op('Mul', [g.op('Sub', [x, mean], x.shape), inv], x.shape);
        const dxhat = g.op('Mul', [d!, gamma], x.shape);
        const rowMean = (t: Tensor) => g.reduce('ReduceMean', t, { axes: [-1] });
        const m1 = rowMean(dxhat);
        const m2 = rowMean(g.op('Mul', [dxhat, xhat], x.shape));
        const inner = g.op(
          'Sub',
          [g.op('Sub', [dxhat, m1], x.shape), g.op('Mul', [xhat, m2], x.shape)],
          x.shape,
        );
        const dx = x.requiresGrad ? g.op('Mul', [inv, inner], x.shape) : null;
        const dgamma = gamma.requiresGrad
          ? unbroadcast(g, g.op('Mul', [d!, xhat], x.shape), gamma.shape)
          : null;
        const dbeta = beta.requiresGrad ? unbroadcast(g, d!, beta.shape) : null;
        return [dx, dgamma, dbeta];
      },
    },
  );
  return outs[0]!;
}
