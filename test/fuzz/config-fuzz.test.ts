// Fuzzing the config parsers with seeded bad input: the config object (parseConfig), the CLI's JSON
// config file (bytes → settings) and the lab's URL query. Each generated input carries one known fault;
// the parser must not throw, and its message must name that fault's field or problem.
import { describe, expect, it } from 'vitest';
import { MAX_QUERY_CHARS, readUrlConfig } from '../../src/app/state/url-config.ts';
import { MAX_CONFIG_FILE_BYTES, parseConfigFile, resolveCliConfig } from '../../src/cli/config-file.ts';
import { clip, configField, parseConfig, type ConfigField } from '../../src/sim/config.ts';
import {
  anyField,
  badString,
  badValue,
  breakUtf8,
  fuzz,
  PAYLOAD,
  randomBytes,
  unknownKeyName,
  validFor,
  type Rng,
} from '../helpers/fuzz.ts';

/** Upper bound on any message: an enormous input must not make an enormous message. */
const MAX_MESSAGE = 400;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A valid value of `f`, as a JS value. */
function goodValue(rng: Rng, f: ConfigField): unknown {
  switch (f.kind) {
    case 'int':
      return f.min! + rng.int(Math.min(f.max! - f.min!, 1000) + 1);
    case 'number':
      return f.max! - rng.next() * (f.max! - f.min!) * 0.999;
    case 'enum':
      return rng.pick(f.options!);
    default:
      return rng.bool();
  }
}

/** A few valid settings, none of them `except`. */
function goodSettings(rng: Rng, except: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = rng.int(5); i > 0; i--) {
    const f = anyField(rng);
    if (f.key !== except) out[f.key] = goodValue(rng, f);
  }
  return out;
}

describe('config object fuzz', () => {
  it('1,500 objects with one bad or unknown setting: never a throw, always the field named', () => {
    let refused = 0;
    fuzz('config-object', 1500, (rng) => {
      const base = goodSettings(rng, '');
      const unknown = rng.bool(0.25);
      const f = anyField(rng);
      const key = unknown ? unknownKeyName(rng) : f.key;
      const value = badValue(rng);
      const input = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
      Object.defineProperty(input, key, { value, enumerable: true, writable: true, configurable: true });
      const r = parseConfig(input);
      if (!unknown && validFor(f, value)) {
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.config[f.key]).toBe(value);
        return;
      }
      expect(r.ok).toBe(false);
      if (r.ok) return;
      refused++;
      const e = r.errors.find((x) => x.field === clip(key));
      expect(e, `no error for ${clip(key)}`).toBeDefined();
      expect(e!.message.length).toBeLessThan(MAX_MESSAGE);
      if (unknown) expect(e!.message).toMatch(new RegExp(`^${esc(clip(key))}: unknown setting`));
      else expect(e!.message).toMatch(new RegExp(`^${f.key}: must be (an integer|a number|one of|true)`));
      // Only the faulty field is reported: the valid ones around it pass.
      expect(r.errors).toHaveLength(1);
    });
    expect(refused).toBeGreaterThan(1000);
  });
});

type FileCase = { bytes: Uint8Array; expect: RegExp };

/** A config file's bytes with one known fault, and what its message must say. */
function configFileCase(rng: Rng): FileCase {
  const enc = (s: string) => new TextEncoder().encode(s);
  const base = goodSettings(rng, '');
  const json = JSON.stringify(base);
  const f = anyField(rng);
  switch (rng.int(10)) {
    case 0: {
      // a bad value (always a wrong type, or a number out of its range)
      let value = badValue(rng);
      while (validFor(f, value) || typeof value === 'number') value = badValue(rng);
      const deep = Array.isArray(value) && Array.isArray(value[0]);
      // A nesting too deep for JSON.stringify is written out by hand.
      const d = 10_000 + rng.int(50_000);
      const text = deep
        ? `{"${f.key}": ${'['.repeat(d)}${']'.repeat(d)}}`
        : JSON.stringify({ ...base, [f.key]: value });
      return { bytes: enc(text), expect: new RegExp(`: ${f.key}: must be`) };
    }
    case 1: {
      const n = f.kind === 'int' || f.kind === 'number' ? f.max! + 1 + rng.int(1e6) : 'nonsense';
      return {
        bytes: enc(JSON.stringify({ ...base, [f.key]: n })),
        expect: new RegExp(`: ${f.key}: must be`),
      };
    }
    case 2: {
      const key = unknownKeyName(rng);
      const text = `{${JSON.stringify(key)}: 1${json.length > 2 ? `, ${json.slice(1)}` : '}'}`;
      return { bytes: enc(text), expect: new RegExp(`: ${esc(clip(key))}: unknown setting`) };
    }
    case 3: {
      // truncated: any proper prefix of an object is not JSON
      const text = JSON.stringify({ ...base, [f.key]: goodValue(rng, f) }, null, rng.int(3));
      const cut = text.slice(0, 1 + rng.int(text.length - 1));
      return { bytes: enc(cut), expect: /is not valid JSON|is empty/ };
    }
    case 4: {
      const literal = rng.pick(['NaN', 'Infinity', '-Infinity', 'undefined', '1e', '.5', "'x'", '0x10']);
      return { bytes: enc(`{"${f.key}": ${literal}}`), expect: /is not valid JSON/ };
    }
    case 5:
      return {
        bytes: enc(rng.pick(['[]', '[1,2]', 'null', '42', '"generations"', 'true'])),
        expect: /must hold a JSON object of settings/,
      };
    case 6:
      return { bytes: enc(rng.pick(['', ' ', '\n\n', '\t'])), expect: /is empty/ };
    case 7:
      return { bytes: breakUtf8(rng, json), expect: /is not UTF-8 text/ };
    case 8:
      return {
        bytes: randomBytes(rng, 1 + rng.int(2000), rng.bool()),
        expect: /not UTF-8|not valid JSON|is empty|must hold a JSON object/,
      };
    default: {
      // one enormous line: a huge string value, under or over the size limit
      const over = rng.bool(0.3);
      const n = over ? MAX_CONFIG_FILE_BYTES + rng.int(1000) : 1000 + rng.int(200_000);
      const text = `{"${f.key}": "${'a'.repeat(n)}"}`;
      return {
        bytes: enc(text),
        expect: over
          ? /over the limit of 1048576 bytes/
          : f.kind === 'enum'
            ? new RegExp(`: ${f.key}: must be one of .*, got 'a{60}…'$`)
            : new RegExp(`: ${f.key}: must be`),
      };
    }
  }
}

describe('JSON config file fuzz', () => {
  it('1,200 bad config files: never a throw, always the file and the problem named', () => {
    fuzz('config-file', 1200, (rng) => {
      const c = configFileCase(rng);
      const r = parseConfigFile(c.bytes, 'run.json');
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.errors.length).toBeGreaterThan(0);
      for (const e of r.errors) {
        expect(e).toMatch(/^config file run\.json/);
        expect(e.length).toBeLessThan(MAX_MESSAGE);
      }
      expect(r.errors.join('\n')).toMatch(c.expect);
      // Through the whole CLI layering too (preset → file → --set).
      const whole = resolveCliConfig('quick', { name: 'run.json', bytes: c.bytes }, ['generations=2']);
      expect(whole.ok).toBe(false);
    });
  });

  it('takes a valid file between the preset and --set', () => {
    const bytes = new TextEncoder().encode('{"generations": 5, "syntheticFraction": 0.5}');
    const r = resolveCliConfig('quick', { name: 'a.json', bytes }, ['generations=2']);
    expect(r.ok && [r.value.model, r.value.generations, r.value.syntheticFraction]).toEqual(['nano', 2, 0.5]);
  });
});

/** What a URL parameter's text becomes, as the URL parser documents it (numbers via Number, booleans by word). */
function urlValueValid(f: ConfigField, raw: string): boolean {
  const t = raw.trim();
  if (f.kind === 'int' || f.kind === 'number') return t !== '' && validFor(f, Number(t));
  if (f.kind === 'boolean') return /^(true|false|1|0|yes|no|on|off)$/i.test(t);
  return validFor(f, t);
}

describe('URL config fuzz', () => {
  it('1,500 queries with one fault: never a throw, a valid config, the parameter named', () => {
    let faults = 0;
    fuzz('url-config', 1500, (rng) => {
      const good = goodSettings(rng, '');
      const params = new URLSearchParams();
      const fault = rng.int(6);
      const f = anyField(rng);
      delete good[f.key];
      for (const [k, x] of Object.entries(good)) params.append(k, String(x));
      let expectError: { field: string; message: RegExp } | null = null;
      let query: string;
      if (fault === 0) {
        const raw = rng.bool()
          ? badString(rng).slice(0, 3000)
          : String(rng.pick([f.max ?? 1, f.min ?? 0]) + rng.pick([1, -1]));
        params.append(f.key, raw);
        if (!urlValueValid(f, raw))
          expectError = { field: f.key, message: new RegExp(`^${f.key}: (must be|expected)`) };
      } else if (fault === 1) {
        const key = unknownKeyName(rng).slice(0, 4000);
        params.append(key, badString(rng).slice(0, 1000));
        expectError = { field: clip(key.trim()), message: /unknown setting|expected key=value/ };
      } else if (fault === 2) {
        const name = rng.pick(['Quick', 'nope', '', PAYLOAD, 'x'.repeat(3000)]);
        params.set('preset', name);
        expectError = { field: 'preset', message: /^preset: unknown '.*' \(known: default, quick/ };
      } else if (fault === 3) {
        params.set('backend', rng.pick(['cuda', 'WEBGPU', '', PAYLOAD]));
        expectError = { field: 'backend', message: /^backend: must be one of auto, webgpu, wasm/ };
      } else if (fault === 4) {
        // broken percent-encoding and stray separators are read leniently, as any browser does
        params.append(f.key, String(goodValue(rng, f)));
      }
      query = params.toString();
      if (fault === 4) query = `${rng.pick(['%', '%E0%A4%A', '&&', '=', '%FF', '?'])}&${query}`;
      if (fault === 5) {
        query = `seed=1&${'a'.repeat(MAX_QUERY_CHARS + rng.int(1_000_000))}`;
        expectError = { field: 'url', message: /^url: the query is \d+ characters, over the 16384 read/ };
      }
      const r = readUrlConfig(rng.bool() ? `?${query}` : query);
      // Whatever the query, the lab gets a config that is valid as a whole.
      expect(parseConfig(r.config).ok).toBe(true);
      for (const e of r.errors) expect(e.message.length).toBeLessThan(MAX_MESSAGE);
      if (expectError) {
        faults++;
        const e = r.errors.find((x) => x.field === expectError.field);
        expect(
          e,
          `no error for ${expectError.field}: ${JSON.stringify(r.errors).slice(0, 300)}`,
        ).toBeDefined();
        expect(e!.message).toMatch(expectError.message);
      }
      // Every good parameter is applied (unless the query was refused as a whole).
      if (fault !== 5 && fault !== 2)
        for (const [k, x] of Object.entries(good)) expect(r.config[configField(k)!.key]).toEqual(x);
    });
    expect(faults).toBeGreaterThan(1000);
  });

  it('refuses a 100 MB query before parsing it, saying why', () => {
    const query = `preset=quick&${'generations=3&'.repeat(Math.ceil((100 * 2 ** 20) / 14))}`;
    const t0 = performance.now();
    const r = readUrlConfig(query);
    // Parsing it would take seconds (a 1 MB unknown key alone took 10 s before the limit).
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r.preset).toBe('default');
    expect(r.errors).toEqual([
      {
        field: 'url',
        message: `url: the query is ${query.length} characters, over the 16384 read; using the default preset`,
      },
    ]);
  });

  it('reads a key that holds "=" as that key, not split at it', () => {
    const r = readUrlConfig(new URLSearchParams({ [PAYLOAD]: '1', seed: '7' }).toString());
    expect(r.config.seed).toBe(7);
    expect(r.errors.map((e) => e.field)).toEqual([PAYLOAD]);
  });
});
