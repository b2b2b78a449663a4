import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { sha256 } from '../../src/world/sha256.ts';
import { vocabularyTokenizer, UNK } from '../../src/world/tokenizer.ts';
import {
  CORPUS_LIMITS,
  detectKind,
  parseUserCorpus,
  qaDocument,
  splitText,
  textDocuments,
} from '../../src/world/user-corpus.ts';

const enc = (s: string) => new TextEncoder().encode(s);
/** Ten short paragraphs of plain text, 12+ words each. */
const paragraphs = Array.from(
  { length: 10 },
  (_, i) => `Paragraph ${i} talks about rivers. The water runs to the sea, slowly and calmly!`,
).join('\n\n');
const qaLines = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({ question: `What is item number ${i}?`, answer: `Thing ${i}.` }),
  ).join('\n');

const error = (input: Uint8Array | string, kind?: 'text' | 'qa-jsonl') => {
  const r = parseUserCorpus(input, kind ? { kind } : {});
  if (r.ok) throw new Error('expected a failure');
  return r.error;
};

describe('user corpus: validation names each problem', () => {
  it('empty and whitespace-only input', () => {
    expect(error('')).toMatch(/^The input is empty/);
    expect(error(new Uint8Array(0))).toMatch(/^The input is empty/);
    expect(error(' \n\t\n  ')).toMatch(/only whitespace/);
  });

  it('binary: NUL bytes, or many control characters', () => {
    expect(error(new Uint8Array([0x68, 0x69, 0x00, 0x01]))).toMatch(/binary file.*NUL byte at byte 2/);
    const controls = 'text\x01\x02\x03\x04\x05 more text'.repeat(20);
    expect(error(controls)).toMatch(/binary file.*control characters/);
    // a few stray control characters in a long text are tolerated
    expect(parseUserCorpus(paragraphs.replace('rivers', 'riv\x07ers')).ok).toBe(true);
  });

  it('invalid UTF-8, with the byte and line', () => {
    const bytes = new Uint8Array([...enc('line one\nline two \xe9'.slice(0, 18)), 0xff, ...enc(' end')]);
    expect(error(bytes)).toMatch(/not valid UTF-8: byte 0xff at byte 18 \(line 2\)/);
    // a truncated multi-byte character, and a surrogate encoded in UTF-8
    expect(error(new Uint8Array([0x61, 0xe2, 0x82]))).toMatch(/not valid UTF-8: byte 0xe2 at byte 1/);
    expect(error(new Uint8Array([0x61, 0xed, 0xa0, 0x80]))).toMatch(/not valid UTF-8: byte 0xed at byte 1/);
    // a byte-order mark is fine and removed
    const bom = parseUserCorpus(new Uint8Array([0xef, 0xbb, 0xbf, ...enc(paragraphs)]));
    expect(bom.ok && bom.corpus.text.startsWith('Paragraph 0')).toBe(true);
  });

  it('oversized input and overlong lines', () => {
    const big = new Uint8Array(CORPUS_LIMITS.maxBytes + 1).fill(0x61);
    expect(error(big)).toMatch(/too large: 5\.0 MB \(5,000,001 bytes\); the limit is 5\.0 MB/);
    const long = `${paragraphs}\n\n${'word '.repeat(5000)}`;
    expect(error(long)).toMatch(/^Line 21 is 25,000 characters long; the limit is 20,000 per line/);
  });

  it('JSONL: not JSON, not an object, missing or non-string fields, with line numbers', () => {
    const good = qaLines(12).split('\n');
    const withLine = (i: number, line: string) => [...good.slice(0, i), line, ...good.slice(i)].join('\n');
    expect(error(withLine(2, '{"question": "a",'), 'qa-jsonl')).toMatch(
      /^Not valid Q\/A JSONL: line 3 is not valid JSON/,
    );
    expect(error(withLine(0, '[1, 2]'), 'qa-jsonl')).toMatch(/line 1 is an array, not an object/);
    expect(error(withLine(0, '"just text"'), 'qa-jsonl')).toMatch(/line 1 is string, not an object/);
    expect(error(withLine(4, '{"question": "why?"}'), 'qa-jsonl')).toMatch(/line 5 has no "answer" field/);
    expect(error(withLine(4, '{"answer": "because"}'), 'qa-jsonl')).toMatch(/line 5 has no "question" field/);
    expect(error(withLine(1, '{"question": 7, "answer": "x"}'), 'qa-jsonl')).toMatch(
      /line 2: "question" must be a string, got number/,
    );
    expect(error(withLine(1, '{"q": "why", "a": " ?! "}'), 'qa-jsonl')).toMatch(/line 2: "a" has no words/);
    // several bad lines: the first is named, the rest counted
    expect(error(`oops\n${good.join('\n')}\n[]\nnull`, 'qa-jsonl')).toMatch(
      /line 1 is not valid JSON .*\(and 2 more bad lines\)\.$/,
    );
  });

  it('too little to train on', () => {
    expect(error(qaLines(9))).toMatch(/Too little to train on: 9 Q\/A pairs; at least 10/);
    expect(error('one\ntwo\nthree')).toMatch(/Too little to train on: 3 documents; at least 10/);
    expect(error(Array.from({ length: 12 }, (_, i) => `w${i}`).join('\n'))).toMatch(
      /Too little to train on: 12 words; at least 50/,
    );
  });
});

describe('user corpus: parsing', () => {
  it('plain text → one document per paragraph, whole sentences, punctuation as words', () => {
    const r = parseUserCorpus(paragraphs);
    if (!r.ok) throw new Error(r.error);
    const c = r.corpus;
    expect(c.kind).toBe('text');
    expect(c.documents).toHaveLength(10);
    expect(c.documents[3]).toEqual(
      splitText('paragraph 3 talks about rivers . the water runs to the sea , slowly and calmly !'),
    );
    expect(c.pairs).toEqual([]);
    expect(c.summary).toMatchObject({ documents: 10, words: 170, pairs: 0, unknownShare: 0 });
    expect(c.summary.vocabulary).toBe(new Set(c.documents.flat()).size);
    expect(c.vocabulary[0]).toBe('the'); // most frequent first
  });

  it('splitText keeps inner apostrophes and hyphens, splits other marks, lowercases', () => {
    expect(splitText("Don't STOP—well-known, (ok)? Ça va.")).toEqual([
      "don't",
      'stop',
      '—',
      'well-known',
      ',',
      '(',
      'ok',
      ')',
      '?',
      'ça',
      'va',
      '.',
    ]);
  });

  it('long paragraphs are cut at sentence ends; fewer than 10 paragraphs → one document per line', () => {
    const sentence = 'one two three four five six seven eight nine .';
    const docs = textDocuments(Array.from({ length: 10 }, () => sentence).join(' '));
    expect(docs.map((d) => d.length)).toEqual([60, 40]);
    expect(docs[0]!.at(-1)).toBe('.');
    const byLine = textDocuments(Array.from({ length: 12 }, (_, i) => `line ${i} here`).join('\n'));
    expect(byLine).toHaveLength(12);
    // a sentence longer than the limit is cut hard
    expect(textDocuments('x '.repeat(130)).map((d) => d.length)).toEqual([60, 60, 10]);
  });

  it('Q/A JSONL → Q/A-format documents and pairs (question/answer or q/a)', () => {
    const text = `${qaLines(11)}\n\n{"q": "Who wrote it", "a": "Ada Lovelace"}\n`;
    const r = parseUserCorpus(text);
    if (!r.ok) throw new Error(r.error);
    const c = r.corpus;
    expect(c.kind).toBe('qa-jsonl');
    expect(c.pairs).toHaveLength(12);
    expect(c.pairs[0]).toEqual({
      question: ['what', 'is', 'item', 'number', '0'],
      answer: ['thing', '0'],
      line: 1,
    });
    expect(c.pairs[11]).toEqual({ question: ['who', 'wrote', 'it'], answer: ['ada', 'lovelace'], line: 13 });
    expect(c.documents[11]).toEqual(qaDocument(c.pairs[11]!));
    expect(c.documents[11]!.join(' ')).toBe('question : who wrote it ? answer : ada lovelace .');
    expect(c.summary).toMatchObject({ kind: 'qa-jsonl', pairs: 12, documents: 12 });
  });

  it('detects the kind from the name or the first line; an explicit kind wins', () => {
    expect(detectKind('{"q": 1}')).toBe('qa-jsonl');
    expect(detectKind('hello', 'x.JSONL')).toBe('qa-jsonl');
    expect(detectKind('{ not json', 'notes.txt')).toBe('text');
    const asText = parseUserCorpus(qaLines(12), { kind: 'text' });
    expect(asText.ok && asText.corpus.kind).toBe('text');
  });

  it('caps the vocabulary: rare words become <unk>, answer words are kept first', () => {
    const rare = Array.from({ length: CORPUS_LIMITS.maxVocabulary + 50 }, (_, i) => `w${i}`);
    const lines = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({ question: rare.slice(i * 180, (i + 1) * 180).join(' '), answer: `zzans${i}` }),
    );
    const r = parseUserCorpus(lines.join('\n'));
    if (!r.ok) throw new Error(r.error);
    const c = r.corpus;
    expect(c.vocabulary).toHaveLength(CORPUS_LIMITS.maxVocabulary);
    expect(c.vocabulary.slice(0, 12)).toEqual(Array.from({ length: 12 }, (_, i) => `zzans${i}`));
    expect(c.summary.unknownShare).toBeGreaterThan(0);
    expect(c.warnings[0]).toMatch(/rare words .* become <unk>: the vocabulary is capped at 2,000/);
    const t = vocabularyTokenizer(c.vocabulary, splitText);
    expect(t.vocabSize).toBe(CORPUS_LIMITS.maxVocabulary + 4);
    expect(t.encode('zzans3 w2100')).toEqual([t.id('zzans3'), UNK]);
  });

  it('sha256 matches node:crypto', () => {
    for (const s of ['', 'abc', 'é'.repeat(40), 'x'.repeat(119)])
      expect(sha256(s)).toBe(createHash('sha256').update(s).digest('hex'));
  });
});
