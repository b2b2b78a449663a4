// Fluency without a grammar (src/sim/text-fluency.ts) on two corpora of different kinds: the fact
// world's text taken as plain text, and a prose corpus built here. Generation 0 is a trigram count
// model trained on the training split; the bars are set on the held-out split, and scored on real
// documents neither trained on nor used for the bars, and on degenerate versions of them.
import { describe, expect, it } from 'vitest';
import { NgramEngine } from '../../src/engine/ngram.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { ngramSpec } from '../../src/model/spec.ts';
import { batches, packWindows, scoringBatches } from '../../src/sim/data.ts';
import { scoreDocuments } from '../../src/sim/evaluate.ts';
import type { Config } from '../../src/sim/config.ts';
import { resolveConfig } from '../../src/sim/presets.ts';
import type { RunRecord } from '../../src/sim/record.ts';
import { RunController } from '../../src/sim/run-controller.ts';
import { setupRun } from '../../src/sim/setup.ts';
import { corpusNote } from '../../src/sim/user-run.ts';
import {
  attestedText,
  calibrateBars,
  clearsBars,
  documentFeatures,
  type DocumentFeatures,
  REPEAT_FLOOR,
  degenerateText,
  textFluency,
} from '../../src/sim/text-fluency.ts';
import { realDocuments, trainingRng } from '../../src/world/corpus.ts';
import { Rng } from '../../src/world/rng.ts';
import { BOS, EOS } from '../../src/world/tokenizer.ts';
import { parseUserCorpus, type UserCorpus } from '../../src/world/user-corpus.ts';
import { createWorld } from '../../src/world/world.ts';

/** A small prose grammar: varied sentences of a village, two to four per document. */
function prose(rng: Rng, documents: number): string {
  const pick = <T>(xs: readonly T[]) => xs[rng.int(xs.length)]!;
  const people = (
    'the baker,an old fisherman,my grandmother,a young teacher,our carpenter,her brother,the mayor,' +
    'a stranger,his cousin,two sailors,the doctor,a shy girl'
  ).split(',');
  const verbs = 'walked to,looked at,talked about,waited near,painted,remembered,cleaned,visited,left'.split(
    ',',
  );
  const places = (
    'the harbour,a crowded market,the small church,an old bridge,the river bank,our school,' +
    'a bakery,the hill above town,a narrow street,the lighthouse'
  ).split(',');
  const times =
    'every morning,in winter,after the storm,before dinner,on sundays,late at night,at noon'.split(',');
  const feelings = 'happy,tired,quiet,worried,proud,cold,busy'.split(',');
  const sentence = () =>
    pick([
      () => `${pick(people)} ${pick(verbs)} ${pick(places)} ${pick(times)}.`,
      () => `${pick(times)}, ${pick(people)} was ${pick(feelings)} and ${pick(verbs)} ${pick(places)}.`,
      () => `nobody knew why ${pick(people)} ${pick(verbs)} ${pick(places)}.`,
      () => `${pick(people)} said that ${pick(places)} was ${pick(feelings)} ${pick(times)}.`,
    ])();
  return Array.from({ length: documents }, () =>
    Array.from({ length: 2 + rng.int(3) }, sentence).join(' '),
  ).join('\n\n');
}

const config = (() => {
  const r = resolveConfig('ngram', { ngramOrder: 3, seed: 3 });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.config;
})();

/** Generation 0 and the bars for a plain-text corpus, and a scorer for more documents. */
async function judge(text: string) {
  const parsed = parseUserCorpus(text, { kind: 'text' });
  if (!parsed.ok) throw new Error(parsed.error);
  const setup = setupRun(config, parsed.corpus);
  const { contextLength: T, batchSize: B, vocabSize: V } = setup.spec;
  const engine = new NgramEngine({
    spec: ngramSpec(V, { order: 3, addK: 0.05, contextLength: T, batchSize: B }),
    seed: 1,
  });
  for (const batch of batches(packWindows(setup.real, T), B, T)) await engine.trainStep(batch);
  const nll = async (docs: number[][]) =>
    (await scoreDocuments(engine, scoringBatches(docs, B, T), docs.length)).nll;
  const training = setup.real.map((d) => d.ids);
  const attested = attestedText(training);
  const bars = calibrateBars(setup.heldOut, await nll(setup.heldOut), training, attested, new Rng(4));
  const encode = (t: string) => {
    const p = parseUserCorpus(t, { kind: 'text' });
    if (!p.ok) throw new Error(p.error);
    return p.corpus.documents.map((d) => setup.tokenizer.encodeDocument(d));
  };
  const score = async (docs: number[][]) => textFluency(docs, await nll(docs), attested, bars);
  return { setup, bars, encode, score, attested };
}

/** Thirty lines of plain English prose, as someone might paste as their own corpus. */
const STORY = [
  'The village sits at the mouth of a cold river, where the water meets the grey northern sea.',
  'Every summer a festival is held on the harbour wall, and fishermen sell smoked herring from wooden stalls.',
  'My grandmother kept a small bakery near the church, and the smell of bread drifted down the lane each morning.',
  'The old lighthouse keeper climbed the spiral stairs twice a day to polish the great brass lamp.',
  'In winter the ice crept along the shore and the boats stayed tied to the pier for weeks.',
  'Children skated on the frozen pond behind the school while their parents watched from the bank.',
  'A carpenter named Tomas built chairs and tables for half the houses in the valley.',
  'He taught his daughter to carve birds from pale birch wood, and she sold them at the market.',
  'The market opened on Saturdays beside the fountain, with apples, cheese, wool and copper pots.',
  'One autumn a storm tore the roof from the town hall and scattered its slates across the square.',
  'The mayor asked every family to help, and by the end of the week the roof was mended.',
  'Gulls followed the fishing boats home each evening, crying over the nets full of silver fish.',
  'The ferry to the island left at dawn and returned before the light faded over the hills.',
  'On the island lived a painter who drew the cliffs, the sheep and the ruined chapel on the ridge.',
  'Visitors came in spring to walk the coastal path and watch the puffins nest in the rocks.',
  'The schoolteacher read stories aloud on rainy afternoons, and the classroom grew very quiet.',
  'A narrow bridge of stone crossed the river, worn smooth by centuries of carts and feet.',
  'Beneath the bridge a heron stood for hours, patient and still, waiting for a careless trout.',
  'The doctor rode a bicycle from farm to farm, carrying a leather bag and a flask of tea.',
  'In the evenings men gathered at the inn to play cards and argue about the weather.',
  'The innkeeper’s wife made a thick soup of beans and barley that warmed even the coldest traveller.',
  'When the snow melted, the meadows filled with yellow flowers and the lambs were born.',
  'Farmers cut the hay in July and stacked it high in barns that smelled of dust and sunshine.',
  'The church bell rang at noon, and the sound carried far across the fields to the forest edge.',
  'Deep in the forest stood an abandoned mill whose wheel had not turned for fifty years.',
  'My brother once spent a whole night there and claimed he heard music from the empty rooms.',
  'Nobody believed him, but the story was told at every wedding for a generation.',
  'The railway reached the valley late, and the first train was greeted with flags and a brass band.',
  'Now young people take the train to the city, and many of them do not come back.',
  'Still, each summer they return for the festival, and the harbour wall is crowded again with laughter.',
].join('\n');

/**
 * Degenerate continuations the way a collapsing model writes them, built here from the training text:
 * `prompt` tokens of a training document, then fragments of 1 to 8 words of training documents cut at
 * random word boundaries and stitched together where no training document joins those two words, up to
 * `length` words; no <eos> (cut off at the length limit).
 */
function stitchedText(training: number[][], rng: Rng, length: number, prompt = 1): number[] {
  const joined = new Set(training.flatMap((d) => d.slice(1).map((t, i) => `${d[i]} ${t}`)));
  const out = rng.pick(training).slice(0, prompt);
  while (out.length < prompt + length) {
    let fragment: number[] = [];
    for (
      let tries = 0;
      tries < 20 && (!fragment.length || joined.has(`${out.at(-1)} ${fragment[0]}`));
      tries++
    ) {
      const words = rng.pick(training).slice(1, -1);
      const at = rng.int(words.length);
      fragment = words.slice(at, at + 1 + rng.int(8));
    }
    out.push(...fragment);
  }
  return out.slice(0, prompt + length);
}

/** Each document's words in a random order (start and end kept). */
const shuffled = (docs: number[][], rng: Rng) => docs.map((d) => [BOS, ...rng.shuffle(d.slice(1, -1)), EOS]);

/** The fact world's documents (filler and facts, every format) as plain text. */
function factText(count: number, label: string): string {
  const world = createWorld({ seed: 11, entitiesPerKind: 12 });
  return realDocuments(world, trainingRng(world, label), { count })
    .map((d) => d.words.join(' '))
    .join('\n\n');
}

/** Each corpus: text to train on (a tenth held out for the bars), and fresh real text to score. */
const CORPORA = {
  'the fact world as plain text': () => ({ train: factText(400, 'train'), fresh: factText(60, 'fresh') }),
  'a prose corpus': () => ({ train: prose(new Rng(5), 400), fresh: prose(new Rng(6), 60) }),
};

describe.each(Object.entries(CORPORA))('text fluency on %s', (_name, make) => {
  const { train, fresh } = make();

  it('scores real text ≥ 0.9; shuffled, word salad, a repeated sentence or word, cut-off text ≤ 0.2', async () => {
    const j = await judge(train);
    const real = j.encode(fresh);
    const rng = new Rng(9);
    const period = j.setup.tokenizer.id('.');
    // Word salad: as many words as each document, drawn by their frequency in the training text.
    const pool = j.setup.real.flatMap((d) => d.ids.slice(1, -1));
    const salad = real.map((d) => [BOS, ...d.slice(1, -1).map(() => rng.pick(pool)), EOS]);
    const firstSentence = (d: number[]) => d.slice(1, d.indexOf(period) + 1);
    const training = j.setup.real.map((d) => d.ids);
    const score = {
      real: await j.score(real),
      shuffled: await j.score(shuffled(real, rng)),
      salad: await j.score(salad),
      repeatedSentence: await j.score(
        real.map((d) => [BOS, ...Array.from({ length: 5 }, () => firstSentence(d)).flat(), EOS]),
      ),
      repeatedWord: await j.score(real.map((d) => [BOS, ...new Array<number>(15).fill(d[2]!), EOS])),
      // ends (emits <eos>) halfway through a sentence
      cutOff: await j.score(
        real.map((d) => [...d.slice(0, d.indexOf(period) >> 1 || 2), EOS]).filter((d) => d.length > 2),
      ),
      // fragments of training documents stitched at random word boundaries, as long as the real ones
      stitched: await j.score(real.map((d) => stitchedText(training, rng, d.length - 2))),
    };
    expect(score.real).toBeGreaterThanOrEqual(0.9);
    expect(j.bars.unjudged).toBeUndefined();
    for (const bad of [
      'shuffled',
      'salad',
      'repeatedSentence',
      'repeatedWord',
      'cutOff',
      'stitched',
    ] as const)
      expect(score[bad], bad).toBeLessThanOrEqual(0.2);
    // Each degeneration is caught by its own bar, not only by perplexity (a GPT finds common words and
    // loops unsurprising): salad by the word pairs, loops by repetition, cut-off text by its ending.
    const share = (docs: number[][], pass: (f: DocumentFeatures) => boolean) =>
      docs.filter((d) => pass(documentFeatures(d, j.attested))).length / docs.length;
    expect(share(salad, (f) => f.attested >= j.bars.minAttested!)).toBeLessThanOrEqual(0.2);
    expect(share(real, (f) => f.attested >= j.bars.minAttested!)).toBeGreaterThanOrEqual(0.9);
    const loops = real.map((d) => [BOS, ...Array.from({ length: 5 }, () => firstSentence(d)).flat(), EOS]);
    expect(share(loops, (f) => f.repeated <= j.bars.maxRepeated!)).toBe(0);
    // the bars were set on held-out text, never trained on
    const trained = new Set(j.setup.real.map((d) => d.ids.join(',')));
    expect(j.setup.heldOut.some((d) => !trained.has(d.join(',')))).toBe(true);
    expect(j.bars.maxPerplexity).toBeGreaterThan(1);
  });
});

/** A whole run on `corpus` with the Node engines, to its end. */
async function runOnCorpus(config: Config, corpus: UserCorpus): Promise<RunRecord> {
  const run = await RunController.create({
    config,
    corpus,
    createEngine: (spec, seed) => createNodeEngine({ spec, seed }),
  });
  try {
    return await run.run();
  } finally {
    await run.dispose();
  }
}

describe('fluency on a corpus too small to judge it: thirty lines of prose', () => {
  it('would let its own stitched fragments through, so it reports no fluency, and says why', async () => {
    const j = await judge(STORY);
    expect(j.setup.heldOut).toHaveLength(3);
    const training = j.setup.real.map((d) => d.ids);
    const rng = new Rng(12);
    // Degenerate text as the model writes it ("every summer a festival is held on learn ledge summer a
    // beam gull carpenter ."): stitched fragments, and word salad of its vocabulary, as long as its lines.
    const lengths = [...training, ...j.setup.heldOut].map((d) => d.length - 2);
    const stitched = lengths.map((n) => stitchedText(training, rng, n));
    const vocabulary = [...new Set(training.flatMap((d) => d.slice(1, -1)))];
    const salad = lengths.map((n) => [BOS, ...Array.from({ length: n }, () => rng.pick(vocabulary))]);
    // Real lines of this corpus share few word pairs with the other lines, so bars that let them through
    // let most stitched text through too: read as fluency, it would be high.
    const clearing = (docs: number[][]) =>
      docs.filter((d) => clearsBars(documentFeatures(d, j.attested), NaN, { ...j.bars, maxPerplexity: null }))
        .length / docs.length;
    expect(clearing(stitched)).toBeGreaterThan(0.5);
    // So fluency is not judged: no score, for degenerate and real text alike, and the reason instead.
    expect(j.bars.unjudged).toMatch(
      /^too little text to judge fluency: word-pair bars set to let through 97\.5% of your documents also let through \d+% of /,
    );
    for (const docs of [stitched, salad, j.setup.heldOut]) expect(await j.score(docs)).toBeNaN();
  });

  it('a run on it records no fluency and the page says why', async () => {
    const parsed = parseUserCorpus(STORY, { kind: 'text', name: 'story.txt' });
    if (!parsed.ok) throw new Error(parsed.error);
    const r = resolveConfig('ngram', {
      ngramOrder: 3,
      generations: 2,
      documentsPerGeneration: 60,
      promptSource: 'real-prefix',
      promptTokens: 8,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const record = await runOnCorpus(r.config, parsed.corpus);
    const fluency = record.corpus!.fluency;
    expect(fluency.method === 'held-out-bars' && fluency.unjudged).toMatch(
      /^too little text to judge fluency/,
    );
    expect(record.generations.map((g) => g.metrics.fluency)).toEqual([null, null, null]);
    expect(corpusNote(record.corpus!)).toMatch(
      /Fluency is not measured \(–\): too little text to judge fluency: /,
    );
    expect(corpusNote(record.corpus!)).not.toMatch(/bars are rough/);
  });
});

describe('document features', () => {
  it('counts attested pairs, repeated triples and endings by hand', () => {
    const text = attestedText([[BOS, 5, 6, 7, EOS]]);
    expect(text.finals).toEqual(new Set([7]));
    const f = documentFeatures([BOS, 5, 6, 9, EOS], text);
    expect(f.attested).toBeCloseTo(2 / 4, 12);
    expect(f.badEnding).toBe(true);
    expect(documentFeatures([BOS, 5, 6, 7], text).badEnding).toBe(false);
    // 5 6 7 5 6 7 5: triples 567, 675, 756, 567*, 675* → 2 of 5 repeat
    expect(documentFeatures([BOS, 5, 6, 7, 5, 6, 7, 5, EOS], text).repeated).toBeCloseTo(2 / 5, 12);
    expect(REPEAT_FLOOR).toBeGreaterThan(0);
    // Only what the model wrote after its prompt is judged: prompt "5 6", written "9 9 9 9 9 9".
    const written = documentFeatures([BOS, 5, 6, 9, 9, 9, 9, 9, 9], text, 3);
    expect(written.attested).toBe(0); // 6→9 and 9→9 never seen
    expect(written.repeated).toBeCloseTo(3 / 4, 12);
    expect(documentFeatures([BOS, 5, 6, 7, 9], text, 4).attested).toBe(0);
    expect(documentFeatures([BOS, 5, 6, 7, 9], text, 1).attested).toBeCloseTo(3 / 4, 12);
    // a prompt that was the whole document: judged whole
    expect(documentFeatures([BOS, 5, 6, 7, EOS], text, 5)).toEqual({
      attested: 1,
      repeated: 0,
      badEnding: false,
    });
  });
});

describe('calibrating the bars', () => {
  it('judges each training document against the pairs of the others, beside the held-out ones', () => {
    // Pairs and how many training documents hold them: <bos> 5 in two; every other pair in one.
    const training = [
      [BOS, 5, 6, EOS],
      [BOS, 5, 7, EOS],
      [BOS, 8, 9, EOS],
    ];
    const text = attestedText(training);
    // held out [<bos> 5 6 <eos>]: 3 of 3 pairs found; cross-fitted: 1/3, 1/3, 0 (only <bos> 5, held by
    // another document, counts). The median of [0, 1/3, 1/3, 1] is 1/3; without them it would be 1.
    const bars = calibrateBars([[BOS, 5, 6, EOS]], [Math.log(4)], training, text, new Rng(1), 1, 0.5);
    expect(bars.minAttested).toBeCloseTo(1 / 3, 12);
    expect(bars.maxPerplexity).toBeCloseTo(4, 12);
    expect(bars.maxRepeated).toBe(REPEAT_FLOOR);
  });

  it('builds degenerate text from the training text: stitched where it never joins, and salad', () => {
    // Eight documents of nine words each, numbered so that a word follows another in the training text
    // exactly when it is one more.
    const training = Array.from({ length: 8 }, (_, d) => [
      BOS,
      ...Array.from({ length: 9 }, (_, i) => 4 + 10 * d + i),
      EOS,
    ]);
    const text = attestedText(training);
    const { stitched, salad } = degenerateText(training, text, [12], new Rng(2), 3, 50);
    const words = new Set(training.flatMap((d) => d.slice(1, -1)));
    for (const docs of [stitched, salad]) {
      expect(docs).toHaveLength(50);
      for (const d of docs) {
        expect(d).toHaveLength(3 + 12); // a real prompt of 3 tokens, then 12 words, no <eos>
        expect(training.some((t) => t.slice(0, 3).join() === d.slice(0, 3).join())).toBe(true);
        expect(d.slice(3).every((w) => words.has(w))).toBe(true);
      }
    }
    // Stitched: runs of 2 to 6 words that follow each other, each joined to what came before (the prompt
    // too) by a pair no training document holds; the last run may be cut short.
    for (const d of stitched) {
      const runs: number[] = [];
      for (let i = 3; i < d.length; i++)
        if (d[i] === d[i - 1]! + 1 && i > 3) runs[runs.length - 1]!++;
        else runs.push(1);
      expect(runs.length).toBeGreaterThanOrEqual(2);
      for (const n of runs.slice(0, -1)) expect(n).toBeGreaterThanOrEqual(2);
      for (const n of runs) expect(n).toBeLessThanOrEqual(6);
      expect(d[3]).not.toBe(d[2]! + 1);
    }
  });
});

describe('fluency in a run on your own plain text', () => {
  it('is high for a count model’s own text, falls when its refit degenerates, low for salad at temperature 4', async () => {
    const parsed = parseUserCorpus(prose(new Rng(5), 300), { kind: 'text', name: 'village.txt' });
    if (!parsed.ok) throw new Error(parsed.error);
    const fluency = async (temperature: number) => {
      const r = resolveConfig('ngram', {
        ngramOrder: 3,
        ngramAddK: 0.01,
        generations: 1,
        documentsPerGeneration: 100,
        promptSource: 'real-prefix',
        promptTokens: 3,
        temperature,
      });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return runOnCorpus(r.config, parsed.corpus);
    };
    const calm = await fluency(1);
    const hot = await fluency(4);
    const bars = calm.corpus!.fluency;
    expect(bars.method).toBe('held-out-bars');
    if (bars.method !== 'held-out-bars') return;
    expect(bars.maxPerplexity).toBeGreaterThan(1);
    expect(bars.minAttested).toBeGreaterThan(0.5);
    // Generation 0 writes like the village text. Generation 1, a trigram refit from scratch on 100 of
    // those samples, degenerates ("an old fisherman visited busy and remembered the lighthouse", "at
    // visited the remembered the harbour late"): the run reports it, stage C.
    const [g0, g1] = calm.generations.map((g) => g.metrics.fluency!);
    expect(g0).toBeGreaterThanOrEqual(0.8);
    expect(g1).toBeLessThan(0.7 * g0!);
    expect(calm.generations[1]!.stage).toBe('C');
    // sampled at temperature 4, word salad from the start
    for (const g of hot.generations) expect(g.metrics.fluency!).toBeLessThanOrEqual(0.2);
    // plain text: nothing is probed, so the stage is decided by fluency alone
    expect(calm.generations.map((g) => g.metrics.accuracy)).toEqual([null, null]);
  });
});
