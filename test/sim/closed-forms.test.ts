import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/engine/node.ts';
import { ngramSpec } from '../../src/model/spec.ts';
import {
  expectedGiniSimpson,
  expectedPluginEntropy,
  survivalProbability,
} from '../../src/sim/closed-forms.ts';
import { entropyOfWeights, giniSimpson, mean, std, unigramEntropy } from '../../src/sim/metrics.ts';
import { deriveRng } from '../../src/world/rng.ts';

describe('closed forms', () => {
  it('by hand', () => {
    expect(expectedGiniSimpson(0.5, 10, 2)).toBeCloseTo(0.405, 12);
    expect(expectedGiniSimpson(0.5, 10, 0)).toBe(0.5);
    expect(survivalProbability(3, 3)).toBeCloseTo(1 - Math.exp(-1), 12);
    // 0.8 · (3/4)³ = 0.8 · 27/64
    expect(expectedGiniSimpson(0.8, 4, 3)).toBeCloseTo(0.3375, 12);
    // two fair coins: entropy ln 2 with probability 1/2, else 0
    expect(expectedPluginEntropy([1, 1], 2)).toBeCloseTo(Math.LN2 / 2, 15);
    // one draw always has entropy 0; one symbol too
    expect(expectedPluginEntropy([3, 5, 2], 1)).toBe(0);
    expect(expectedPluginEntropy([7], 40)).toBe(0);
    expect(expectedPluginEntropy([0, 0], 5)).toBeNaN();
    expect(expectedPluginEntropy([1, 2], 0)).toBeNaN();
  });

  // Σ over every multinomial outcome (k₁, k₂, k₃) of its probability times its plug-in entropy.
  function enumerated(p: readonly number[], M: number): number {
    const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
    let e = 0;
    for (let a = 0; a <= M; a++)
      for (let b = 0; a + b <= M; b++) {
        const k = [a, b, M - a - b];
        const prob = k.reduce((acc, ki, i) => (acc * p[i]! ** ki) / fact(ki), fact(M));
        e += prob * entropyOfWeights(k);
      }
    return e;
  }

  it('exact expected plug-in entropy: equals the sum over all outcomes (K = 3, M = 4)', () => {
    expect(expectedPluginEntropy([5, 3, 2], 4)).toBeCloseTo(enumerated([0.5, 0.3, 0.2], 4), 14);
    // equal weights are summed once and counted twice
    expect(expectedPluginEntropy([2, 2, 1], 4)).toBeCloseTo(enumerated([0.4, 0.4, 0.2], 4), 14);
    expect(expectedPluginEntropy([1, 1, 1], 7)).toBeCloseTo(enumerated([1 / 3, 1 / 3, 1 / 3], 7), 14);
  });

  it('exact expected plug-in entropy: Monte Carlo mean of the plug-in entropy of M draws', () => {
    const w = [16, 8, 6, 4, 3, 2, 1];
    const cum: number[] = [];
    w.reduce((a, x) => (cum.push(a + x), a + x), 0);
    const total = cum.at(-1)!;
    const rng = deriveRng(7, 'closed-forms');
    const M = 12;
    const h = Array.from({ length: 20000 }, () =>
      unigramEntropy(
        Array.from({ length: M }, () => {
          const u = rng.next() * total;
          return cum.findIndex((c) => c > u);
        }),
      ),
    );
    const se = std(h, 1) / Math.sqrt(h.length);
    expect(Math.abs(mean(h) - expectedPluginEntropy(w, M))).toBeLessThan(4 * se);
    // at this M Miller–Madow is visibly off (by ≫ 4 standard errors)
    const p = w.map((x) => x / total);
    const h0 = -p.reduce((a, q) => a + q * Math.log(q), 0);
    expect(Math.abs(h0 - (w.length - 1) / (2 * M) - expectedPluginEntropy(w, M))).toBeGreaterThan(10 * se);
  });

  it("exact expected plug-in entropy: Miller–Madow's H − (K − 1)/(2M) is its large-M limit", () => {
    // E[Ĥ] = H − (K − 1)/(2M) + (1 − Σ 1/pᵢ)/(12M²) + O(M⁻³)
    const w = [5, 4, 3, 2, 1];
    const p = w.map((x) => x / 15);
    const H = -p.reduce((a, q) => a + q * Math.log(q), 0);
    const invSum = p.reduce((a, q) => a + 1 / q, 0);
    for (const M of [1e4, 1e5]) {
      const exact = expectedPluginEntropy(w, M);
      const millerMadow = H - (w.length - 1) / (2 * M);
      const second = (1 - invSum) / (12 * M * M);
      expect(Math.abs(exact - millerMadow - second), `M = ${M}`).toBeLessThan(0.05 * Math.abs(second));
    }
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

  it("Monte Carlo: the engine's N samples have the exact expected plug-in entropy", async () => {
    const N = 30;
    const runs = await Promise.all(Array.from({ length: 600 }, (_, s) => drift(N, 1, 5000 + s)));
    const h = runs.map((r) => r.entropy[0]!);
    const se = std(h, 1) / Math.sqrt(h.length);
    expect(Math.abs(mean(h) - expectedPluginEntropy(initial, N))).toBeLessThan(4 * se);
    // and below the distribution's own entropy: the plug-in estimate is biased down
    expect(expectedPluginEntropy(initial, N)).toBeLessThan(h0 - 0.05);
  });
});
