import { describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../src/sim/config.ts';
import {
  closeTo,
  combineVerdicts,
  compare,
  formatOnsets,
  meanSeries,
  onset,
  pairBySeed,
  summarize,
} from '../../src/sim/finding-stats.ts';
import { armConfig, findingById, findings, findingSeeds, type ArmRuns } from '../../src/sim/findings.ts';
import { resolveConfig } from '../../src/sim/presets.ts';
import type { GenerationMetrics, GenerationRecord, RunRecord } from '../../src/sim/record.ts';
import { createRecord } from '../../src/sim/record.ts';
import { Simulation } from '../../src/sim/simulation.ts';

type Stage = GenerationRecord['stage'];

/** A generation whose metrics are null except those given. */
function gen(
  g: number,
  m: Partial<GenerationMetrics>,
  stage: Stage = 'A',
  analytic?: GenerationRecord['analytic'],
): GenerationRecord {
  const metrics: GenerationMetrics = {
    accuracy: null,
    accuracyByFormat: {},
    accuracyByPopularity: { head: null, torso: null, tail: null },
    answerConfidence: null,
    confidentlyWrongRate: null,
    ece: null,
    realPerplexity: null,
    modelEntropy: null,
    sampleEntropy: null,
    corpusEntropy: null,
    distinct1: null,
    distinct2: null,
    typeTokenRatio: null,
    giniSimpson: null,
    supportSize: null,
    fluency: null,
    hallucinationRate: null,
    gen0Perplexity: { mean: null, histogram: { edges: [1, 10, 100, 1000], counts: [0, 0, 0] } },
    weightDistance: null,
    ...m,
  };
  return {
    generation: g,
    stage,
    metrics,
    ...(analytic ? { analytic } : {}),
    losses: [],
    samples: [],
    probes: [],
    timings: { trainMs: 0, sampleMs: 0, evalMs: 0 },
  };
}

/** A run of `seed` with one generation per entry of `values` (metric `key`). */
function run(
  seed: number,
  key: keyof GenerationMetrics,
  values: number[],
  extra: Partial<Config> = {},
  stages?: Stage[],
): RunRecord {
  const r = createRecord(
    { ...defaultConfig, seed, generations: values.length - 1, ...extra },
    { backend: 'node', backendReason: 'test', versions: {} },
  );
  r.generations = values.map((x, g) => gen(g, { [key]: x }, stages?.[g] ?? 'A'));
  r.status = 'done';
  return r;
}

describe('finding statistics', () => {
  it('summarize: mean, sample sd, standard error; non-finite values left out', () => {
    const s = summarize([1, 2, 3, null, NaN]);
    expect(s.n).toBe(3);
    expect(s.mean).toBe(2);
    expect(s.sd).toBeCloseTo(1, 12);
    expect(s.se).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect([s.min, s.max]).toEqual([1, 3]);
    expect(summarize([5]).sd).toBe(0);
    expect(summarize([]).n).toBe(0);
  });

  it('compare: holds, mixed and does not hold by margin and consistency', () => {
    expect(compare('x', [0.2, 0.3, 0.25], 0.1).verdict).toBe('holds');
    expect(compare('x', [0.2, 0.3, 0.25, 0.3, -0.1], 0.1).verdict).toBe('holds'); // 4 of 5
    expect(compare('x', [0.3, 0.3, -0.1], 0.1).verdict).toBe('mixed'); // 2 of 3 < 80%
    expect(compare('x', [0.07, 0.07, 0.07], 0.1).verdict).toBe('mixed'); // below the margin, above half
    expect(compare('x', [0.02, 0.03, 0.04], 0.1).verdict).toBe('does not hold'); // below half the margin
    expect(compare('x', [-0.2, -0.3, 0.1], 0.1).verdict).toBe('does not hold');
    expect(compare('x', [], 0.1).verdict).toBe('does not hold');
    expect(compare('x', [0.2, -0.1, 0.3], 0.1).wins).toBe(2);
  });

  it('closeTo: within 3 standard errors of the closed form, at least 2 seeds', () => {
    expect(closeTo('x', [0.01, -0.01, 0.02, -0.02]).verdict).toBe('holds');
    expect(closeTo('x', [1.01, 0.99, 1.02, 0.98]).verdict).toBe('does not hold');
    expect(closeTo('x', [0]).verdict).toBe('does not hold');
    const c = closeTo('x', [1, 2, 3]);
    expect(c.margin).toBeCloseTo(3 / Math.sqrt(3), 12);
  });

  it('combineVerdicts', () => {
    expect(combineVerdicts(['holds', 'holds'])).toBe('holds');
    expect(combineVerdicts(['holds', 'does not hold'])).toBe('mixed');
    expect(combineVerdicts(['does not hold', 'does not hold'])).toBe('does not hold');
    expect(combineVerdicts(['mixed'])).toBe('mixed');
  });

  it('onset: first generation ≥ 1 that meets the test, else censored one past the last', () => {
    const r = run(1, 'accuracy', [0.8, 0.7, 0.5, 0.4]);
    expect(onset(r, (g) => (g.metrics.accuracy ?? 1) < 0.6)).toEqual({ generation: 2, censored: false });
    expect(onset(r, () => false)).toEqual({ generation: 4, censored: true });
    expect(formatOnsets([{ generation: 4, censored: true }], 3)).toBe('none within 3');
    expect(
      formatOnsets(
        [
          { generation: 2, censored: false },
          { generation: 4, censored: true },
        ],
        3,
      ),
    ).toMatch(/^3\.0 ± 1\.4 \(1 of 2 seeds/);
  });

  it('pairBySeed keeps only seeds both arms ran, in seed order; meanSeries averages per generation', () => {
    const a = [run(2, 'accuracy', [1, 0]), run(1, 'accuracy', [1, 1]), run(3, 'accuracy', [0, 0])];
    const b = [run(1, 'accuracy', [0, 0]), run(2, 'accuracy', [1, 1])];
    expect(pairBySeed(a, b).map(([x, y]) => [x.config.seed, y.config.seed])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(meanSeries(a, (g) => g.metrics.accuracy)).toEqual([
      [0, 2 / 3],
      [1, 1 / 3],
    ]);
  });
});

describe('findings: evaluations on hand-made records', () => {
  const seeds = [1, 2, 3];

  it('accumulate: holds when replace ends with higher real-text perplexity in every seed, not when swapped', () => {
    const f = findingById('accumulate')!;
    const runs = (rep: number, acc: number): ArmRuns => ({
      replace: seeds.map((s) => run(s, 'realPerplexity', [4, 5, rep + s / 100])),
      accumulate: seeds.map((s) => run(s, 'realPerplexity', [4, 4.5, acc])),
    });
    const good = f.evaluate(runs(7, 5));
    expect(good.verdict).toBe('holds');
    expect(good.comparisons[0]!.effect.mean).toBeCloseTo(2.02, 10);
    expect(good.reason).toBeUndefined();
    const bad = f.evaluate(runs(5, 7));
    expect(bad.verdict).toBe('does not hold');
    expect(bad.reason).toMatch(/direction in 0 of 3 seeds/);
  });

  it('keep-real needs the direction and, for "only minor", at least half the rise removed', () => {
    const f = findingById('keep-real')!;
    const runs = (rise10: number): ArmRuns => ({
      'real-0': seeds.map((s) => run(s, 'realPerplexity', [4, 5, 6 + s / 100])),
      'real-10-fresh': seeds.map((s) => run(s, 'realPerplexity', [4, 4.2, 4 + rise10])),
      'real-10': seeds.map((s) => run(s, 'realPerplexity', [4, 5, 6])), // beside it: does not decide
    });
    expect(f.evaluate(runs(0.5)).verdict).toBe('holds');
    const slight = f.evaluate(runs(1.7)); // 0.3 less rise: the direction, but most of the rise is left
    expect(slight.comparisons.map((c) => c.verdict)).toEqual(['holds', 'does not hold']);
    expect(slight.verdict).toBe('mixed');
    expect(f.evaluate(runs(2.5)).verdict).toBe('does not hold');
  });

  it('domain-specific and TCE count generations until collapse, censored runs included', () => {
    const dom = findingById('domain-specific')!;
    const general = seeds.map((s) => run(s, 'accuracy', [0.8, 0.7, 0.5, 0.4])); // below 0.56 at 2
    const domain = seeds.map((s) => run(s, 'accuracy', [0.8, 0.8, 0.75, 0.7])); // never: counted 4
    const o = dom.evaluate({ general, domain });
    expect(o.verdict).toBe('holds');
    expect(o.comparisons[0]!.effect.mean).toBe(2);
    expect(o.measured).toMatch(/domain-specific none within 3/);
    const tce = findingById('tce')!;
    const ce = seeds.map((s) => run(s, 'accuracy', [0.8, 0.7, 0.5], {}, ['A', 'B', 'B']));
    const t = seeds.map((s) => run(s, 'accuracy', [0.8, 0.7, 0.5], {}, ['A', 'B', 'C']));
    expect(tce.evaluate({ ce, tce: t }).verdict).toBe('does not hold');
  });

  it('sampling bias needs lower diversity and no loss of fluency for both truncations', () => {
    const f = findingById('sampling-bias')!;
    const mk = (d2: number, fl: number) =>
      seeds.map((s) => {
        const r = run(s, 'distinct2', [0.3, d2]);
        r.generations[1]!.metrics.fluency = fl;
        return r;
      });
    expect(f.evaluate({ t1: mk(0.3, 0.5), t07: mk(0.15, 0.7), p08: mk(0.16, 0.7) }).verdict).toBe('holds');
    expect(f.evaluate({ t1: mk(0.3, 0.5), t07: mk(0.15, 0.4), p08: mk(0.16, 0.4) }).verdict).toBe('mixed');
  });

  it('n-gram drift compares residuals against the closed form', () => {
    const f = findingById('ngram-drift')!;
    const mk = (offset: number) =>
      Array.from({ length: 5 }, (_, i) => {
        const r = run(i + 1, 'giniSimpson', [0.9, 0.8]);
        const jitter = (i - 2) * 0.001;
        r.generations[0]!.metrics.corpusEntropy = 4;
        r.generations[1]!.metrics.corpusEntropy = 3.5 + offset + jitter;
        r.generations[1]!.metrics.giniSimpson = 0.8 + jitter;
        r.generations[1]!.analytic = { giniSimpson: 0.8, entropy: 3.5 };
        return r;
      });
    expect(f.evaluate({ unigram: mk(0) }).verdict).toBe('holds');
    const off = f.evaluate({ unigram: mk(-0.2) });
    expect(off.verdict).toBe('mixed'); // Gini-Simpson agrees, entropy does not
    expect(off.comparisons.map((c) => c.verdict)).toEqual(['holds', 'does not hold']);
  });

  it('knowledge collapse compares the accuracy drop at α = 1 with α = 0.25 and reports stages and formats', () => {
    const f = findingById('knowledge-collapse')!;
    const mk = (end: number, stages: Stage[]) =>
      seeds.map((s) => {
        const r = run(s, 'accuracy', [0.7, 0.6, end], {}, stages);
        r.generations.forEach(
          (g) => (g.metrics.accuracyByFormat = { qa: g.metrics.accuracy, declarative: 0.7 }),
        );
        return r;
      });
    const o = f.evaluate({
      'alpha-0.25': mk(0.65, ['A', 'A', 'A']),
      'alpha-0.5': mk(0.5, ['A', 'A', 'B']),
      'alpha-1': mk(0.3, ['A', 'B', 'C']),
    });
    expect(o.verdict).toBe('holds');
    expect(o.comparisons[0]!.effect.mean).toBeCloseTo(0.35, 10);
    expect(o.details.join('\n')).toMatch(/α = 1: stage B or later reached in 3 of 3 seeds/);
    expect(o.details.join('\n')).toMatch(
      /qa 0\.70 → 0\.30, below 70% of its start at generation 2\.0 ± 0\.0; declarative 0\.70 → 0\.70, below 70% of its start at generation none within 2/,
    );
  });
});

describe('the findings list', () => {
  it('has unique ids, and every arm resolves to a valid config at both scales', () => {
    expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
    for (const f of findings)
      for (const scale of ['full', 'fast'] as const)
        for (const a of f.arms) expect(armConfig(f, a.id, scale, 7).seed).toBe(7);
  });

  it('arms of one finding differ only in the settings they name (one lever)', () => {
    for (const f of findings) {
      const named = new Set(f.arms.flatMap((a) => Object.keys(a.settings)));
      const configs = f.arms.map((a) => armConfig(f, a.id, 'full', 1));
      for (const c of configs.slice(1))
        for (const key of Object.keys(c) as (keyof Config)[])
          if (c[key] !== configs[0]![key]) expect(named.has(key), `${f.id}: ${key}`).toBe(true);
    }
  });

  it('the n-gram finding runs at least 10 seeds', () => {
    expect(findingSeeds(findingById('ngram-drift')!, 3)).toHaveLength(10);
    expect(findingSeeds(findingById('accumulate')!, 3)).toEqual([1, 2, 3]);
  });
});

describe("the count model's closed forms use the sample size the metrics see", () => {
  it('N of each refit is the number of word tokens the previous generation wrote (mid-document <bos> left out)', async () => {
    // Every document written is also measured (documentsPerGeneration ≤ the 256 metric samples), so
    // the N implied by the entropy closed form, (K − 1) / (2 (H_prev − H_pred)), must equal the word
    // count of the previous generation's rank-frequency curve.
    const r = resolveConfig('ngram', {
      generations: 4,
      realDocuments: 100,
      documentsPerGeneration: 60,
      probeFacts: 5,
      heldOutDocuments: 5,
    });
    if (!r.ok) throw new Error('config');
    const sim = await Simulation.create({
      config: r.config,
      createEngine: () => Promise.reject(new Error('n-gram only')),
    });
    const record = await sim.run();
    await sim.dispose();
    for (const g of record.generations.slice(1)) {
      const prev = record.generations[g.generation - 1]!;
      const words = prev.rankFrequency!.reduce((a, b) => a + b, 0);
      const implied =
        (prev.metrics.supportSize! - 1) / (2 * (prev.metrics.corpusEntropy! - g.analytic!.entropy!));
      expect(implied / words).toBeCloseTo(1, 6);
    }
  });
});
