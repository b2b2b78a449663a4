import * as ortNode from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/engine/node.ts';
import { initialParams, type OrtModule } from '../../src/engine/ort-engine.ts';
import { paramList } from '../../src/model/spec.ts';
import { relativeError } from '../helpers/gradcheck.ts';
import { gradGraphRun } from '../helpers/grad-graph.ts';
import { randomBatch, testSpec } from '../helpers/spec.ts';

const spec = testSpec({
  vocabSize: 13,
  contextLength: 8,
  batchSize: 4,
  dModel: 16,
  heads: 2,
  dFF: 32,
  initStd: 0.1,
});

const fixedBatch = (seed = 5) => randomBatch(spec, seed);

const gradients = (ort: OrtModule, options: object) =>
  gradGraphRun(ort, spec, fixedBatch(), initialParams(spec, 11), options);

describe('training', () => {
  it('overfits one fixed batch to loss < 0.05 with AdamW', async () => {
    const engine = await createNodeEngine({
      backend: 'node',
      spec: { ...spec, learningRate: 0.01, weightDecay: 0 },
      seed: 1,
    });
    const batch = fixedBatch();
    const first = await engine.trainStep(batch);
    let last = first;
    for (let i = 0; i < 400 && last.loss >= 0.05; i++) last = await engine.trainStep(batch);
    expect(first.loss).toBeGreaterThan(2); // ≈ ln 13 at the start
    expect(last.loss).toBeLessThan(0.05);
    expect(last.gradNorm).toBeGreaterThan(0);
    await engine.dispose();
  });

  it('node and WASM backends give the same gradients (1e-5 relative)', async () => {
    const ortWeb = await import('onnxruntime-web');
    ortWeb.env.wasm.numThreads = 1;
    const a = await gradients(ortNode as unknown as OrtModule, { executionProviders: ['cpu'] });
    const b = await gradients(ortWeb as unknown as OrtModule, { executionProviders: ['wasm'] });
    expect(Math.abs(a.loss - b.loss) / a.loss).toBeLessThan(1e-5);
    for (const p of paramList(spec))
      expect(relativeError(a.grads[p.name]!, b.grads[p.name]!), p.name).toBeLessThan(1e-5);
  });

  it('engine checkpoints round-trip: setWeights(getWeights()) continues identically', async () => {
    const e1 = await createNodeEngine({ backend: 'node', spec, seed: 2 });
    const batch = fixedBatch(9);
    for (let i = 0; i < 3; i++) await e1.trainStep(batch);
    const ckpt = await e1.getWeights(true);
    const e2 = await createNodeEngine({ backend: 'node', spec, seed: 99 });
    await e2.setWeights(ckpt);
    const [r1, r2] = [await e1.trainStep(batch), await e2.trainStep(batch)];
    expect(r2.loss).toBe(r1.loss);
    const [w1, w2] = [await e1.getWeights(), await e2.getWeights()];
    for (const p of paramList(spec))
      expect(Array.from(w2.params[p.name]!)).toEqual(Array.from(w1.params[p.name]!));
    await e1.dispose();
    await e2.dispose();
  });
});

describe('AdamW update', () => {
  it('matches a hand-written AdamW with global-norm clipping and decoupled weight decay', async () => {
    const s = { ...spec, gradClip: 0.5, weightDecay: 0.1, learningRate: 0.02 };
    const engine = await createNodeEngine({ backend: 'node', spec: s, seed: 11 });
    const batch = fixedBatch();
    // gradients of the same initial weights (seed 11) on the same batch, from the grad graph
    const { grads, loss } = await gradients(ortNode as unknown as OrtModule, { executionProviders: ['cpu'] });
    const r = await engine.trainStep(batch);
    const after = await engine.getWeights(true);
    let sq = 0;
    for (const g of Object.values(grads)) for (const x of g) sq += x * x;
    const norm = Math.sqrt(sq);
    expect(r.loss).toBeCloseTo(loss, 5);
    expect(r.gradNorm / norm).toBeCloseTo(1, 5);
    const clip = Math.min(1, s.gradClip / (norm + 1e-6));
    const init = initialParams(s, 11);
    const { beta1: b1, beta2: b2, eps, learningRate: lr, weightDecay: wd } = s;
    for (const p of paramList(s)) {
      const expected = init[p.name]!.map((w, i) => {
        const g = grads[p.name]![i]! * clip;
        const mHat = ((1 - b1) * g) / (1 - b1);
        const vHat = ((1 - b2) * g * g) / (1 - b2);
        return w - lr * (mHat / (Math.sqrt(vHat) + eps) + (p.decay ? wd * w : 0));
      });
      expect(relativeError(after.params[p.name]!, expected), p.name).toBeLessThan(1e-5);
      expect(
        relativeError(
          after.optimizer!.m[p.name]!,
          grads[p.name]!.map((g) => (1 - b1) * g * clip),
        ),
        p.name,
      ).toBeLessThan(1e-5);
    }
    expect(after.optimizer!.step).toBe(1);
    await engine.dispose();
  });
});
