import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/engine/node.ts';
import { ngramSpec } from '../../src/model/spec.ts';
import {
  expectedEntropyAfter,
  expectedGiniSimpson,
  survivalProbability,
} from '../../src/sim/closed-forms.ts';
import { giniSimpson, mean, std, unigramEntropy } from '../../src/sim/metrics.ts';

describe('closed forms', () => {
  it('by hand', () => {
    expect(expectedGiniSimpson(0.5, 10, 2)).toBeCloseTo(0.405, 12);
    expect(expectedGiniSimpson(0.5, 10, 0)).toBe(0.5);
    expect(expectedEntropyAfter(1, 5, 10)).toBeCloseTo(0.8, 12);
    expect(expectedEntropyAfter(0.01, 5, 10)).toBe(0);
    expect(survivalProbability(3, 3)).toBeCloseTo(1 - Math.exp(-1), 12);
    // 0.8 · (3/4)³ = 0.8 · 27/64; 2 − (11 − 1)/(2 · 50)
    expect(expectedGiniSimpson(0.8, 4, 3)).toBeCloseTo(0.3375, 12);
    expect(expectedEntropyAfter(2, 11, 50)).toBeCloseTo(1.9, 12);
  });

  // Refit a categorical on N of its own samples, generation after generation (Wright-Fisher drift),
  // with the n-gram model's unigram mode (add-k 0 = maximum likelihood) and its sampler.
  const initial = [16, 8, 6, 4, 3, 2, 1]; // K = 7
  const total = initial.reduce((a, b) => a + b, 0);
  const unigram = (contextLength: number) =>
    ngramSpec(initial.length, { order: 1, addK: 0, contextLength, batchSize: 1 });
  async function drift(
    N: number,
    generations: number,
    seed: number,
  ): Promise<{ gini: number[]; entropy: number[] }> {
    // Generation 0 counts `initial`: one window of every token its number of times.
    const start = await createNodeEngine({ spec: unigram(total), seed });
    const targets = Int32Array.from(initial.flatMap((c, tok) => Array<number>(c).fill(tok)));
    await start.trainStep({ inputs: new Int32Array(total), targets, batchSize: 1 });
    const fit = await createNodeEngine({ spec: unigram(N), seed });
    await fit.setWeights(await start.getWeights());
    const gini: number[] = [];
    const entropy: number[] = [];
    const ctx = Array.from({ length: N }, () => [0]);
    for (let t = 1; t <= generations; t++) {
      const { tokens } = await fit.sample(ctx);
      await fit.reset(seed);
      await fit.trainStep({ inputs: new Int32Array(N), targets: tokens, batchSize: 1 });
      gini.push(giniSimpson(tokens));
      entropy.push(unigramEntropy(tokens));
    }
    return { gini, entropy };
  }
  const p0 = initial.map((c) => c / total);
  const d0 = 1 - p0.reduce((a, p) => a + p * p, 0);
  const h0 = -p0.reduce((a, p) => a + p * Math.log(p), 0);

  it('Monte Carlo: mean Gini-Simpson follows D₀(1 − 1/N)^t', async () => {
    const N = 20;
    const T = 8;
    const runs = await Promise.all(Array.from({ length: 600 }, (_, s) => drift(N, T, 1000 + s)));
    for (const t of [1, 4, 8]) {
      const d = runs.map((r) => r.gini[t - 1]!);
      const se = std(d, 1) / Math.sqrt(d.length);
      expect(Math.abs(mean(d) - expectedGiniSimpson(d0, N, t)), `t = ${t}`).toBeLessThan(4 * se);
    }
    // the drift is real: after 8 generations diversity is clearly below D₀
    expect(mean(runs.map((r) => r.gini[T - 1]!))).toBeLessThan(0.8 * d0);
  });

  it('Monte Carlo: one refit loses about (K − 1)/(2N) nats (Miller-Madow)', async () => {
    const N = 100;
    const runs = await Promise.all(Array.from({ length: 600 }, (_, s) => drift(N, 1, 5000 + s)));
    const h = runs.map((r) => r.entropy[0]!);
    const se = std(h, 1) / Math.sqrt(h.length);
    // O(1/N²) terms of the expansion are ≈ 0.001 here
    expect(Math.abs(mean(h) - expectedEntropyAfter(h0, initial.length, N))).toBeLessThan(4 * se + 0.002);
  });
});
