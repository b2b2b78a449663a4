import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/engine/node.ts';
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
} from '../../src/findings/stats.ts';
import { armConfig, findingById, findings, findingSeeds, type ArmRuns } from '../../src/findings/findings.ts';
import { resolveConfig } from '../../src/sim/presets.ts';
import type { GenerationMetrics, GenerationRecord, RunRecord } from '../../src/sim/record.ts';
import { createRecord } from '../../src/sim/record.ts';
import { RunController } from '../../src/sim/run-controller.ts';
import { expectedPluginEntropy } from '../../src/sim/closed-forms.ts';
import { IGNORE_TARGET } from '../../src/engine/types.ts';
import { BOS, EOS, PAD } from '../../src/world/tokenizer.ts';

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
    // At the paper's α = 0.5 the domain loop collapses one generation later: 1, a margin of 1 → holds.
    const general05 = seeds.map((s) => run(s, 'accuracy', [0.8, 0.5, 0.4, 0.4])); // at 1
    const domain05 = seeds.map((s) => run(s, 'accuracy', [0.8, 0.7, 0.5, 0.4])); // at 2
    const o = dom.evaluate({ general, domain, 'general-0.5': general05, 'domain-0.5': domain05 });
    expect(o.verdict).toBe('holds');
    expect(o.comparisons.map((c) => c.label)).toEqual([
      'generations until collapse, domain-specific − general (α = 0.5)',
      'generations until collapse, domain-specific − general (α = 1)',
    ]);
    expect(o.comparisons.map((c) => c.effect.mean)).toEqual([1, 2]);
    expect(o.measured).toMatch(/α = 1: general 2\.0 ± 0\.0, domain-specific none within 3/);
    // the same loops at α = 0.5: no difference there, so only α = 1 holds
    const same = dom.evaluate({ general, domain, 'general-0.5': general05, 'domain-0.5': general05 });
    expect(same.comparisons.map((c) => c.verdict)).toEqual(['does not hold', 'holds']);
    expect(same.verdict).toBe('mixed');
    // neither loop collapses at α = 0.5 within the run: the onset cannot decide, and the page says so
    const held = seeds.map((s) => run(s, 'accuracy', [0.8, 0.75, 0.7, 0.64]));
    const better = seeds.map((s) => run(s, 'accuracy', [0.8, 0.8, 0.78, 0.76]));
    const censored = dom.evaluate({ general, domain, 'general-0.5': held, 'domain-0.5': better });
    expect(censored.details).toEqual([
      'At α = 0.5 no loop fell below 70% of generation 0’s accuracy within 3 generations, so the onset ' +
        'cannot decide there; last accuracy, domain-specific − general: +0.12 ± 0.00.',
    ]);
    expect(o.details).toEqual([]);
    const tce = findingById('tce')!;
    const ce = seeds.map((s) => run(s, 'accuracy', [0.8, 0.7, 0.5], {}, ['A', 'B', 'B']));
    const t = seeds.map((s) => run(s, 'accuracy', [0.8, 0.7, 0.5], {}, ['A', 'B', 'C']));
    expect(tce.evaluate({ ce, tce: t }).verdict).toBe('does not hold');
    // TCE at γ = 0.9 holds off collapse one generation longer in every seed; γ = 0.99 masks nothing.
    const masked = (share99: number, share9: number) => (r: RunRecord) => {
      r.generations.forEach((g) => (g.metrics.confidentTargets = { '0.9': share9, '0.99': share99 }));
      return r;
    };
    const ce2 = ce.map(masked(0, 0.4));
    const t99 = ce.map((r) => masked(0, 0.4)(structuredClone(r)));
    const t9 = seeds.map((s) => masked(0, 0.2)(run(s, 'accuracy', [0.8, 0.7, 0.5], {}, ['A', 'A', 'B'])));
    const o2 = tce.evaluate({ ce: ce2, tce: t99, 'tce-0.9': t9 });
    expect(o2.comparisons.map((c) => c.verdict)).toEqual(['does not hold', 'holds']);
    expect(o2.verdict).toBe('mixed');
    expect(o2.details.join(' ')).toMatch(
      /cross-entropy: 0\.0% at γ = 0\.99, 40\.0% at γ = 0\.9; TCE \(γ = 0\.99\): 0\.0% at γ = 0\.99, 40\.0% at γ = 0\.9; TCE \(γ = 0\.9\): 0\.0% at γ = 0\.99, 20\.0% at γ = 0\.9/,
    );
  });

  it('rare facts: holds when tail accuracy collapses before head accuracy, not when the head goes first', () => {
    const f = findingById('rare-facts')!;
    /** Head and tail accuracy per generation. */
    const mk = (head: number[], tail: number[], seed: number) => {
      const r = run(seed, 'accuracy', head);
      r.generations.forEach((g, i) => {
        g.metrics.accuracyByPopularity = { head: head[i]!, torso: null, tail: tail[i]! };
      });
      return r;
    };
    // tails below 70% of their start (0.4 → < 0.28) at generation 1, heads (0.9 → < 0.63) at 3
    const tailsFirst = seeds.map((s) => mk([0.9, 0.85, 0.7, 0.5], [0.4, 0.25, 0.2, 0.1], s));
    const o = f.evaluate({ 'alpha-1': tailsFirst });
    expect(o.verdict).toBe('holds');
    expect(o.comparisons[0]!.effect.mean).toBe(2);
    expect(o.measured).toMatch(/tail facts 1\.0 ± 0\.0, head facts 3\.0 ± 0\.0/);
    expect(o.measured).toMatch(/Accuracy on tail facts 0\.40 ± 0\.00 → 0\.10/);
    // heads fall first, tails hold: the finding does not hold
    const headsFirst = seeds.map((s) => mk([0.9, 0.5, 0.4, 0.4], [0.4, 0.4, 0.35, 0.3], s));
    const no = f.evaluate({ 'alpha-1': headsFirst });
    expect(no.verdict).toBe('does not hold');
    // heads at 1, tails never (counted G + 1 = 4): 1 − 4
    expect(no.reason).toMatch(/head − tail: mean effect -3\.000/);
    // both fall together: no difference, does not hold
    const together = seeds.map((s) => mk([0.9, 0.5, 0.4, 0.4], [0.4, 0.2, 0.1, 0.1], s));
    expect(f.evaluate({ 'alpha-1': together }).verdict).toBe('does not hold');
    // a seed whose generation 0 knew no tail fact has nothing to lose: it is left out, and said so
    const none = [...tailsFirst.slice(0, 2), mk([0.9, 0.5, 0.4, 0.4], [0, 0, 0, 0], 3)];
    const left = f.evaluate({ 'alpha-1': none });
    expect(left.comparisons[0]!.effect.n).toBe(2);
    expect(left.details.join(' ')).toMatch(/1 of 3 seeds answered no tail fact at generation 0/);
  });

  it('confidently wrong: holds when confidence stays while accuracy falls, not when both fall together', () => {
    const f = findingById('confidently-wrong')!;
    const mk = (accuracy: number[], confidence: number[], wrong: number[]) =>
      seeds.map((s) => {
        const r = run(s, 'accuracy', accuracy);
        r.generations.forEach((g, i) => {
          g.metrics.answerConfidence = confidence[i]! + s / 1000;
          g.metrics.confidentlyWrongRate = wrong[i]!;
        });
        return r;
      });
    // built to be bad: accuracy 0.6 → 0.2 while the model stays ~0.7 sure, wrong-and-sure 0.1 → 0.5
    const bad = f.evaluate({ 'alpha-1': mk([0.6, 0.4, 0.2], [0.7, 0.7, 0.68], [0.1, 0.3, 0.5]) });
    expect(bad.verdict).toBe('holds');
    expect(bad.comparisons[0]!.effect.mean).toBeCloseTo(0.38, 10);
    expect(bad.comparisons[1]!.effect.mean).toBeCloseTo(0.4, 10);
    expect(bad.measured).toMatch(
      /accuracy 0\.60 ± 0\.00 → 0\.20 ± 0\.00, mean confidence in the answers 0\.70/,
    );
    // built to be good: confidence falls with accuracy (calibrated), confident errors stay rare
    const good = f.evaluate({ 'alpha-1': mk([0.6, 0.4, 0.2], [0.6, 0.4, 0.2], [0.05, 0.05, 0.05]) });
    expect(good.verdict).toBe('does not hold');
    expect(good.comparisons.map((c) => c.verdict)).toEqual(['does not hold', 'does not hold']);
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

  it('bigram and trigram: decided by diversity lost, drawn beside the unigram forms, with why no closed form', () => {
    const f = findingById('ngram-order')!;
    const mk = (end: number) =>
      Array.from({ length: 5 }, (_, i) => {
        const jitter = (i - 2) * 0.001;
        const r = run(i + 1, 'giniSimpson', [0.9, end + jitter]);
        r.generations[0]!.metrics.corpusEntropy = 4;
        r.generations[1]!.metrics.corpusEntropy = 3.3 + jitter;
        r.generations[1]!.analytic = { giniSimpson: 0.8, entropy: 3.5 };
        return r;
      });
    const o = f.evaluate({ bigram: mk(0.8), trigram: mk(0.85) });
    expect(o.verdict).toBe('holds');
    expect(o.comparisons.map((c) => c.effect.mean)).toEqual([0.1, 0.05].map((x) => expect.closeTo(x, 10)));
    // entropy residual −0.2 with sd 0.00158 over 5 seeds: standard error 0.000707, 282.8 of them; never deciding
    expect(o.details[1]).toMatch(
      /^Beside it, not deciding: trigram, fully synthetic: Gini-Simpson 0\.8500 ± 0\.0016 against the unigram form 0\.8000 ± 0\.0000 .*total predicted − measured loss -0\.200 ± 0\.002 nats \(282\.8 standard errors\)/,
    );
    expect(o.details.at(-1)).toMatch(/have no closed form: within each history h the refit is Wright–Fisher/);
    // no diversity lost: does not hold
    expect(f.evaluate({ bigram: mk(0.9), trigram: mk(0.9) }).verdict).toBe('does not hold');
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

describe("the count model's closed forms use the samples the model counted and the metrics see", () => {
  it('Gini-Simpson: N of each refit is the word count the previous generation wrote; entropy: exact expectation of the words measured, drawn from the word targets counted', async () => {
    // Every document written is also measured (documentsPerGeneration ≤ the 256 metric samples), so
    // the N implied by the Gini-Simpson factor, 1 / (1 − D_g / D_{g−1}), must equal the word count of
    // the previous generation's rank-frequency curve (mid-document <bos> left out).
    const r = resolveConfig('ngram', {
      generations: 4,
      realDocuments: 100,
      documentsPerGeneration: 60,
      probeFacts: 5,
      heldOutDocuments: 5,
    });
    if (!r.ok) throw new Error('config');
    // The word targets each trained engine counts between resets: one tally per generation.
    const counted: Map<number, number>[] = [];
    const sim = await RunController.create({
      config: r.config,
      createEngine: async (spec, seed) => {
        const e = await createNodeEngine({ spec, seed });
        let tally: Map<number, number> | undefined;
        const trainStep = e.trainStep.bind(e);
        const reset = e.reset.bind(e);
        e.trainStep = (batch, o) => {
          if (!tally) counted.push((tally = new Map()));
          for (const id of batch.targets)
            if (id !== IGNORE_TARGET && id !== BOS && id !== EOS && id !== PAD)
              tally.set(id, (tally.get(id) ?? 0) + 1);
          return trainStep(batch, o);
        };
        e.reset = (s) => {
          tally = undefined;
          return reset(s);
        };
        return e;
      },
    });
    const record = await sim.run();
    await sim.dispose();
    expect(counted).toHaveLength(record.generations.length);
    for (const g of record.generations.slice(1)) {
      const prev = record.generations[g.generation - 1]!;
      const words = prev.rankFrequency!.reduce((a, b) => a + b, 0);
      const implied = 1 / (1 - g.analytic!.giniSimpson! / prev.analytic!.giniSimpson!);
      expect(implied / words).toBeCloseTo(1, 6);
      const measured = g.rankFrequency!.reduce((a, b) => a + b, 0);
      expect(g.analytic!.entropy!).toBeCloseTo(
        expectedPluginEntropy(counted[g.generation]!.values(), measured),
        12,
      );
    }
  });
});
