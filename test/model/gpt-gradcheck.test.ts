import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildGradGraph } from '../../src/model/graphs.ts';
import { FEED, gradName, OUTPUT } from '../../src/model/io-names.ts';
import { paramList, numel } from '../../src/model/spec.ts';
import { initialParams } from '../../src/engine/ort-engine.ts';
import { numericGradient, relativeError, rng, type Feeds } from '../helpers/gradcheck.ts';
import { testSpec } from '../helpers/spec.ts';

async function setup(tie: boolean, gamma: number, targetsOverride?: number[]) {
  const spec = testSpec({ tieEmbeddings: tie });
  const { vocabSize: V, contextLength: T, batchSize: B } = spec;
  const session = await ort.InferenceSession.create(buildGradGraph(spec, B, 'float64').bytes);
  const r = rng(3);
  const ids = Int32Array.from({ length: B * T }, () => Math.floor(r() * V));
  const targets = Int32Array.from(
    targetsOverride ?? Array.from({ length: B * T }, () => Math.floor(r() * V)),
  );
  targets[4] = -1; // an ignored position
  const feeds: Feeds = {
    [FEED.ids]: new ort.Tensor('int32', ids, [B, T]),
    [FEED.targets]: new ort.Tensor('int32', targets, [B, T]),
    [FEED.gamma]: new ort.Tensor('float64', new Float64Array([gamma]), []),
  };
  const init = initialParams(spec, 7);
  for (const p of paramList(spec)) {
    // perturb gains and biases away from 1 and 0 so their gradients are generic
    const a = Float64Array.from(init[p.name]!, (x) => x + 0.1 * (r() - 0.5));
    feeds[p.name] = new ort.Tensor('float64', a, p.shape);
  }
  return { spec, session, feeds };
}

describe('whole GPT loss gradient (float64, finite differences)', () => {
  for (const tie of [false, true]) {
    it(`matches for every parameter (tied embeddings: ${tie})`, async () => {
      const { spec, session, feeds } = await setup(tie, 2);
      const out = await session.run(feeds);
      for (const p of paramList(spec)) {
        const analytic = out[gradName(p.name)]!.data as Float64Array;
        expect(analytic.length).toBe(numel(p.shape));
        const numeric = await numericGradient(session, feeds, p.name, OUTPUT.loss);
        expect(relativeError(analytic, numeric), p.name).toBeLessThan(1e-4);
      }
    });
  }

  it('TCE: gradient matches, and masked tokens contribute exactly zero', async () => {
    // Train nothing: instead pick γ between token probabilities so some targets are masked.
    const base = await setup(false, 2);
    const logits = await base.session.run(base.feeds);
    const ce = (logits.loss!.data as Float64Array)[0]!;
    // γ tiny: every valid target has p > γ → all masked → loss and all gradients exactly 0.
    const all = await setup(false, 1e-9);
    const outAll = await all.session.run(all.feeds);
    expect((outAll.loss!.data as Float64Array)[0]).toBe(0);
    for (const p of paramList(all.spec))
      expect(Array.from(outAll[gradName(p.name)]!.data as Float64Array).every((x) => x === 0)).toBe(true);
    // γ in the middle: loss is below CE, gradient still matches finite differences.
    const mid = await setup(false, 1 / 11);
    const outMid = await mid.session.run(mid.feeds);
    const tce = (outMid.loss!.data as Float64Array)[0]!;
    expect(tce).toBeGreaterThan(0);
    expect(tce).toBeLessThan(ce);
    const name = 'h0.w_qkv';
    const numeric = await numericGradient(mid.session, mid.feeds, name, OUTPUT.loss);
    expect(relativeError(outMid[gradName(name)]!.data as Float64Array, numeric)).toBeLessThan(1e-4);
  });
});
