// The narrative line and the run-time estimate against the recorded runs shipped with the site: a
// collapse run (stages A → B → C) and an anchored one (stage A throughout).
import { describe, expect, it } from 'vitest';
import { narrate } from '../../src/app/narrative.ts';
import { costModel, estimateMs, loadSpeed, roughly, saveSpeed } from '../../src/app/state/estimate.ts';
import { presetConfig } from '../../src/app/state/url-config.ts';
import type { RunRecord } from '../../src/sim/record.ts';
import { recordedRun } from '../helpers/recorded-runs.ts';

const collapse = recordedRun('collapse');
const anchored = recordedRun('anchored');
const pct = (x: number | null) => `${Math.round(x! * 100)}%`;

describe('the narrative line', () => {
  it('says nothing before generation 0 and describes generation 0 on its own', () => {
    expect(narrate([])).toBe('');
    const g0 = collapse.generations[0]!;
    expect(narrate([g0])).toBe(
      `Generation 0, trained on real text: it answers ${pct(g0.metrics.accuracy)} of the probe questions right, and ${pct(g0.metrics.fluency)} of sentences are grammatical. Stage A: knowledge preserved.`,
    );
  });

  it('names every generation’s stage in words, with its own numbers against generation 0', () => {
    const words = { A: 'knowledge preserved', B: 'knowledge collapse', C: 'fluency collapse' };
    for (const run of [collapse, anchored])
      run.generations.forEach((g, i) => {
        if (i === 0) return;
        const line = narrate(run.generations.slice(0, i + 1));
        expect(line).toMatch(new RegExp(`^Generation ${g.generation}: `));
        expect(line).toContain(words[g.stage]);
        for (const other of ['A', 'B', 'C'] as const)
          if (other !== g.stage) expect(line).not.toContain(words[other]);
        expect(line).toContain(
          `accuracy ${pct(g.metrics.accuracy)} (${pct(run.generations[0]!.metrics.accuracy)} at generation 0)`,
        );
        expect(line).toContain(`${pct(g.metrics.fluency)} of sentences`);
      });
    // The collapse run: B from generation 2 (accuracy 54% < 0.7 × 78%), C from generation 9.
    expect(collapse.generations.map((g) => g.stage).join('')).toBe('AABBBBBBBCCCCCC');
    expect(narrate(collapse.generations.slice(0, 6))).toBe(
      'Generation 5: accuracy 40% (78% at generation 0) while 74% of sentences are still grammatical — knowledge collapse since generation 2: fluent, but wrong.',
    );
    expect(narrate(collapse.generations)).toMatch(
      /^Generation 14: only 56% of sentences are grammatical \(94% at generation 0\); accuracy 34% \(78% at generation 0\) — fluency collapse since generation 9: /,
    );
    // The anchored run never leaves stage A, and says so.
    expect(narrate(anchored.generations)).toMatch(
      /— knowledge preserved: still close to what generation 0 knew\.$/,
    );
  });

  it('talks of fluency, not grammar, on your own corpus, and of diversity for a count model', () => {
    const two = collapse.generations.slice(0, 2);
    expect(narrate(two, { userCorpus: true })).toContain('of samples read as fluent');
    expect(narrate(two, { userCorpus: true })).not.toContain('grammatical');
    const [g0, g1] = two.map((g) => Number(g.metrics.giniSimpson!.toPrecision(3)));
    expect(narrate(two.slice(0, 1), { countModel: true })).toMatch(
      /^Generation 0, a count model .* differ is /,
    );
    expect(narrate(two, { countModel: true })).toBe(
      `Generation 1: the chance that two words of its text differ is ${g1} (${g0} at generation 0) — a count model refitted to its own text loses rare words by chance alone.`,
    );
  });

  it('says fluency is not measured on a corpus too small to judge it (no fluency from generation 0)', () => {
    const unjudged = collapse.generations
      .slice(0, 3)
      .map((g) => ({ ...g, metrics: { ...g.metrics, fluency: null } }));
    const not = 'fluency is not measured (your corpus is too small to tell its text from fragments of it)';
    expect(narrate(unjudged.slice(0, 1), { userCorpus: true })).toContain(`right, and ${not}. Stage A`);
    expect(narrate(unjudged.slice(0, 2), { userCorpus: true })).toContain(
      `(78% at generation 0), and ${not} — `,
    );
    expect(narrate(unjudged, { userCorpus: true })).toContain(
      `(78% at generation 0) while ${not} — knowledge collapse`,
    );
    for (let n = 1; n <= 3; n++)
      expect(narrate(unjudged.slice(0, n), { userCorpus: true })).not.toContain('–');
    // the fact world always judges fluency: no such line there
    expect(narrate(unjudged, {})).not.toContain(not);
  });

  it('on plain text it cannot judge, gives the variety and perplexity that show a collapse, never a stage', () => {
    // Plain text probes no facts and, unjudged, has no fluency: every generation is stage A, which
    // must not read as "knowledge preserved". A degenerating run (its samples repeat word pairs, its
    // real-text perplexity climbs) and a steady one, built from the collapse run's records.
    const plain = (g: (typeof collapse.generations)[number], distinct2: number, realPerplexity: number) => ({
      ...g,
      stage: 'A' as const,
      metrics: { ...g.metrics, accuracy: null, fluency: null, distinct2, realPerplexity },
    });
    const [g0, g1, g2] = collapse.generations;
    const degenerating = [plain(g0!, 0.5, 5.1), plain(g1!, 0.38, 7.9), plain(g2!, 0.29, 12.3)];
    const line = narrate(degenerating, { userCorpus: true });
    expect(line).toBe(
      'Generation 2: fluency is not measured (your corpus is too small to tell its text from fragments of it); its word-pair variety (distinct-2) 0.29, perplexity on your held-out text 12.3 (0.5 and 5.1 at generation 0) — no stage can mark a collapse here: falling variety and rising perplexity are the signs of it.',
    );
    expect(narrate(degenerating.slice(0, 1), { userCorpus: true })).toMatch(
      /^Generation 0, trained on your text: fluency is not measured .*no stage can mark a collapse; watch its word-pair variety \(distinct-2\) 0\.5, perplexity on your held-out text 5\.1\.$/,
    );
    for (let n = 1; n <= 3; n++) {
      const words = narrate(degenerating.slice(0, n), { userCorpus: true });
      expect(words).not.toContain('knowledge preserved');
      expect(words).not.toContain('still close to');
      expect(words).not.toContain('–');
    }
    const steady = [plain(g0!, 0.5, 5.1), plain(g1!, 0.5, 5.2)];
    expect(narrate(steady, { userCorpus: true })).toContain(
      '0.5, perplexity on your held-out text 5.2 (0.5 and 5.1 at generation 0)',
    );
  });
});

describe('the run-time estimate', () => {
  const sum = (r: RunRecord) =>
    r.generations.reduce((a, { timings: t }) => a + t.trainMs + t.sampleMs + t.evalMs, 0);

  it('gives back the time of the run it was fitted to, and scales with the work', () => {
    const tiny = costModel(collapse)!;
    expect(estimateMs(collapse.config, tiny)).toBeCloseTo(sum(collapse), 0);
    const nano = costModel(recordedRun('quick'))!;
    expect(estimateMs(presetConfig('quick'), nano)).toBeCloseTo(sum(recordedRun('quick')), 0);
    // 29 later generations instead of 14 (30 generations in all instead of 15): generation 0's training
    // once, later training × 29/14, sampling and evaluation (every generation) × 2.
    const t = (k: 'trainMs' | 'sampleMs' | 'evalMs', from = 0) =>
      collapse.generations.slice(from).reduce((a, g) => a + g.timings[k], 0);
    const doubled = estimateMs({ ...collapse.config, generations: 29 }, tiny);
    expect(doubled).toBeCloseTo(
      collapse.generations[0]!.timings.trainMs +
        (t('trainMs', 1) * 29) / 14 +
        2 * (t('sampleMs') + t('evalMs')),
      0,
    );
    // Another run of the same model, timed on the same machine: within 20% (the anchored run).
    expect(Math.abs(estimateMs(anchored.config, tiny) / sum(anchored) - 1)).toBeLessThan(0.2);
  });

  it('remembers how fast this browser was against the model, per model and backend', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    const tiny = costModel(collapse)!;
    expect(loadSpeed(storage, 'tiny', 'wasm')).toBeNull();
    // A run that took twice as long as predicted.
    const slow = {
      ...anchored,
      generations: anchored.generations.map((g) => ({
        ...g,
        timings: {
          trainMs: g.timings.trainMs * 2,
          sampleMs: g.timings.sampleMs * 2,
          evalMs: g.timings.evalMs * 2,
        },
      })),
    };
    const speed = saveSpeed(storage, slow, 'wasm', tiny)!;
    expect(speed).toBeCloseTo((2 * sum(anchored)) / estimateMs(anchored.config, tiny), 6);
    expect(loadSpeed(storage, 'tiny', 'wasm')).toBe(speed);
    expect(loadSpeed(storage, 'tiny', 'webgpu')).toBeNull();
    expect(
      saveSpeed(storage, { ...slow, generations: slow.generations.slice(0, 1) }, 'wasm', tiny),
    ).toBeNull();
  });

  it('says a duration only as precisely as an estimate is', () => {
    expect([1000, 43_000, 59_000, 61_000, 261_000, 7_170_000, 7_900_000].map(roughly)).toEqual([
      '5 s',
      '45 s',
      '1 min',
      '1 min',
      '4 min',
      '2 h',
      '2 h 10 min',
    ]);
  });
});
