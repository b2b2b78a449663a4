import { describe, expect, it } from 'vitest';
import { checkDocument, checkSentence } from '../../src/world/checker.ts';
import { trainingDocuments } from '../../src/world/corpus.ts';
import { fillerSentence } from '../../src/world/filler.ts';
import { FORMATS, renderFact } from '../../src/world/formats.ts';
import { Rng } from '../../src/world/rng.ts';
import { relationSpec } from '../../src/world/schema.ts';
import { BOS, EOS, PAD, wordTokenizer } from '../../src/world/tokenizer.ts';
import { createWorld, type Fact } from '../../src/world/world.ts';

const world = createWorld();
const words = (s: string) => s.split(' ');
/** The fact with its value replaced. */
const withValue = (f: Fact, value: string): Fact => ({ ...f, value });

describe('checkSentence', () => {
  it('judges every true fact in every format as a grammatical true fact', () => {
    for (const f of world.facts) {
      for (const format of FORMATS) {
        const r = checkSentence(world, renderFact(f, format));
        expect(r).toMatchObject({ grammatical: true, kind: 'fact', factId: f.id, format, true: true });
        expect(r.stated).toEqual({ entity: f.entityName, relation: f.relation, value: f.value });
      }
    }
  });

  it('judges a wrong value of the right type as a grammatical false fact', () => {
    for (const f of world.facts) {
      const other = world.pools[f.type].find((v) => v !== f.value)!;
      for (const format of FORMATS) {
        const r = checkSentence(world, renderFact(withValue(f, other), format));
        expect(r).toMatchObject({ grammatical: true, kind: 'fact', factId: f.id, true: false });
        expect(r.stated?.value).toBe(other);
      }
    }
  });

  it('rejects values of the wrong type and entities of the wrong kind', () => {
    const capital = world.facts.find((f) => f.relation === 'capital')!;
    const born = world.facts.find((f) => f.relation === 'born')!;
    const wrong: [Fact, string][] = [
      [capital, world.pools.year[0]!], // a year as a capital
      [capital, world.pools.country[0]!], // a country as a capital
      [capital, 'farmer'], // a filler word
      [born, world.pools.city[0]!], // a city as a birth year
      [born, '1234'], // a year that is not in the world
    ];
    for (const [f, value] of wrong) {
      for (const format of FORMATS) {
        const r = checkSentence(world, renderFact(withValue(f, value), format));
        expect(r.grammatical, `${f.relation}=${value}`).toBe(false);
        expect(r.kind).toBe('invalid');
        expect(r.reason).toContain(relationSpec(f.relation).type);
      }
    }
    // A person in a country's slot.
    const person = world.entities.find((e) => e.kind === 'person')!;
    const r = checkSentence(world, words(`the capital of ${person.name} is ${capital.value} .`));
    expect(r).toMatchObject({ grammatical: false, kind: 'invalid' });
  });

  it('rejects scrambled fact sentences', () => {
    const rng = new Rng(2);
    let tried = 0;
    for (const f of world.facts.slice(0, 80)) {
      for (const format of FORMATS) {
        const s = renderFact(f, format);
        const scrambled = rng.shuffle([...s]);
        if (scrambled.join(' ') === s.join(' ')) continue;
        tried++;
        expect(checkSentence(world, scrambled).grammatical, scrambled.join(' ')).toBe(false);
        // Keeping the final "." in place does not help either.
        const kept = [...rng.shuffle(s.slice(0, -1)), '.'];
        if (kept.join(' ') !== s.join(' ')) expect(checkSentence(world, kept).grammatical).toBe(false);
      }
    }
    expect(tried).toBeGreaterThan(200);
  });

  it('accepts generated filler as filler (1,000 samples) and rejects word salad', () => {
    const rng = new Rng(6);
    for (let i = 0; i < 1000; i++) {
      expect(checkSentence(world, fillerSentence(rng))).toEqual({ grammatical: true, kind: 'filler' });
    }
    const vocab = world.vocabulary.filter((w) => w !== '.');
    for (let i = 0; i < 1000; i++) {
      const salad = [...Array.from({ length: rng.range(3, 12) }, () => rng.pick(vocab)), '.'];
      const r = checkSentence(world, salad);
      expect(r.grammatical, salad.join(' ')).toBe(false);
      expect(r.kind).toBe('invalid');
    }
  });

  it('rejects truncated sentences and explains why', () => {
    const f = world.facts[0]!;
    const s = renderFact(f, 'qa');
    expect(checkSentence(world, s.slice(0, -1))).toMatchObject({ grammatical: false, kind: 'invalid' });
    expect(checkSentence(world, s.slice(0, -1)).reason).toMatch(/end with/);
    expect(checkSentence(world, [])).toMatchObject({ grammatical: false, reason: 'empty sentence' });
  });
});

describe('checkDocument', () => {
  const tok = wordTokenizer(world);
  const f = world.facts[5]!;
  const trueS = renderFact(f, 'declarative');
  const falseS = renderFact(
    withValue(
      f,
      world.pools[f.type].find((v) => v !== f.value)!,
    ),
    'qa',
  );
  const filler = words('the old farmer walks to the quiet market .');
  const partial = renderFact(f, 'instruction').slice(0, 4);

  it('splits ids into sentences with spans into the input, stopping at <eos>', () => {
    const ids = [
      BOS,
      ...tok.encode([...trueS, ...filler, ...falseS, ...partial]),
      EOS,
      ...tok.encode(filler),
      PAD,
    ];
    const { sentences, counts } = checkDocument(world, ids);
    expect(sentences.map((s) => s.kind)).toEqual(['fact', 'filler', 'fact', 'invalid']);
    expect(sentences.map((s) => s.true)).toEqual([true, undefined, false, undefined]);
    const starts = [1, 1 + trueS.length, 1 + trueS.length + filler.length];
    starts.push(starts[2]! + falseS.length);
    expect(sentences.map((s) => s.start)).toEqual(starts);
    expect(sentences.map((s) => s.end)).toEqual([...starts.slice(1), starts[3]! + partial.length]);
    for (const s of sentences) expect(tok.tokens(ids.slice(s.start, s.end))).toEqual(s.words);
    expect(sentences.map((s) => s.complete)).toEqual([true, true, true, false]);
    expect(counts).toEqual({ sentences: 4, facts: 2, trueFacts: 1, falseFacts: 1, filler: 1, invalid: 1 });
  });

  it('accepts words and text, and judges real documents fully grammatical and true', () => {
    const fromWords = checkDocument(world, [...trueS, ...filler]);
    expect(fromWords.sentences.map((s) => [s.start, s.end])).toEqual([
      [0, trueS.length],
      [trueS.length, trueS.length + filler.length],
    ]);
    expect(checkDocument(world, [...trueS, ...filler].join(' ')).counts).toEqual(fromWords.counts);
    expect(checkDocument(world, []).sentences).toEqual([]);
    for (const d of trainingDocuments(world, { count: 300 })) {
      const c = checkDocument(world, tok.encodeDocument(d.words));
      expect(c.counts.invalid + c.counts.falseFacts).toBe(0);
      expect(c.sentences.map((s) => s.factId).filter((x) => x !== undefined)).toEqual(d.factIds);
    }
  });
});
