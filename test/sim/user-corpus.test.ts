import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeRun } from '../../src/cli/run-node.ts';
import { generateByStepping } from '../../src/engine/stepping.ts';
import type {
  Engine,
  GenerateOptions,
  GenerateResult,
  SampleOptions,
  SampleResult,
} from '../../src/engine/types.ts';
import { askProbes, measure, sampleWords, type EvalProbe } from '../../src/sim/evaluate.ts';
import { quantile, shareAtMost } from '../../src/sim/metrics.ts';
import { resolveConfig } from '../../src/sim/presets.ts';
import { parseRecord } from '../../src/sim/record.ts';
import { setupRun } from '../../src/sim/setup.ts';
import { corpusNote } from '../../src/sim/user-run.ts';
import { attestedText, REPEAT_FLOOR } from '../../src/sim/text-fluency.ts';
import { sha256 } from '../../src/world/sha256.ts';
import { BOS, EOS, vocabularyTokenizer } from '../../src/world/tokenizer.ts';
import { parseUserCorpus, qaPrompt, splitText } from '../../src/world/user-corpus.ts';

const animals = 'cat dog owl fox bee cow eel yak ant bat elk emu hen pig ram rat ape gnu koi doe'.split(' ');
const colours = ['red', 'blue', 'green', 'grey', 'gold', 'pink'];
/** 20 pairs; every third answer has two words. */
const jsonl = animals
  .map((a, i) =>
    JSON.stringify({
      question: `What colour is the ${a}?`,
      answer: i % 3 === 0 ? `bright ${colours[i % 6]}` : colours[i % 6],
    }),
  )
  .join('\n');

const config = (over: Record<string, unknown> = {}) => {
  const r = resolveConfig('quick', {
    generations: 1,
    gen0Epochs: 60,
    learningRate: 0.01,
    epochs: 1,
    documentsPerGeneration: 20,
    maxNewTokens: 12,
    promptTokens: 4,
    probeFacts: 50,
    ...over,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.config;
};

const parsed = parseUserCorpus(jsonl, { name: 'colours.jsonl' });
if (!parsed.ok) throw new Error(parsed.error);
const corpus = parsed.corpus;

describe('askProbes with answers of several words', () => {
  const t = vocabularyTokenizer(['question', ':', '?', 'answer', 'a', 'b', 'c', 'x'], splitText);
  // A fake model: after "answer :" it says a, then b, then c — each with probability 0.5.
  const calls: number[][][] = [];
  const engine = {
    async sample(contexts: number[][], o: SampleOptions): Promise<SampleResult> {
      expect(o.greedy).toBe(true);
      calls.push(contexts.map((c) => [...c]));
      const next = (c: number[]) => t.id(['a', 'b', 'c'][c.length - 7] ?? 'x');
      return {
        tokens: new Int32Array(contexts.map(next)),
        logProb: new Float32Array(contexts.length).fill(Math.log(0.5)),
      };
    },
    generate(prompts: number[][], o: GenerateOptions): Promise<GenerateResult> {
      return generateByStepping((c, so) => engine.sample(c, so), prompts, o);
    },
  } as unknown as Engine;
  const probe = (answerWords: string[]): EvalProbe => ({
    factId: answerWords.join(''),
    format: 'qa',
    promptWords: qaPrompt(['x']),
    answer: answerWords.join(' '),
    answerWords,
  });

  it('is right only when every word matches, and gives the probability of the whole answer', async () => {
    const answers = await askProbes(engine, t, [probe(['a', 'b']), probe(['a', 'c']), probe(['a'])]);
    expect(answers.map((a) => a.correct)).toEqual([true, false, true]);
    expect(answers.map((a) => a.answerIds?.map((id) => t.vocab[id]))).toEqual([
      ['a', 'b'],
      ['a', 'b'],
      ['a'],
    ]);
    expect(answers[0]!.probability).toBeCloseTo(0.25, 6);
    expect(answers[2]!.probability).toBeCloseTo(0.5, 6);
    // one step per position of the longest answer, every probe in each (shorter answers are cut)
    expect(calls.map((c) => c.length)).toEqual([3, 3]);
    expect(calls[1]![0]).toEqual([BOS, ...t.encode(qaPrompt(['x'])), t.id('a')]);
  });
});

describe('measure() without a grammar: fluency from bars set on held-out text', () => {
  it('fluency is the share of samples that clear every bar', () => {
    // Training text "5 6 7 8"; samples: the same (fluent), a salad (5 9 9 8), a loop, and one too perplexing.
    const text = attestedText([[BOS, 5, 6, 7, 8, EOS]]);
    const bars = { quantile: 0.975, maxPerplexity: 3, minAttested: 0.75, maxRepeated: 0.2 };
    const documents = [
      [BOS, 5, 6, 7, 8, EOS],
      [BOS, 5, 9, 9, 8, EOS],
      [BOS, 5, 6, 7, 5, 6, 7, 5, 6, 7, 8, EOS],
      [BOS, 5, 6, 7, 8, EOS],
    ];
    const m = measure({
      answers: [],
      confidenceThreshold: 0.5,
      real: { nll: [1], entropy: [1], tokens: [1] },
      own: { entropy: [1, 1, 1, 1], tokens: [3, 3, 3, 3] },
      gen0: { nll: [1, 1, 1, 1].map(Math.log) },
      samples: sampleWords(documents),
      // perplexity of what was written (here all of it): the fourth is too perplexing
      textFluency: { documents, from: [1, 1, 1, 1], nll: [1, 1, 1, 4].map(Math.log), text, bars },
    });
    expect(m.fluency).toBe(0.25);
    expect(m.hallucinationRate).toBeNull();
    expect(m.accuracy).toBeNull();
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8, 12);
    expect(shareAtMost([1, NaN, 3], 2)).toBeCloseTo(1 / 3, 12);
  });
});

describe('text written without spaces', () => {
  it('splits Chinese, Japanese and Thai into one word per character (marks kept with theirs), others by spaces', () => {
    expect(splitText('吾輩は猫である。Hello, end-game ภาษา café')).toEqual([
      ...'吾輩は猫である。'.split(''),
      'hello',
      ',',
      'end-game',
      'ภ',
      'า',
      'ษ',
      'า',
      'café',
    ]);
    // a Thai consonant with a combining vowel mark stays one word
    expect(splitText('กิน')).toEqual(['กิ', 'น']);
  });

  it('a CJK corpus gets a vocabulary of characters, documents cut at 。, and a note saying so', () => {
    const lines = Array.from({ length: 12 }, (_, i) => `我们学习第${i}课。天气很好。`);
    const r = parseUserCorpus(lines.join('\n'));
    if (!r.ok) throw new Error(r.error);
    // 我 们 学 习 第 课 天 气 很 好 + 。 and the digits 0–9, 10, 11 (digits are a spaced script)
    const chars = new Set(lines.join('').match(/[\p{Script=Han}]/gu));
    expect(chars.size).toBe(10);
    expect(r.corpus.summary.vocabulary).toBe(10 + 1 + 12);
    expect(r.corpus.documents.length).toBe(12);
    expect(r.corpus.documents[0]).toEqual([
      '我',
      '们',
      '学',
      '习',
      '第',
      '0',
      '课',
      '。',
      '天',
      '气',
      '很',
      '好',
      '。',
    ]);
    const han = lines.join('').match(/[\p{Script=Han}]/gu)!.length;
    expect(r.corpus.warnings).toContain(
      `${han} characters are in scripts written without spaces (Chinese, Japanese, Thai…): each of them counts as one word, so the model learns those scripts character by character.`,
    );
    // spaced text gets no such note
    const en = parseUserCorpus(
      Array.from({ length: 12 }, (_, i) => `The cat ${i} sat on the mat.`).join('\n'),
    );
    expect(en.ok && en.corpus.warnings).toEqual([]);
  });
});

describe('a run on your own corpus', () => {
  it('splits it seeded: held-out pairs are never trained on nor asked', () => {
    const s = setupRun(config(), corpus);
    expect(s.heldOut).toHaveLength(2);
    expect(s.real).toHaveLength(18);
    expect(s.probes).toHaveLength(18);
    const trained = new Set(s.real.map((d) => d.ids.join(',')));
    for (const h of s.heldOut) expect(trained.has(h.join(','))).toBe(false);
    expect(s.corpus).toMatchObject({ kind: 'qa-jsonl', name: 'colours.jsonl', pairs: 20, probes: 18 });
    expect(setupRun(config({ probeFacts: 5 }), corpus).probes).toHaveLength(5);
    const other = setupRun(config({ seed: 7 }), corpus);
    expect(other.heldOut).not.toEqual(s.heldOut);
  });

  it('runs in Node: accuracy from the Q/A pairs, fluency from generation-0 perplexity, corpus in the record', async () => {
    const sim = await nodeRun(config(), 'node', undefined, 1, corpus);
    const record = await sim.run();
    await sim.dispose();
    expect(record.status).toBe('done');
    expect(record.generations).toHaveLength(2);
    const c = record.corpus!;
    expect(c).toMatchObject({
      kind: 'qa-jsonl',
      bytes: jsonl.length,
      pairs: 20,
      trainDocuments: 18,
      probes: 18,
    });
    expect(c.sha256).toBe(sha256(jsonl));
    expect(c.text).toBe(jsonl);
    expect(c.fluency.method).toBe('held-out-bars');
    if (c.fluency.method !== 'held-out-bars') throw new Error('old fluency method');
    expect(c.fluency.maxPerplexity).toBeGreaterThan(1);
    expect(c.fluency.minAttested).toBeGreaterThan(0);
    expect(c.fluency.maxRepeated).toBeGreaterThanOrEqual(REPEAT_FLOOR);
    const answers = new Set(corpus.pairs.map((p) => p.answer.join(' ')));
    for (const g of record.generations) {
      const m = g.metrics;
      expect(g.probes).toHaveLength(18);
      for (const p of g.probes) {
        expect(answers.has(p.expected)).toBe(true);
        expect(p.question).toMatch(/^question : what colour is the \w+ \? answer :$/);
        expect(p.popularity).toBeUndefined();
      }
      expect(m.accuracy).toBeCloseTo(g.probes.filter((p) => p.correct).length / 18, 12);
      expect(m.accuracyByFormat).toEqual({ qa: m.accuracy });
      expect(m.accuracyByPopularity).toEqual({ head: null, torso: null, tail: null });
      expect(m.hallucinationRate).toBeNull();
      expect(m.fluency).not.toBeNull();
      expect(m.fluency!).toBeGreaterThanOrEqual(0);
      expect(m.fluency!).toBeLessThanOrEqual(1);
      expect(g.samples.every((s) => s.spans?.length === 0)).toBe(true);
    }
    // generation 0 learns some pairs, a two-word answer among them
    const first = record.generations[0]!;
    expect(first.metrics.accuracy!).toBeGreaterThan(0);
    expect(first.probes.some((p) => p.correct && p.expected.includes(' '))).toBe(true);
    // the record survives JSON, and its text runs again to the same corpus
    const back = parseRecord(JSON.parse(JSON.stringify(record)));
    expect(back.ok && back.record.corpus).toEqual(c);
    const again = parseUserCorpus(c.text!, { kind: c.kind as 'qa-jsonl' });
    expect(again.ok && again.corpus.documents).toEqual(corpus.documents);
  });

  it('a record written before user corpora (no corpus field) still parses', () => {
    const old = JSON.parse(fs.readFileSync('test/charts/fixtures/quick-4.json', 'utf8')) as Record<
      string,
      unknown
    >;
    expect('corpus' in old).toBe(false);
    const back = parseRecord(old);
    expect(back.ok && back.record.corpus).toBeUndefined();
    expect(back.ok && back.record.generations).toHaveLength(4);
  });
});

describe('what the page says about a user corpus', () => {
  const base = setupRun(config(), corpus).corpus!;

  it('plain text probes no facts: the stage follows fluency alone; Q/A keeps accuracy', () => {
    expect(corpusNote({ ...base, kind: 'text' })).toMatch(
      /plain text, so facts are not probed: there is no accuracy, and the stage follows fluency alone/,
    );
    const qa = corpusNote(base);
    expect(qa).toMatch(/accuracy is over its Q\/A pairs/);
    expect(qa).toMatch(/word pairs found in your text, no more repetition/);
    // 2 held-out pairs of 20: the bars are rough, and the page says so
    expect(qa).toMatch(/Only 2 documents are held out, so the bars are rough/);
    expect(corpusNote({ ...base, heldOutDocuments: 40 })).not.toMatch(/bars are rough/);
    expect(corpusNote({ ...base, heldOutDocuments: 1 })).toMatch(/Only 1 document is held out/);
  });

  it('a record whose corpus fluency is the older perplexity threshold still parses and is described', () => {
    const old = JSON.parse(fs.readFileSync('test/charts/fixtures/quick-4.json', 'utf8')) as Record<
      string,
      unknown
    >;
    const legacy = { ...base, fluency: { method: 'gen0-perplexity', quantile: 0.95, threshold: 12.5 } };
    const back = parseRecord({ ...old, corpus: legacy });
    if (!back.ok) throw new Error(JSON.stringify(back.errors));
    expect(back.record.corpus!.fluency).toEqual(legacy.fluency);
    expect(corpusNote(back.record.corpus!)).toMatch(/95th percentile of held-out text/);
    // an unknown method is named
    const bad = parseRecord({ ...old, corpus: { ...base, fluency: { method: 'vibes', quantile: 1 } } });
    expect(bad.ok).toBe(false);
  });
});
