// Fuzzing run-file import with seeded bad files: a real record (the quick preset's, with samples and
// probes) with one value of the wrong type, a key missing, an unknown setting, the JSON cut short, the
// wrong schema or version, binary bytes, broken UTF-8, non-object JSON and enormous lines; then a
// 100 MB file. Import must never throw, and each message must name the path or the problem.
import { describe, expect, it } from 'vitest';
import { MAX_RUN_FILE_BYTES, parseRunFile, readRunFile, runFileText } from '../../src/app/state/run-file.ts';
import { clip, configField } from '../../src/sim/config.ts';
import type { RunRecord } from '../../src/sim/record.ts';
import { QUICK_RUN } from '../charts/fixtures.ts';
import { badValue, breakUtf8, PAYLOAD, randomBytes, Rng, unknownKeyName, validFor } from '../helpers/fuzz.ts';

/** The quick run, with samples (spans included) and probes so that every part of the schema is present. */
const BASE: RunRecord = {
  ...structuredClone(QUICK_RUN),
  generations: QUICK_RUN.generations.map((g) => ({
    ...structuredClone(g),
    samples: [
      {
        text: `the capital of veloria is drumond . ${PAYLOAD}`,
        spans: [{ start: 0, end: 34, kind: 'true', factId: 'f1' }],
      },
      { text: 'question : what is it ? answer : it .' },
    ],
    probes: [
      {
        factId: 'f1',
        format: 'qa',
        question: 'question : what is the capital of veloria ? answer :',
        answer: 'drumond',
        expected: 'drumond',
        correct: true,
        probability: 0.5,
        popularity: 'head',
      },
    ],
  })),
};

type Path = (string | number)[];

/** Every leaf of `x` (a value that is not an object or array), by path. */
function leaves(x: unknown, path: Path = [], out: Path[] = []): Path[] {
  if (x !== null && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) leaves(v, [...path, Array.isArray(x) ? Number(k) : k], out);
  } else out.push(path);
  return out;
}

/** Every key of an object (not an array element), by path. */
function keys(x: unknown, path: Path = [], out: Path[] = []): Path[] {
  if (x !== null && typeof x === 'object')
    for (const [k, v] of Object.entries(x)) {
      const p = [...path, Array.isArray(x) ? Number(k) : k];
      if (!Array.isArray(x)) out.push(p);
      keys(v, p, out);
    }
  return out;
}

const LEAVES = leaves(BASE).filter((p) => p[0] !== 'schema' && p[0] !== 'version');
/** Keys that may be left out: optional ones, config settings (defaults fill them) and record-type maps. */
const OPTIONAL = new Set([
  'analytic',
  'rankFrequency',
  'spans',
  'factId',
  'popularity',
  'userAgent',
  'error',
]);
const REQUIRED = keys(BASE).filter(
  (p) =>
    !['config', 'schema', 'version'].includes(String(p[0])) &&
    !OPTIONAL.has(String(p.at(-1))) &&
    !['accuracyByFormat', 'versions'].includes(String(p.at(-2))),
);

const get = (x: unknown, p: Path): unknown =>
  p.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], x);
const parentOf = (x: unknown, p: Path) => get(x, p.slice(0, -1)) as Record<string | number, unknown>;
const dotted = (p: Path) => p.map((k) => clip(String(k), 40)).join('.');
const jsonType = (x: unknown) => (x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x);
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Case = { text?: string; bytes?: Uint8Array<ArrayBuffer>; ok?: boolean; expect: RegExp };

function runFileCase(rng: Rng): Case {
  const record = structuredClone(BASE) as unknown;
  const text = () => runFileText(record as RunRecord);
  switch (rng.int(10)) {
    case 0: {
      // one leaf of the wrong type (a config setting: any invalid value)
      const p = rng.pick(LEAVES);
      const before = get(record, p);
      let value = badValue(rng);
      const deep = Array.isArray(value) && Array.isArray(value[0]);
      if (deep) value = '__DEEP__';
      const stored = value === undefined ? null : (JSON.parse(JSON.stringify(value) ?? 'null') as unknown);
      if (p[0] === 'config') {
        const f = configField(String(p[1]))!;
        parentOf(record, p)[p.at(-1)!] = value;
        const t = text().replace('"__DEEP__"', '['.repeat(20_000) + ']'.repeat(20_000));
        const valid = !deep && validFor(f, stored);
        return { text: t, ok: valid, expect: new RegExp(`^config\\.${f.key}: must be`, 'm') };
      }
      if (!deep && (jsonType(stored) === jsonType(before) || stored === null))
        value = jsonType(before) === 'string' ? 7 : 'seven';
      parentOf(record, p)[p.at(-1)!] = value;
      const t = text().replace('"__DEEP__"', '['.repeat(20_000) + ']'.repeat(20_000));
      return { text: t, expect: new RegExp(`^${esc(dotted(p))}: expected`, 'm') };
    }
    case 1: {
      const p = rng.pick(REQUIRED);
      delete parentOf(record, p)[p.at(-1)!];
      return { text: text(), expect: new RegExp(`^${esc(dotted(p))}: missing`, 'm') };
    }
    case 2: {
      // an unknown setting is refused by name; unknown keys elsewhere are ignored
      const key = unknownKeyName(rng);
      const inConfig = rng.bool();
      const at = inConfig
        ? (record as RunRecord).config
        : rng.pick([record, (record as RunRecord).environment]);
      Object.defineProperty(at, key, { value: 1, enumerable: true, writable: true, configurable: true });
      return {
        text: text(),
        ok: !inConfig,
        expect: new RegExp(`^config\\.${esc(clip(key))}: unknown setting`, 'm'),
      };
    }
    case 3: {
      const t = text();
      return { text: t.slice(0, 1 + rng.int(t.length - 1)), expect: /^the file is not JSON: / };
    }
    case 4: {
      const r = record as Record<string, unknown>;
      if (rng.bool()) {
        r.schema = rng.pick(['ouroboros', 'Ouroboros-run', 1, null, PAYLOAD, ['ouroboros-run']]);
        return {
          text: text(),
          expect: /^not an Ouroboros run record: schema is .*, expected 'ouroboros-run'/,
        };
      }
      if (rng.bool()) delete r.version;
      else r.version = rng.pick([0, 2, 999, '1', 1.5, -1, null, 1e308]);
      return { text: text(), expect: /^unsupported record version .*: this build reads version 1$/ };
    }
    case 5:
      return { text: rng.pick(['', ' ', '\n', '\t\r\n']), expect: /^the file is empty$/ };
    case 6:
      return {
        bytes: randomBytes(rng, 1 + rng.int(4000), rng.bool()),
        expect: /^the file (cannot be read: it is not UTF-8|is not JSON|is empty)|^not a run record/,
      };
    case 7:
      return { bytes: breakUtf8(rng, text()), expect: /^the file cannot be read: it is not UTF-8 text/ };
    case 8:
      return {
        text: rng.pick(['[]', '[{}]', 'null', '0', '"ouroboros-run"', 'true', '[' + text() + ']']),
        expect: /^not a run record: expected an object, got (null|number|string|boolean|an array)$/,
      };
    default: {
      // one enormous line: a sample of megabytes (valid), or a config value as long (invalid)
      const n = 100_000 + rng.int(900_000);
      const r = record as RunRecord;
      if (rng.bool()) {
        r.generations[0]!.samples[0]!.text = 'x'.repeat(n);
        return { text: JSON.stringify(r), ok: true, expect: /./ };
      }
      (r.config as Record<string, unknown>).model = 'y'.repeat(n);
      return { text: JSON.stringify(r), expect: /^config\.model: must be one of .*, got 'y{60}…'$/m };
    }
  }
}

describe('run file fuzz', () => {
  it('1,500 bad run files: never a throw, the path or problem named, good parts accepted', async () => {
    const root = new Rng('run-file');
    let refused = 0;
    for (let i = 0; i < 1500; i++) {
      const c = runFileCase(root.child(`case:${i}`));
      const bytes = c.bytes ?? new TextEncoder().encode(c.text!);
      const r = await readRunFile(new Blob([bytes]));
      const where = `fuzz case run-file#${i}`;
      if (c.ok) {
        expect(r.ok, `${where}: ${r.ok ? '' : r.errors.join('; ')}`).toBe(true);
        continue;
      }
      expect(r.ok, where).toBe(false);
      if (r.ok) continue;
      refused++;
      expect(r.errors.length).toBeGreaterThan(0);
      expect(r.errors.length).toBeLessThanOrEqual(13);
      for (const e of r.errors) expect(e.length, where).toBeLessThan(400);
      expect(r.errors.join('\n'), where).toMatch(c.expect);
    }
    expect(refused).toBeGreaterThan(1000);
  });

  it('refuses a 100 MB file from its size, before reading a byte, and says so', async () => {
    let read = false;
    const file = {
      size: 100 * 2 ** 20,
      arrayBuffer: () => {
        read = true;
        return Promise.resolve(new ArrayBuffer(0));
      },
    };
    expect(await readRunFile(file)).toEqual({
      ok: false,
      errors: ['the file is 100 MiB, over the limit: run files up to 64 MiB are accepted'],
    });
    expect(read).toBe(false);
    // A real one too (a Blob of 100 MB of zeros), and text past the limit given directly.
    const blob = new Blob([new Uint8Array(100 * 2 ** 20)]);
    const r = await readRunFile(blob);
    expect(r.ok || r.errors[0]).toMatch(/over the limit: run files up to 64 MiB/);
    const t = parseRunFile('{', MAX_RUN_FILE_BYTES + 1);
    expect(t.ok || t.errors[0]).toMatch(/over the limit/);
  });
});
