import { describe, expect, it } from 'vitest';
import { analyseSamples, measure, type ProbeAnswer } from '../../src/sim/evaluate.ts';
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
