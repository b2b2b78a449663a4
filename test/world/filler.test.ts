import { describe, expect, it } from 'vitest';
import { FILLER_WORDS, fillerSentence, fillerVocabulary, isFillerSentence } from '../../src/world/filler.ts';
import { templateVocabulary } from '../../src/world/formats.ts';
import { Rng } from '../../src/world/rng.ts';

describe('filler grammar', () => {
  it('has ~100-150 words, disjoint from the fact templates except shared function words', () => {
    const vocab = fillerVocabulary();
    expect(vocab.length).toBeGreaterThanOrEqual(100);
    expect(vocab.length).toBeLessThanOrEqual(151);
    const shared = vocab.filter((w) => templateVocabulary().includes(w));
    expect(shared.sort()).toEqual(['.', 'the']);
  });

  it('generates deterministic, short sentences it recognises (1,000 samples)', () => {
    const a = new Rng(11);
    const b = new Rng(11);
    const lengths = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const s = fillerSentence(a);
      expect(fillerSentence(b)).toEqual(s);
      expect(s.length).toBeGreaterThanOrEqual(5);
      expect(s.length).toBeLessThanOrEqual(12);
      expect(s.at(-1)).toBe('.');
      expect(isFillerSentence(s)).toBe(true);
      lengths.add(s.length);
    }
    expect(lengths.size).toBeGreaterThan(4);
  });

  it('rejects sentences the CFG cannot derive, even over filler words', () => {
    const no = [
      'the farmer walks .', // too short: an intransitive verb needs an adverb or a phrase
      'the old tall farmer walks slowly .', // at most one adjective
      'farmer the walks slowly .',
      'the farmer walks slowly',
      'the the farmer walks slowly .',
      'the farmer sees .',
      'the farmer sees the dog the cat .',
      'the farmer walks to .',
      'slowly walks farmer the .',
      '',
    ];
    for (const s of no) expect(isFillerSentence(s ? s.split(' ') : []), s).toBe(false);
    for (const s of ['the farmer walks slowly .', 'my old dog sees the cat near the quiet market .']) {
      expect(isFillerSentence(s.split(' ')), s).toBe(true);
    }
  });

  it('reversing a generated sentence breaks it', () => {
    const r = new Rng(4);
    for (let i = 0; i < 200; i++) {
      const s = fillerSentence(r);
      const reversed = [...s.slice(0, -1).reverse(), '.'];
      expect(isFillerSentence(reversed)).toBe(false);
    }
  });

  it('word choice is skewed: the first word of a category is the most common', () => {
    const r = new Rng(8);
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) for (const w of fillerSentence(r)) counts.set(w, (counts.get(w) ?? 0) + 1);
    expect(counts.get(FILLER_WORDS.N[0])!).toBeGreaterThan(3 * (counts.get(FILLER_WORDS.N.at(-1)!) ?? 0));
  });
});
