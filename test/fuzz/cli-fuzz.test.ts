// Fuzzing `npm run simulate`'s arguments: valid command lines with one fault spliced in (an unknown
// option, a missing value, a bad preset, setting, backend or thread count, a bad config file). Each
// must be refused with a UsageError — never another exception — whose message names the fault.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.ts';
import { parseSimulateArgs } from '../../src/cli/simulate-args.ts';
import { parseConfig } from '../../src/sim/config.ts';
import { presetNames } from '../../src/sim/presets.ts';
import { anyField, badString, fuzz, PAYLOAD, unknownKeyName, validFor, type Rng } from '../helpers/fuzz.ts';

let dir: string;
/** Config files with one fault each, and what the message must say. */
const files: { name: string; expect: RegExp }[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ouro-cli-fuzz-'));
  const put = (name: string, content: string | Uint8Array, expect: RegExp) => {
    fs.writeFileSync(path.join(dir, name), content);
    files.push({ name, expect });
  };
  put('truncated.json', '{"generations": 5, "seed"', /truncated\.json is not valid JSON/);
  put('binary.bin', new Uint8Array([0x7b, 0xff, 0xfe, 0x00, 0x80]), /binary\.bin is not UTF-8 text/);
  put('latin1.json', Buffer.from('{"evalDomain": "géographie"}', 'latin1'), /latin1\.json is not UTF-8/);
  put('array.json', '[1, 2]', /array\.json must hold a JSON object of settings/);
  put('empty.json', '', /empty\.json is empty/);
  put('bad-value.json', '{"syntheticFraction": 2}', /syntheticFraction: must be a number in \[0, 1\], got 2/);
  put('unknown.json', '{"colour": "red"}', /unknown\.json: colour: unknown setting/);
  put('nan.json', '{"seed": NaN}', /nan\.json is not valid JSON/);
  put('long-line.json', `{"model": "${'a'.repeat(900_000)}"}`, /model: must be one of .*, got 'a{60}…'/);
  // 100 MB, sparse: refused from its size alone, before a byte is read.
  fs.closeSync(fs.openSync(path.join(dir, 'huge.json'), 'w'));
  fs.truncateSync(path.join(dir, 'huge.json'), 100 * 2 ** 20);
  files.push({ name: 'huge.json', expect: /huge\.json is 104857600 bytes, over the limit of 1048576 bytes/ });
  fs.mkdirSync(path.join(dir, 'folder.json'));
  files.push({
    name: 'folder.json',
    expect: /cannot read config file .*folder\.json: it is a directory, not a regular file/,
  });
  files.push({ name: 'missing.json', expect: /cannot read config file .*missing\.json: ENOENT/ });
  fs.writeFileSync(path.join(dir, 'good.json'), '{"generations": 2}');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** An option as one argument (--name=value) or two (--name value). */
const option = (rng: Rng, name: string, value: string): string[] =>
  rng.bool() && !value.startsWith('--') ? [`--${name}=${value}`] : [`--${name}`, value];

/** A valid --set value. */
function goodSet(rng: Rng): string {
  const f = anyField(rng);
  const value =
    f.kind === 'enum'
      ? rng.pick(f.options!)
      : f.kind === 'boolean'
        ? rng.pick(['true', 'off', 'yes'])
        : String(f.kind === 'int' ? f.min : f.max);
  return `${f.key}=${value}`;
}

/** A valid command line, without the options in `leave`. */
function goodArgs(rng: Rng, leave: Set<string>): string[][] {
  const parts: string[][] = [];
  if (!leave.has('preset') && rng.bool()) parts.push(option(rng, 'preset', rng.pick(presetNames)));
  for (let i = rng.int(4); i > 0; i--) parts.push(option(rng, 'set', goodSet(rng)));
  if (rng.bool(0.3)) parts.push(['--quiet']);
  if (!leave.has('backend') && rng.bool(0.3)) parts.push(option(rng, 'backend', rng.pick(['node', 'wasm'])));
  if (!leave.has('threads') && rng.bool(0.3)) parts.push(option(rng, 'threads', String(1 + rng.int(16))));
  for (const name of ['out', 'csv'])
    if (!leave.has(name) && rng.bool(0.3)) parts.push(option(rng, name, `run.${name}`));
  if (!leave.has('config') && rng.bool(0.3)) parts.push(option(rng, 'config', path.join(dir, 'good.json')));
  return rng.shuffle(parts);
}

/** One fault: the arguments that carry it, where they may go, and what the message must say. */
function fault(rng: Rng): { args: string[]; leave: string[]; last?: boolean; expect: RegExp } {
  switch (rng.int(9)) {
    case 0: {
      const name = rng.pick(['bogus', 'Preset', 'set-', '', 'help-me', PAYLOAD, 'x'.repeat(5000)]);
      return { args: [`--${name}`], leave: [], expect: /^unknown option --/ };
    }
    case 1:
      return {
        args: [rng.pick(['quick', '-p', '—preset', PAYLOAD, '', 'x'.repeat(10_000)])],
        leave: [],
        expect: /^unexpected argument '.*': options start with --/s,
      };
    case 2: {
      const name = rng.pick(['preset', 'set', 'config', 'out', 'csv', 'backend', 'threads']);
      return { args: [`--${name}`], leave: [], last: true, expect: new RegExp(`^--${name} needs a value`) };
    }
    case 3:
      return {
        args: option(rng, 'preset', rng.pick(['nope', 'Quick', '', PAYLOAD, 'q'.repeat(20_000)])),
        leave: ['preset'],
        expect: /^preset: unknown '.*' \(known: 'default', 'quick'/,
      };
    case 4: {
      const f = anyField(rng);
      const roll = rng.int(3);
      if (roll === 0) {
        const key = unknownKeyName(rng);
        return { args: option(rng, 'set', `${key}=1`), leave: [], expect: /^--set .*: unknown setting/ };
      }
      if (roll === 1 && f.kind !== 'boolean')
        return {
          args: option(rng, 'set', f.key),
          leave: [],
          expect: new RegExp(`^--set ${f.key}: expected`),
        };
      let raw = badString(rng);
      while (validFor(f, f.kind === 'int' || f.kind === 'number' ? Number(raw.trim() || NaN) : raw.trim()))
        raw = badString(rng);
      if (f.kind === 'boolean' && /^(true|false|1|0|yes|no|on|off)$/i.test(raw.trim())) raw = 'maybe';
      return {
        args: option(rng, 'set', `${f.key}=${raw}`),
        leave: [],
        expect: new RegExp(`^--set ${f.key}: must be`),
      };
    }
    case 5:
      return {
        args: option(rng, 'backend', rng.pick(['cuda', 'webgpu', 'NODE', PAYLOAD])),
        leave: ['backend'],
        expect: /^--backend must be node or wasm/,
      };
    case 6:
      return {
        args: option(rng, 'threads', rng.pick(['0', '-1', '1.5', 'two', '1e3', '99999', 'NaN', ' 2'])),
        leave: ['threads'],
        expect: /^--threads must be an integer in \[1, 9999\]/,
      };
    case 7: {
      const f = rng.pick(files);
      return { args: option(rng, 'config', path.join(dir, f.name)), leave: ['config'], expect: f.expect };
    }
    default: {
      const name = rng.pick(['out', 'csv']);
      return { args: [`--${name}=`], leave: [name], expect: new RegExp(`^--${name} needs a file name`) };
    }
  }
}

describe('simulate arguments fuzz', () => {
  it('1,500 command lines with one fault: a UsageError that names it, never another exception', () => {
    const seen = new Set<string>();
    fuzz('cli-args', 1500, (rng) => {
      const f = fault(rng);
      const parts = goodArgs(rng, new Set(f.leave));
      const at = f.last ? parts.length : rng.int(parts.length + 1);
      parts.splice(at, 0, f.args);
      const argv = parts.flat();
      let error: unknown;
      try {
        parseSimulateArgs(argv);
      } catch (e) {
        error = e;
      }
      expect(error, argv.join(' ').slice(0, 200)).toBeInstanceOf(UsageError);
      const message = (error as Error).message;
      expect(message.length).toBeLessThan(400);
      expect(message).toMatch(f.expect);
      seen.add(f.expect.source);
    });
    // Every kind of fault and every config file came up.
    expect(seen.size).toBeGreaterThanOrEqual(8 + files.length);
  });

  it('accepts every valid command line it generates', () => {
    fuzz('cli-good', 300, (rng) => {
      const argv = goodArgs(rng, new Set()).flat();
      const options = parseSimulateArgs(argv);
      expect(options).not.toBeNull();
      expect(parseConfig(options!.config).ok).toBe(true);
    });
    expect(parseSimulateArgs(['--help'])).toBeNull();
  });
});
