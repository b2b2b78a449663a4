import { describe, expect, it } from 'vitest';
import { NgramEngine } from '../../src/engine/ngram.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { ngramSpec } from '../../src/model/spec.ts';
import { batches, packWindows, scoringBatches } from '../../src/sim/data.ts';
import { analyseSamples, confidentTargets, measure, type ProbeAnswer } from '../../src/sim/evaluate.ts';
import { RunController } from '../../src/sim/run-controller.ts';
import { sampleRecords } from '../../src/sim/samples.ts';
import { setupRun } from '../../src/sim/setup.ts';
import { resolveConfig } from '../../src/sim/presets.ts';
import { renderFact } from '../../src/world/formats.ts';
import { BOS, EOS } from '../../src/world/tokenizer.ts';
import type { Probe } from '../../src/world/probes.ts';

const r = resolveConfig('quick', { realDocuments: 10, heldOutDocuments: 2, probeFacts: 2 });
if (!r.ok) throw new Error('bad config');
const setup = setupRun(r.config);
const { world, tokenizer } = setup;

const probe = (format: string, bucket: string): Probe => ({ ...setup.probes[0]!, format, bucket }) as Probe;
const answer = (p: Probe, correct: boolean, probability: number): ProbeAnswer => ({
  probe: p,
  answerId: 5,
  expectedId: correct ? 5 : 6,
  correct,
  probability,
});

describe('measure(): per-generation metrics from hand-made inputs', () => {
  const fact = world.facts[0]!;
  const wrong = world.facts.find((f) => f.relation === fact.relation && f.value !== fact.value)!;
  const trueSentence = renderFact(fact, 'declarative');
  const falseSentence = renderFact({ ...fact, value: wrong.value }, 'declarative');
  const doc = [BOS, ...tokenizer.encode([...trueSentence, ...falseSentence, 'the', 'the', '.']), EOS];
  const samples = analyseSamples(world, tokenizer, [doc]);
  const answers = [
    answer(probe('qa', 'head'), true, 0.9),
    answer(probe('qa', 'tail'), false, 0.8),
    answer(probe('declarative', 'tail'), false, 0.2),
    answer(probe('declarative', 'head'), true, 0.6),
  ];
  const m = measure({
    answers,
    confidenceThreshold: 0.5,
    real: { nll: [1, 2], entropy: [0.5, 1.5], tokens: [1, 3] },
    own: { entropy: [2], tokens: [4] },
    gen0: { nll: [Math.log(10)] },
    samples,
  });

  it('accuracy, by format and by popularity, confidence and confidently wrong', () => {
    expect(m.accuracy).toBe(0.5);
    expect(m.accuracyByFormat).toEqual({ qa: 0.5, declarative: 0.5 });
    expect(m.accuracyByPopularity).toEqual({ head: 1, torso: null, tail: 0 });
    expect(m.answerConfidence).toBeCloseTo((0.9 + 0.8 + 0.2 + 0.6) / 4, 12);
    expect(m.confidentlyWrongRate).toBe(0.25); // only the 0.8 wrong answer
  });
  it('perplexity and entropy are token-weighted', () => {
    expect(m.realPerplexity).toBeCloseTo(Math.exp((1 * 1 + 2 * 3) / 4), 12);
    expect(m.modelEntropy).toBeCloseTo((0.5 + 1.5 * 3) / 4, 12);
    expect(m.sampleEntropy).toBe(2);
    expect(m.gen0Perplexity.mean).toBeCloseTo(10, 9);
    expect(m.gen0Perplexity.histogram.counts.reduce((a, b) => a + b, 0)).toBe(1);
  });
  it('fluency and hallucination come from the checker', () => {
    // three sentences: a true fact, a false fact, and "the the ." (ungrammatical)
    expect(m.fluency).toBeCloseTo(2 / 3, 12);
    expect(m.hallucinationRate).toBe(0.5);
    expect(m.weightDistance).toBeNull();
  });
  it('sample records carry character spans the checker marked', () => {
    const [rec] = sampleRecords(setup, [doc], samples.checks);
    expect(rec!.spans!.map((s) => s.kind)).toEqual(['true-fact', 'false-fact', 'ungrammatical']);
    expect(rec!.text.slice(rec!.spans![0]!.start, rec!.spans![0]!.end)).toBe(trueSentence.join(' '));
    expect(rec!.text.slice(rec!.spans![1]!.start, rec!.spans![1]!.end)).toBe(falseSentence.join(' '));
    expect(rec!.text.slice(rec!.spans![2]!.start, rec!.spans![2]!.end)).toBe('the the .');
  });
});

describe('confidentTargets: what truncated cross-entropy masks', () => {
  it('counts targets predicted with p > γ, by hand on a bigram count model', async () => {
    // Bigram maximum likelihood on "a b" and "a c" ten times each: p(a | <bos>) = 1, p(b | a) = p(c | a) =
    // 0.5, p(<eos> | b) = p(<eos> | c) = 1. Each document has targets a, b or c, <eos>: two of three are sure.
    const [a, b, c] = [4, 5, 6];
    const docs = Array.from({ length: 20 }, (_, i) => [BOS, a, i % 2 ? b : c, EOS]);
    const spec = ngramSpec(8, { order: 2, addK: 0, contextLength: 16, batchSize: 4 });
    const engine = new NgramEngine({ spec, seed: 1 });
    for (const batch of batches(
      packWindows(
        docs.map((ids) => ({ ids })),
        16,
      ),
      4,
      16,
    ))
      await engine.trainStep(batch);
    const shares = await confidentTargets(engine, scoringBatches(docs, 4, 16), [0.4, 0.5, 0.9, 0.99]);
    expect(shares['0.4']).toBeCloseTo(1, 12);
    expect(shares['0.5']).toBeCloseTo(2 / 3, 12); // p = 0.5 is not above 0.5
    expect(shares['0.9']).toBeCloseTo(2 / 3, 12);
    expect(shares['0.99']).toBeCloseTo(2 / 3, 12);
  });

  it('is recorded each generation, at 0.5, 0.9, 0.99 and the run’s γ', async () => {
    const cfg = resolveConfig('ngram', {
      generations: 1,
      realDocuments: 60,
      documentsPerGeneration: 30,
      heldOutDocuments: 5,
      probeFacts: 5,
      loss: 'tce',
      tceGamma: 0.7,
      ngramOrder: 3,
      ngramAddK: 0.01,
    });
    if (!cfg.ok) throw new Error('config');
    const sim = await RunController.create({
      config: cfg.config,
      createEngine: (spec, seed) => createNodeEngine({ spec, seed }),
    });
    const record = await sim.run();
    await sim.dispose();
    for (const g of record.generations) {
      const t = g.metrics.confidentTargets!;
      expect(Object.keys(t)).toEqual(['0.5', '0.7', '0.9', '0.99']);
      // fewer targets clear a higher bar
      expect(t['0.5']!).toBeGreaterThanOrEqual(t['0.7']!);
      expect(t['0.7']!).toBeGreaterThanOrEqual(t['0.9']!);
      expect(t['0.9']!).toBeGreaterThanOrEqual(t['0.99']!);
      expect(t['0.5']!).toBeGreaterThan(0);
      expect(t['0.5']!).toBeLessThan(1);
    }
  });
});
