// Seeded generators of bad input for the parser fuzz tests: every run of a test sees the same inputs,
// so a failure names an input that can be replayed.
import { configFields, type ConfigField } from '../../src/sim/config.ts';
import { Rng } from '../../src/world/rng.ts';

export { Rng };

/** An XSS-style payload: bad input must be shown as text, never rendered. */
export const PAYLOAD = '<img src=x onerror=window.__xss=1>';

/** A value nested `depth` arrays deep (deep enough to overflow a recursive printer). */
export const deepArray = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

/** Strings a user (or a corrupted file) might put where a value belongs. */
export function badString(rng: Rng): string {
  return rng.pick([
    () => '',
    () => ' ',
    () => 'NaN',
    () => 'Infinity',
    () => '-Infinity',
    () => '1e400',
    () => '-1e400',
    () => '1e-400',
    () => '0x1f',
    () => '1_000',
    () => '٣', // an Arabic-Indic digit
    () => 'true',
    () => 'null',
    () => 'undefined',
    () => '[]',
    () => '{}',
    () => PAYLOAD,
    () => '\u0000\u0001\u0002',
    () => '\ud800', // a lone surrogate
    () => '💥'.repeat(rng.int(50) + 1),
    () => 'x'.repeat(rng.int(200_000) + 1),
    () => String(rng.range(-1e9, 1e9)),
    () => String(2 ** 53 + 1),
    () => String(rng.int(1000) - 500),
    () => Array.from({ length: rng.int(30) + 1 }, () => String.fromCharCode(rng.int(0xffff))).join(''),
  ])();
}

/** Any JSON-able or non-JSON value, weighted towards wrong types and edge numbers. */
export function badValue(rng: Rng): unknown {
  return rng.pick([
    () => NaN,
    () => Infinity,
    () => -Infinity,
    () => 1e308,
    () => -1e308,
    () => Number.MIN_VALUE,
    () => -0,
    () => 2 ** 53 + 1,
    () => -1,
    () => rng.int(1000) - 500,
    () => rng.range(-10, 10),
    () => 0.5,
    () => null,
    () => true,
    () => false,
    () => [],
    () => [1, 2, 3],
    () => ({}),
    () => ({ value: 1 }),
    () => deepArray(rng.int(50_000) + 10_000),
    () => badString(rng),
  ])();
}

/** A config field chosen at random. */
export const anyField = (rng: Rng): ConfigField => rng.pick(configFields);

/**
 * Whether `x` is a valid value of `f`, judged from the field's published metadata alone (kind, range,
 * options), not from the schema the parser uses.
 */
export function validFor(f: ConfigField, x: unknown): boolean {
  switch (f.kind) {
    case 'int':
    case 'number': {
      if (typeof x !== 'number' || !Number.isFinite(x)) return false;
      if (f.kind === 'int' && !Number.isInteger(x)) return false;
      return (f.minExclusive ? x > f.min! : x >= f.min!) && x <= f.max!;
    }
    case 'enum':
      return typeof x === 'string' && f.options!.includes(x);
    case 'boolean':
      return typeof x === 'boolean';
    case 'string':
      return typeof x === 'string';
  }
}

/** A key that names no setting: a typo of one, a case change, garbage, a prototype name or a huge one. */
export function unknownKeyName(rng: Rng): string {
  const k = anyField(rng).key as string;
  return rng.pick([
    () => `${k}x`,
    () => k.toUpperCase(),
    () => k.slice(1),
    () => `__proto__`,
    () => 'constructor',
    () => 'toString',
    () => PAYLOAD,
    () => 'k'.repeat(rng.int(100_000) + 100),
    () => `z${rng.int(1e6)}`,
  ])();
}

/** Random bytes, optionally forced to be invalid UTF-8. */
export function randomBytes(rng: Rng, n: number, invalidUtf8 = false): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = rng.int(256);
  if (invalidUtf8 && n > 0) b[rng.int(n)] = 0xff; // 0xff never appears in UTF-8
  return b;
}

/** `text` with bytes that are not UTF-8 spliced in: a lone continuation byte, an overlong form or 0xff. */
export function breakUtf8(rng: Rng, text: string): Uint8Array<ArrayBuffer> {
  const bytes = new TextEncoder().encode(text);
  const at = rng.int(bytes.length + 1);
  const bad = rng.pick([[0x80], [0xc0, 0xaf], [0xff], [0xed, 0xa0, 0x80], [0xe2, 0x82]]);
  return new Uint8Array([...bytes.subarray(0, at), ...bad, ...bytes.subarray(at)]);
}

/** Runs `body` `count` times with a fresh child stream each time; a throw names the case that failed. */
export function fuzz(seed: string, count: number, body: (rng: Rng, i: number) => void): void {
  const root = new Rng(seed);
  for (let i = 0; i < count; i++) {
    const rng = root.child(`case:${i}`);
    try {
      body(rng, i);
    } catch (e) {
      (e as Error).message = `fuzz case ${seed}#${i}: ${(e as Error).message}`;
      throw e;
    }
  }
}
