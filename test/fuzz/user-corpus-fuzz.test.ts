// Fuzzing the own-corpus parser (src/world/user-corpus.ts) with seeded bad input: valid text or Q/A JSONL
// with one fault spliced in (a bad JSONL line of each kind, broken UTF-8, a NUL byte, binary, one
// enormous line, too little text, too many bytes), then a 100 MB upload. It must never throw, and its
// message must name the line, byte or limit at fault.
import { describe, expect, it } from 'vitest';
import { CORPUS_LIMITS, parseUserCorpus } from '../../src/world/user-corpus.ts';
import { badValue, breakUtf8, fuzz, PAYLOAD, randomBytes, type Rng } from '../helpers/fuzz.ts';

const WORDS = ['the', 'river', 'flows', 'through', 'veloria', 'drumond', 'capital', 'is', 'of', 'a', 'city'];
const sentence = (rng: Rng, n = 5 + rng.int(8)) =>
  Array.from({ length: n }, () => rng.pick(WORDS)).join(' ') + ' .';
const pair = (rng: Rng) => ({ question: `what is ${sentence(rng, 3)} ?`, answer: sentence(rng, 2) });
const enc = (s: string) => new TextEncoder().encode(s);

type Case = { input: Uint8Array | string; kind?: 'text' | 'qa-jsonl'; ok?: boolean; expect: RegExp };

function jsonlCase(rng: Rng): Case {
  const lines = Array.from({ length: 12 + rng.int(20) }, () => JSON.stringify(pair(rng)));
  const at = rng.int(lines.length);
  const n = at + 1;
  const key = rng.pick(['question', 'answer'] as const);
  switch (rng.int(7)) {
    case 0:
      lines[at] = lines[at]!.slice(0, 1 + rng.int(lines[at]!.length - 2));
      return { input: lines.join('\n'), kind: 'qa-jsonl', expect: new RegExp(`line ${n} is not valid JSON`) };
    case 1: {
      let value = badValue(rng);
      while (typeof value === 'string' || (Array.isArray(value) && Array.isArray(value[0])))
        value = badValue(rng);
      lines[at] = JSON.stringify({ ...pair(rng), [key]: value });
      return {
        input: lines.join('\n'),
        kind: 'qa-jsonl',
        expect: new RegExp(`line ${n}: "${key}" must be a string, got`),
      };
    }
    case 2: {
      const p: Record<string, string> = pair(rng);
      delete p[key];
      lines[at] = JSON.stringify(p);
      return {
        input: lines.join('\n'),
        kind: 'qa-jsonl',
        expect: new RegExp(`line ${n} has no "${key}" field`),
      };
    }
    case 3:
      lines[at] = rng.pick(['[1, 2]', 'null', '42', '"question"', 'true']);
      return {
        input: lines.join('\n'),
        kind: 'qa-jsonl',
        expect: new RegExp(`line ${n} is (an array|null|number|string|boolean), not an object`),
      };
    case 4:
      lines[at] = JSON.stringify({ ...pair(rng), [key]: rng.pick(['', ' ', '...', '?!']) });
      return {
        input: lines.join('\n'),
        kind: 'qa-jsonl',
        expect: new RegExp(`line ${n}: "${key}" has no words`),
      };
    case 5:
      // unknown keys and markup in the text are fine: it is only ever text
      lines[at] = JSON.stringify({
        ...pair(rng),
        extra: badValue(rng) === null ? 1 : 'x',
        [key]: `${PAYLOAD} ok .`,
      });
      return { input: lines.join('\n'), kind: 'qa-jsonl', ok: true, expect: /./ };
    default:
      return {
        input: lines.slice(0, 1 + rng.int(CORPUS_LIMITS.minDocuments - 1)).join('\n'),
        kind: 'qa-jsonl',
        expect: /^Too little to train on: \d+ Q\/A pairs; at least 10 are needed/,
      };
  }
}

function textCase(rng: Rng): Case {
  const text = Array.from({ length: 12 + rng.int(20) }, () => sentence(rng)).join('\n\n');
  switch (rng.int(9)) {
    case 0:
      return {
        input: breakUtf8(rng, text),
        expect: /^The input is not valid UTF-8: byte 0x[0-9a-f]{2} at byte [\d,]+ \(line \d+\)/,
      };
    case 1: {
      const b = enc(text);
      const at = rng.int(b.length);
      b[at] = 0;
      return { input: b, expect: new RegExp(`NUL byte at byte ${at.toLocaleString('en-US')}`) };
    }
    case 2:
      return {
        input: randomBytes(rng, 1 + rng.int(5000), rng.bool()),
        expect: /UTF-8|NUL byte|control characters|empty|whitespace|Too little|Line \d+/,
      };
    case 3:
      return {
        input: rng.pick(['', ' ', '\n\n\t', '\uFEFF']),
        expect: /^The input (is empty|holds only whitespace)/,
      };
    case 4: {
      const n = CORPUS_LIMITS.maxLineChars + 1 + rng.int(200_000);
      const lines = text.split('\n');
      const at = rng.int(lines.length);
      lines[at] = 'a'.repeat(n);
      return {
        input: lines.join('\n'),
        expect: new RegExp(`^Line ${at + 1} is [\\d,]+ characters long; the limit is 20,000 per line`),
      };
    }
    case 5:
      return {
        input: enc('word '.repeat(CORPUS_LIMITS.maxBytes / 5 + 1 + rng.int(1000))),
        expect: /^The input is too large: .* the limit is/,
      };
    case 6:
      return { input: sentence(rng, 3), expect: /^Too little to train on/ };
    case 7:
      return { input: `${text}\n\n${PAYLOAD} ${'\u202e'}${sentence(rng)}`, ok: true, expect: /./ };
    default:
      return { input: rng.bool() ? text : enc(`\uFEFF${text}`), ok: true, expect: /./ };
  }
}

describe('own corpus fuzz', () => {
  it('1,400 bad corpora: never a throw, the line, byte or limit named', () => {
    let refused = 0;
    fuzz('user-corpus', 1400, (rng) => {
      const c = rng.bool() ? jsonlCase(rng) : textCase(rng);
      const r = parseUserCorpus(c.input, {
        kind: c.kind ?? 'auto',
        name: c.kind === 'qa-jsonl' ? 'qa.jsonl' : 'notes.txt',
      });
      if (c.ok) {
        expect(r.ok, r.ok ? '' : r.error).toBe(true);
        return;
      }
      expect(r.ok).toBe(false);
      if (r.ok) return;
      refused++;
      expect(r.error.length).toBeLessThan(400);
      expect(r.error).toMatch(c.expect);
    });
    expect(refused).toBeGreaterThan(1000);
  });

  it('refuses a 100 MB upload from its size, saying so', () => {
    const t0 = performance.now();
    const r = parseUserCorpus(new Uint8Array(100 * 2 ** 20), { name: 'big.txt' });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r.ok || r.error).toMatch(/^The input is too large: 104\.9 MB .*; the limit is 5(\.0)? MB\.$/);
  });
});
