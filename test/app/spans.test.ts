import { describe, expect, it } from 'vitest';
import { segments } from '../../src/app/spans.ts';

describe('sample spans', () => {
  const text = 'the capital of veloria is drumond . tree waits';

  it('cuts the text at the spans, covering it exactly once', () => {
    const s = segments(text, [
      { start: 36, end: 46, kind: 'ungrammatical' },
      { start: 0, end: 35, kind: 'true-fact' },
    ]);
    expect(s).toEqual([
      { text: 'the capital of veloria is drumond .', kind: 'true-fact' },
      { text: ' ', kind: null },
      { text: 'tree waits', kind: 'ungrammatical' },
    ]);
    expect(s.map((x) => x.text).join('')).toBe(text);
  });

  it('leaves text without spans whole', () => {
    expect(segments(text)).toEqual([{ text, kind: null }]);
    expect(segments('')).toEqual([]);
  });

  it('clamps overlapping and out-of-range spans instead of repeating or losing text', () => {
    const s = segments('abcdef', [
      { start: 0, end: 4, kind: 'filler' },
      { start: 2, end: 99, kind: 'false-fact' },
    ]);
    expect(s).toEqual([
      { text: 'abcd', kind: 'filler' },
      { text: 'ef', kind: 'false-fact' },
    ]);
  });
});
