// Finite-difference gradient checks on onnxruntime-node in float64.
import * as ort from 'onnxruntime-node';
import { GraphBuilder, type Tensor } from '../../src/model/graph.ts';
import { gradName, OUTPUT } from '../../src/model/io-names.ts';
import { numel } from '../../src/model/spec.ts';
import { mul, reduceSum } from '../../src/model/ops.ts';
import { Rng } from '../../src/world/rng.ts';

/** Uniform floats in [0, 1) from the project's seeded stream (`Rng`), for test data. */
export function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

export function randn(r: () => number, n: number, std = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++)
    out[i] = std * Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
  return out;
}

/** ‖a − b‖ / max(‖a‖, ‖b‖, tiny): the relative error of one gradient. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i]! - b[i]!) ** 2;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return Math.sqrt(d) / Math.max(Math.sqrt(na), Math.sqrt(nb), 1e-12);
}

export type Feeds = Record<string, ort.Tensor>;

/** Central differences of `lossName` w.r.t. every element of float64 input `name`. */
export async function numericGradient(
  session: ort.InferenceSession,
  feeds: Feeds,
  name: string,
  lossName: string,
  h = 1e-6,
): Promise<Float64Array> {
  const base = feeds[name]!.data as Float64Array;
  const out = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const at = async (delta: number) => {
      const x = Float64Array.from(base);
      x[i]! += delta;
      const r = await session.run({ ...feeds, [name]: new ort.Tensor('float64', x, feeds[name]!.dims) });
      return (r[lossName]!.data as Float64Array)[0]!;
    };
    out[i] = ((await at(h)) - (await at(-h))) / (2 * h);
  }
  return out;
}

/**
 * Check one op: y = f(inputs); loss = Σ y·R for a fixed random R; compares the graph's analytic
 * gradients for each differentiable input with central differences. Returns the worst relative error.
 */
export async function checkOp(
  shapes: Record<string, readonly number[]>,
  f: (g: GraphBuilder, x: Record<string, Tensor>) => Tensor,
  seed = 1,
): Promise<Record<string, number>> {
  const g = new GraphBuilder('float64');
  const r = rng(seed);
  const x: Record<string, Tensor> = {};
  for (const [name, shape] of Object.entries(shapes)) x[name] = g.param(name, shape);
  const y = f(g, x);
  const R = g.constant(Array.from(randn(r, numel(y.shape))), y.shape);
  const loss = reduceSum(g, mul(g, y, R), [...y.shape.keys()], false);
  const grads = g.backward(loss, Object.values(x));
  g.output(loss, OUTPUT.loss);
  for (const [name, t] of grads) g.output(t, gradName(name));
  const session = await ort.InferenceSession.create(g.toBytes());
  const feeds: Feeds = {};
  for (const [name, shape] of Object.entries(shapes))
    feeds[name] = new ort.Tensor('float64', randn(r, numel(shape)), shape as number[]);
  const out = await session.run(feeds);
  const errors: Record<string, number> = {};
  for (const name of Object.keys(shapes)) {
    const analytic = out[gradName(name)]!.data as Float64Array;
    errors[name] = relativeError(analytic, await numericGradient(session, feeds, name, OUTPUT.loss));
  }
  await session.release();
  return errors;
}
