import { describe, expect, it } from 'vitest';
import { checkOp } from '../helpers/gradcheck.ts';
import * as ops from '../../src/model/ops.ts';

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
    expectSmall(await checkOp(shapes, (g, x) => ops.div(g, x.a!, ops.add(g, ops.mul(g, x.b!, x.b!), g.scalar(1)))));
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
    expectSmall(await checkOp({ x: [2, 6] }, (g, x) => {
      const [a, , c] = ops.split(g, x.x!, 1, [2, 1, 3]);
      return ops.add(g, ops.reshape(g, a!, [2, 2, 1]), ops.reshape(g, ops.reduceSum(g, c!, [1]), [2, 1, 1]));
    }));
    expectSmall(await checkOp({ x: [2, 3, 4] }, (g, x) => ops.reduceSum(g, x.x!, [0, 2], false)));
  });
  it('softmax and masked fill', async () => {
    expectSmall(await checkOp({ x: [2, 4, 4] }, (g, x) => ops.softmax(g, x.x!)));
    expectSmall(await checkOp({ x: [2, 3, 3] }, (g, x) => {
      const causal = g.constant([1, 0, 0, 1, 1, 0, 1, 1, 1], [3, 3], 'bool');
      return ops.softmax(g, ops.maskFill(g, causal, x.x!, -1e9));
    }));
  });
  it('layer normalisation: input, gain and bias', async () => {
    expectSmall(await checkOp({ x: [2, 3, 6], gamma: [6], beta: [6] }, (g, x) => ops.layerNorm(g, x.x!, x.gamma!, x.beta!)));
  });
  it('embedding lookup (gather) accumulates repeated ids', async () => {
    expectSmall(await checkOp({ W: [5, 3] }, (g, x) => {
      const ids = g.constant([0, 3, 3, 1, 4, 0], [2, 3], 'int32');
      return ops.embedding(g, x.W!, ids);
    }));
  });
});
