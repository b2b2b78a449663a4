import { describe, expect, it } from 'vitest';
import { compileGrammar, recognise, sampleGrammar } from '../../src/world/cfg.ts';
import { Rng } from '../../src/world/rng.ts';

// a^n b^n (n >= 1): recursive, not regular, so only a real parser accepts exactly these strings.
const anbn = compileGrammar({
  start: 'S',
  rules: {
    S: [
      { rhs: ['a', 'S', 'b'], weight: 1 },
      { rhs: ['a', 'b'], weight: 1 },
    ],
  },
  lexicon: {},
});

// Left recursion and an ambiguous category: L -> L X | X, X is a word of category W.
const leftRec = compileGrammar({
  start: 'L',
  rules: {
    L: [
      { rhs: ['L', 'W'], weight: 1 },
      { rhs: ['W'], weight: 1 },
    ],
  },
  lexicon: { W: { words: ['x', 'y'], weights: [1, 1] } },
});

describe('Earley recogniser', () => {
  it('accepts a^n b^n and rejects near misses', () => {
    for (let n = 1; n < 8; n++) {
      const s = [...Array(n).fill('a'), ...Array(n).fill('b')];
      expect(recognise(anbn, s)).toBe(true);
      expect(recognise(anbn, [...s, 'b'])).toBe(false);
      expect(recognise(anbn, ['a', ...s])).toBe(false);
    }
    expect(recognise(anbn, [])).toBe(false);
    expect(recognise(anbn, ['b', 'a'])).toBe(false);
    expect(recognise(anbn, ['a', 'b', 'a', 'b'])).toBe(false);
  });

  it('handles left recursion and categories', () => {
    expect(recognise(leftRec, ['x'])).toBe(true);
    expect(recognise(leftRec, ['x', 'y', 'y', 'x'])).toBe(true);
    expect(recognise(leftRec, ['x', 'z'])).toBe(false);
  });

  it('recognises everything it samples', () => {
    const r = new Rng(1);
    for (let i = 0; i < 200; i++) expect(recognise(anbn, sampleGrammar(anbn, r))).toBe(true);
  });

  it('rejects malformed grammars', () => {
    expect(() => compileGrammar({ start: 'S', rules: { S: [] }, lexicon: {} })).toThrow();
    expect(() =>
      compileGrammar({ start: 'T', rules: { S: [{ rhs: ['a'], weight: 1 }] }, lexicon: {} }),
    ).toThrow();
  });
});
