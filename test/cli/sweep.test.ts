import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const tsx = path.resolve('node_modules/.bin/tsx');
const sweep = (args: string[]) =>
  spawnSync(tsx, ['src/cli/sweep.ts', ...args], { encoding: 'utf8', timeout: 120_000 });

describe('npm run sweep', () => {
  it(
    'runs every configuration × seed in worker threads and writes CSV, tables and SVG charts',
    { timeout: 120_000 },
    () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ouro-sweep-'));
      const r = sweep([
        '--preset',
        'ngram',
        '--set',
        'generations=2',
        '--set',
        'realDocuments=100',
        '--set',
        'documentsPerGeneration=60',
        '--vary',
        'syntheticFraction=0.5,1',
        '--seeds',
        '2',
        '--out',
        out,
      ]);
      expect(r.status, r.stderr).toBe(0);
      const csv = fs.readFileSync(path.join(out, 'metrics.csv'), 'utf8').trim().split('\n');
      expect(csv[0]).toMatch(/^configuration,seed,status,generation,/);
      expect(csv).toHaveLength(1 + 2 * 2 * 3); // 2 configurations × 2 seeds × 3 generations
      expect(csv.filter((l) => l.startsWith('"syntheticFraction=1",2,done,')).length).toBe(3);
      for (const f of ['accuracy.svg', 'fluency.svg', 'corpusEntropy.svg', 'tables.md'])
        expect(fs.existsSync(path.join(out, f)), f).toBe(true);
      const svg = fs.readFileSync(path.join(out, 'accuracy.svg'), 'utf8');
      expect(svg.match(/<path /g)).toHaveLength(2); // one line per configuration
      expect(svg).toContain('syntheticFraction=0.5');
      expect(fs.readdirSync(path.join(out, 'runs'))).toHaveLength(4);
    },
  );

  it('refuses bad arguments with a usage message', () => {
    for (const [args, message] of [
      [['--vary', 'syntheticFraction=0.5'], /--out DIR is required/],
      [['--out', '/tmp/x'], /give at least one --vary/],
      [
        ['--out', '/tmp/x', '--vary', 'syntheticFraction=2'],
        /syntheticFraction: must be a number in \[0, 1\]/,
      ],
      [['--out', '/tmp/x', '--vary', 'nope=1'], /nope/],
      [['--out', '/tmp/x', '--vary', 'seed=1', '--seeds', '0'], /--seeds must be an integer/],
    ] as [string[], RegExp][]) {
      const r = sweep(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/usage: npm run sweep/);
    }
  });

  it('varies the seed itself when asked (--vary seed=3,5 runs seeds 3 and 5)', { timeout: 60_000 }, () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ouro-sweep-'));
    const r = sweep([
      '--preset',
      'ngram',
      '--set',
      'generations=1',
      '--set',
      'realDocuments=60',
      '--vary',
      'seed=3,5',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const runs = JSON.parse(fs.readFileSync(path.join(out, 'sweep.json'), 'utf8')) as {
      seed: number;
      file: string;
    }[];
    expect(runs.map((x) => x.seed)).toEqual([3, 5]);
    for (const x of runs) {
      const record = JSON.parse(fs.readFileSync(path.join(out, x.file), 'utf8')) as {
        config: { seed: number };
      };
      expect(record.config.seed).toBe(x.seed);
    }
  });
});
