import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../src/sim/record.ts';

const tsx = path.resolve('node_modules/.bin/tsx');
const cli = (args: string[]) =>
  spawnSync(tsx, ['src/cli/simulate.ts', ...args], { encoding: 'utf8', timeout: 180_000 });

describe('npm run simulate', () => {
  it(
    'runs the quick preset end to end within two minutes, writing the record and CSV',
    { timeout: 180_000 },
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ouro-'));
      const t0 = Date.now();
      const r = cli([
        '--preset',
        'quick',
        '--out',
        path.join(dir, 'run.json'),
        '--csv',
        path.join(dir, 'm.csv'),
      ]);
      const seconds = (Date.now() - t0) / 1000;
      expect(r.status, r.stderr).toBe(0);
      expect(seconds).toBeLessThan(120);
      const rows = r.stdout.trim().split('\n');
      expect(rows[0]).toMatch(/gen\s+stage\s+accuracy/);
      expect(rows.slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['0', '1', '2', '3']);
      const record = parseRecord(JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')));
      expect(record.ok).toBe(true);
      if (record.ok) expect(record.record.generations).toHaveLength(4);
      const csv = fs.readFileSync(path.join(dir, 'm.csv'), 'utf8').trim().split('\n');
      expect(csv).toHaveLength(5);
      expect(csv[0]).toContain('accuracyByFormat.qa');
    },
  );

  it('refuses bad arguments with a usage message and a non-zero exit', () => {
    const cases: [string[], RegExp][] = [
      [['--preset', 'nope'], /preset: unknown 'nope'/],
      [['--set', 'syntheticFraction=1.5'], /syntheticFraction: must be a number in \[0, 1\], got '?1.5/],
      [['--set', 'colour=red'], /colour/],
      [['--bogus'], /unknown option --bogus/],
      [['--out'], /--out needs a value/],
      [['--config', '/nonexistent.json'], /cannot read config file/],
    ];
    for (const [args, message] of cases) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/usage: npm run simulate/);
    }
  });
});
