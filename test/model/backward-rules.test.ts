import { describe, expect, it } from 'vitest';
import { checkOp } from '../helpers/gradcheck.ts';
import * as ort from 'onnxruntime-node';
import * as ops from '../../src/model/ops.ts';
import { GraphBuilder, type Tensor } from '../../src/model/graph.ts';
import { OUTPUT } from '../../src/model/io-names.ts';
import { truncatedCrossEntropy } from '../../src/model/losses.ts';

const TOL = 1e-4;
const expectSmall = (errors: Record<string, number>) => {
  for (const [name, e] of Object.entries(errors)) expect(e, `relative error of d/d${name}`).toBeLessThan(TOL);
};

describe('every backward rule matches finite differences (float64)', () => {
  it('add, sub, mul, div with broadcasting', async () => {
    const shapes = { a: [2, 3, 4], b: [3, 1] };
    expectSmall(await checkOp(shapes, (g, x) => ops.add(g, x.a!, x.b!)));
    expectSmall(await checkOp(shapes, (g, x) => ops.sub(g, x.a!, x.b!)));
    expectSmall(await checkOp(shapes, (g, x) => ops.mul(g, x.a!, x.b!)));
    // keep the denominator away from zero
    expectSmall(
      await checkOp(shapes, (g, x) => ops.div(g, x.a!, ops.add(g, ops.mul(g, x.b!, x.b!), g.scalar(1)))),
    );
  });
  it('neg, tanh and gelu', async () => {
    expectSmall(await checkOp({ x: [3, 5] }, (g, x) => ops.neg(g, x.x!)));
    expectSmall(await checkOp({ x: [3, 5] }, (g, x) => ops.tanh(g, x.x!)));
    expectSmall(await checkOp({ x: [3, 5] }, (g, x) => ops.gelu(g, x.x!)));
  });
  it('matmul: 2-D, batched, and broadcast over a batch', async () => {
    expectSmall(await checkOp({ a: [3, 4], b: [4, 5] }, (g, x) => ops.matmul(g, x.a!, x.b!)));
    expectSmall(await checkOp({ a: [2, 3, 3, 4], b: [2, 3, 4, 2] }, (g, x) => ops.matmul(g, x.a!, x.b!)));
    expectSmall(await checkOp({ a: [2, 3, 4], b: [4, 5] }, (g, x) => ops.matmul(g, x.a!, x.b!)));
  });
  it('reshape, transpose, split and reduceSum', async () => {
    expectSmall(await checkOp({ x: [2, 3, 4] }, (g, x) => ops.reshape(g, x.x!, [6, 4])));
    expectSmall(await checkOp({ x: [2, 3, 4] }, (g, x) => ops.transpose(g, x.x!, [2, 0, 1])));
    expectSmall(await checkOp({ x: [2, 6] }, (g, x) => ops.split(g, x.x!, 1, [2, 1, 3])[2]!));
    expectSmall(
      await checkOp({ x: [2, 6] }, (g, x) => {
        const [a, , c] = ops.split(g, x.x!, 1, [2, 1, 3]);
        return ops.add(
          g,
          ops.reshape(g, a!, [2, 2, 1]),
          ops.reshape(g, ops.reduceSum(g, c!, [1]), [2, 1, 1]),
        );
      }),
    );
    expectSmall(await checkOp({ x: [2, 3, 4] }, (g, x) => ops.reduceSum(g, x.x!, [0, 2], false)));
  });
  it('softmax and masked fill', async () => {
    expectSmall(await checkOp({ x: [2, 4, 4] }, (g, x) => ops.softmax(g, x.x!)));
    expectSmall(
      await checkOp({ x: [2, 3, 3] }, (g, x) => {
        const causal = g.constant([1, 0, 0, 1, 1, 0, 1, 1, 1], [3, 3], 'bool');
        return ops.softmax(g, ops.maskFill(g, causal, x.x!, -1e9));
      }),
    );
  });
  it('layer normalisation: input, gain and bias', async () => {
    expectSmall(
      await checkOp({ x: [2, 3, 6], gamma: [6], beta: [6] }, (g, x) =>
        ops.layerNorm(g, x.x!, x.gamma!, x.beta!),
      ),
    );
  });
  it('embedding lookup (gather) accumulates repeated ids', async () => {
    expectSmall(
      await checkOp({ W: [5, 3] }, (g, x) => {
        const ids = g.constant([0, 3, 3, 1, 4, 0], [2, 3], 'int32');
        return ops.embedding(g, x.W!, ids);
      }),
    );
  });
});

describe('cross-entropy and truncated cross-entropy', () => {
  const targets = [2, 0, -1, 3, 1, 3];
  const build = (gamma: number) => (g: GraphBuilder, x: Record<string, Tensor>) =>
    truncatedCrossEntropy(g, x.logits!, g.constant(targets, [6], 'int32'), g.scalar(gamma));

  it('CE (γ > 1) and TCE gradients match finite differences', async () => {
    expectSmall(await checkOp({ logits: [6, 4] }, (g, x) => build(2)(g, x)));
    expectSmall(await checkOp({ logits: [6, 4] }, (g, x) => build(0.3)(g, x)));
  });

  it('masks exactly the targets with p > γ: their logit rows get a zero gradient', async () => {
    const g = new GraphBuilder('float64');
    const logits = g.param('logits', [6, 4]);
    const loss = build(0.5)(g, { logits });
    g.output(loss, OUTPUT.loss);
    g.output(g.backward(loss, [logits]).get('logits')!, 'grad');
    const session = await ort.InferenceSession.create(g.toBytes());
    // rows 0 and 3: the target holds almost all the mass (p > 0.5) → masked; row 2 is ignored (−1)
    const L = [
      [0, 0, 9, 0],
      [1, 0, 0, 0],
      [0, 1, 2, 3],
      [0, 0, 0, 9],
      [0.5, 0.1, 0.2, 0],
      [3, 0, 0, 0],
    ];
    const out = await session.run({ logits: new ort.Tensor('float64', Float64Array.from(L.flat()), [6, 4]) });
    const grad = out.grad!.data as Float64Array;
    const row = (i: number) => Array.from(grad.subarray(i * 4, i * 4 + 4));
    for (const i of [0, 2, 3]) expect(row(i).every((v) => v === 0)).toBe(true); // exactly zero (±0)
    for (const i of [1, 4, 5]) expect(row(i).some((v) => v !== 0)).toBe(true);
    // hand computation: mean over the 5 valid targets of −log p for the 3 kept rows
    const logp = (r: number[], t: number) => r[t]! - Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
    const expected = -(logp(L[1]!, 0) + logp(L[4]!, 1) + logp(L[5]!, 3)) / 5;
    expect((out.loss!.data as Float64Array)[0]).toBeCloseTo(expected, 12);
  });
});
