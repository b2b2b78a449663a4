import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.ts';
import { parseSimulateArgs } from '../../src/cli/simulate-args.ts';
import { parseRecord } from '../../src/sim/record.ts';
import { sha256 } from '../../src/world/sha256.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ouro-corpus-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Uint8Array) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};
const pairs = Array.from({ length: 12 }, (_, i) =>
  JSON.stringify({ question: `Which number follows ${i}?`, answer: String(i + 1) }),
).join('\n');

const usage = (argv: string[]): string => {
  try {
    parseSimulateArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('npm run simulate -- --corpus', () => {
  it('refuses a bad corpus before anything runs, naming the file and the problem', () => {
    expect(usage(['--corpus', file('empty.txt', '')])).toMatch(/^--corpus .*empty\.txt: The input is empty/);
    expect(usage(['--corpus', file('bin.txt', new Uint8Array([1, 2, 0, 3]))])).toMatch(/binary file/);
    expect(usage(['--corpus', file('latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9]))])).toMatch(
      /latin1\.txt: The input is not valid UTF-8: byte 0xe9 at byte 3 \(line 1\)/,
    );
    expect(usage(['--corpus', file('bad.jsonl', `${pairs}\n{"question": "x"}`)])).toMatch(
      /bad\.jsonl: Not valid Q\/A JSONL: line 13 has no "answer" field/,
    );
    expect(usage(['--corpus', path.join(dir, 'missing.txt')])).toMatch(/^cannot read corpus file .*ENOENT/);
    expect(usage(['--corpus', file('p.jsonl', pairs), '--corpus-kind', 'csv'])).toMatch(
      /--corpus-kind must be auto, text or qa-jsonl, got 'csv'/,
    );
    expect(usage(['--corpus-kind', 'text'])).toMatch(/--corpus-kind needs --corpus FILE/);
    expect(usage(['--corpus', file('short.txt', 'one line\ntwo lines\n')])).toMatch(
      /short\.txt: Too little to train on: 2 documents; at least 10/,
    );
  });

  it('runs the loop on a JSONL file and writes the corpus into the record', { timeout: 60_000 }, () => {
    const out = path.join(dir, 'run.json');
    const r = spawnSync(
      path.resolve('node_modules/.bin/tsx'),
      [
        'src/cli/simulate.ts',
        '--preset',
        'quick',
        '--corpus',
        file('numbers.jsonl', pairs),
        '--set',
        'generations=1',
        '--set',
        'gen0Epochs=2',
        '--set',
        'epochs=1',
        '--set',
        'documentsPerGeneration=12',
        '--set',
        'maxNewTokens=8',
        '--threads',
        '1',
        '--quiet',
        '--out',
        out,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /corpus numbers\.jsonl \(qa-jsonl\): 12 documents, \d+ words, vocabulary \d+, 12 Q\/A pairs/,
    );
    const rows = r.stdout.trim().split('\n');
    expect(rows.slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['0', '1']);
    // no grammar: hallucination rate and popularity columns are "—"
    expect(rows[1]!.trim().split(/\s+/).slice(3, 5)).toEqual(['—', '—']);
    const parsed = parseRecord(JSON.parse(fs.readFileSync(out, 'utf8')));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const { corpus, generations } = parsed.record;
    expect(corpus).toMatchObject({
      kind: 'qa-jsonl',
      name: 'numbers.jsonl',
      pairs: 12,
      sha256: sha256(pairs),
    });
    expect(corpus!.fluency).toMatchObject({ method: 'held-out-bars', quantile: 0.975 });
    expect(corpus!.fluency.method === 'held-out-bars' && corpus!.fluency.maxPerplexity).toBeGreaterThan(1);
    // Twelve pairs of one template are too few for word pairs to tell them from fragments of them
    // stitched together: fluency is not measured, and the run says why.
    expect(corpus!.fluency.method === 'held-out-bars' && corpus!.fluency.unjudged).toMatch(
      /^too little text to judge fluency: .* let through \d+% of fragments of your text stitched together/,
    );
    expect(generations.map((g) => g.metrics.fluency)).toEqual([null, null]);
    expect(r.stderr).toMatch(/note: fluency \(—\): too little text to judge fluency/);
    expect(generations[1]!.metrics.accuracy).not.toBeNull();
    expect(generations[1]!.probes.length).toBe(corpus!.probes);
  });
});
