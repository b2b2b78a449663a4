import { describe, expect, it } from 'vitest';
import { trainingDocuments } from '../../src/world/corpus.ts';
import { BOS, charTokenizer, EOS, PAD, splitWords, UNK, wordTokenizer } from '../../src/world/tokenizer.ts';
import { createWorld } from '../../src/world/world.ts';

describe('word tokenizer', () => {
  const world = createWorld();
  const tok = wordTokenizer(world);

  it('has specials first and a vocabulary in the model’s expected range', () => {
    expect(tok.vocab.slice(0, 4)).toEqual(['<pad>', '<bos>', '<eos>', '<unk>']);
    expect([PAD, BOS, EOS, UNK]).toEqual([0, 1, 2, 3]);
    expect(tok.vocabSize).toBe(tok.vocab.length);
    expect(new Set(tok.vocab).size).toBe(tok.vocabSize);
    expect(tok.vocabSize).toBeGreaterThanOrEqual(300);
    expect(tok.vocabSize).toBeLessThanOrEqual(600);
  });

  it('round-trips documents and maps every world word to a real token', () => {
    for (const d of trainingDocuments(world, { count: 200 })) {
      const ids = tok.encode(d.words);
      expect(ids).not.toContain(UNK);
      expect(tok.decode(ids)).toBe(d.words.join(' '));
      expect(tok.encode(d.words.join(' '))).toEqual(ids);
      expect(tok.encodeDocument(d.words)).toEqual([BOS, ...ids, EOS]);
      expect(tok.decode(tok.encodeDocument(d.words))).toBe(d.words.join(' '));
    }
    for (const w of world.vocabulary) expect(tok.id(w)).toBeGreaterThan(UNK);
  });

  it('maps unknown words to <unk> and splits punctuation', () => {
    expect(splitWords('What is  the capital? answer:x.')).toEqual([
      'what',
      'is',
      'the',
      'capital',
      '?',
      'answer',
      ':',
      'x',
      '.',
    ]);
    const ids = tok.encode('the zzzzq farmer');
    expect(ids[1]).toBe(UNK);
    expect(ids[0]).not.toBe(UNK);
    expect(tok.decode(ids)).toBe('the <unk> farmer');
    expect(tok.decode([BOS, tok.id('the'), EOS, PAD], true)).toBe('<bos> the <eos> <pad>');
  });

  it('is the same for the same world options', () => {
    expect(wordTokenizer(createWorld()).vocab).toEqual(tok.vocab);
    expect(wordTokenizer(createWorld({ seed: 2 })).vocab).not.toEqual(tok.vocab);
  });
});

describe('char tokenizer', () => {
  it('round-trips text over its characters and maps unseen characters to <unk>', () => {
    const text = 'hello world. the end?';
    const tok = charTokenizer(text);
    expect(tok.kind).toBe('char');
    expect(tok.vocabSize).toBe(4 + new Set(text).size);
    expect(tok.decode(tok.encode(text))).toBe(text);
    expect(tok.encode(['hello', 'world'])).toEqual(tok.encode('hello world'));
    expect(tok.encode('hq')).toEqual([tok.id('h'), UNK]);
    expect(tok.encodeDocument('he')).toEqual([BOS, tok.id('h'), tok.id('e'), EOS]);
  });
});
