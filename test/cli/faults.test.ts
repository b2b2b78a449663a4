// The CLI under the faults of issue 16, end to end: outputs that would destroy inputs, inputs that are
// not files, SIGTERM, a full disk, two sweeps on one directory, damaged files for --resume and --replot.
// Every refusal is one line naming the file or option; nothing finished is lost.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/cli/dir-lock.ts';
import { parseRecord, type RunRecord } from '../../src/sim/record.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ouro-faults-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const at = (...p: string[]) => path.join(root, ...p);

/** Node itself with tsx's loader (not the tsx wrapper), so that signals reach the command. */
const node = (script: string, args: string[], env: Record<string, string> = {}, preload: string[] = []) =>
  spawnSync(
    process.execPath,
    ['--import', 'tsx', ...preload.flatMap((p) => ['--import', p]), `src/cli/${script}.ts`, ...args],
    {
      encoding: 'utf8',
      timeout: 240_000,
      env: { ...process.env, ...env },
    },
  );

/** The error lines of a run; each must be a single line with no stack trace. */
function errorLines(r: SpawnSyncReturns<string>): string[] {
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return r.stderr.split('\n').filter((l) => l.startsWith('error: '));
}

const record = (file: string): RunRecord => {
  const parsed = parseRecord(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.record;
};

/** A nano GPT run of a few seconds a generation. */
const SMALL = [
  '--preset',
  'quick',
  ...[
    'entitiesPerKind=4',
    'realDocuments=40',
    'heldOutDocuments=8',
    'documentsPerGeneration=40',
    'probeFacts=8',
    'gen0Epochs=3',
  ].flatMap((s) => ['--set', s]),
  '--threads',
  '1',
  '--quiet',
];
/**
 * Runs `body` with `dir` as a disk of `bytes`: a tmpfs where this test may mount one (it runs as root
 * here), else a write stub preloaded into the command (test/helpers/full-disk.ts).
 */
function withFullDisk(
  dir: string,
  bytes: number,
  body: (run: (script: string, args: string[]) => SpawnSyncReturns<string>) => void,
): void {
  fs.mkdirSync(dir);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir]).status === 0;
  try {
    body((script, args) =>
      mounted
        ? node(script, args)
        : node(script, args, { OURO_DISK_BYTES: String(bytes) }, ['./test/helpers/full-disk.ts']),
    );
  } finally {
    if (mounted) spawnSync('umount', [dir]);
  }
}

/** A count-model run of a second or two, with a record that grows by about 25 KB a generation. */
const NGRAM = [
  '--preset',
  'ngram',
  ...['generations=30', 'realDocuments=200', 'documentsPerGeneration=100', 'probeFacts=20'].flatMap((s) => [
    '--set',
    s,
  ]),
  '--quiet',
];

describe('simulate refuses bad paths before training', () => {
  it('--out equal to --corpus (or reached through a link) is refused, and the corpus is untouched', () => {
    const corpus = at('big.txt');
    const text = Array.from(
      { length: 30 },
      (_, i) => `The cat number ${i} sat on the mat and looked at the bird.`,
    ).join('\n');
    fs.writeFileSync(corpus, text);
    fs.symlinkSync(corpus, at('alias.txt'));
    for (const out of [corpus, at('alias.txt')]) {
      const r = node('simulate', ['--corpus', corpus, '--out', out]);
      expect(r.status).toBe(2);
      expect(errorLines(r)).toEqual([
        `error: --out ${out} is the same file as --corpus ${corpus}: writing it would destroy that input`,
      ]);
      expect(r.stdout).toBe(''); // no table: nothing trained
    }
    const csv = node('simulate', ['--out', at('r.json'), '--csv', at('r.json')]);
    expect(errorLines(csv)).toEqual([
      `error: --csv ${at('r.json')} is the same file as --out ${at('r.json')}: one would overwrite the other`,
    ]);
    expect(fs.readFileSync(corpus, 'utf8')).toBe(text);
  });

  it('a directory, /dev/full and a missing directory are refused in one line each', () => {
    for (const [out, message] of [
      [root, `error: --out ${root}: it is a directory; give the name of a file to write (e.g. DIR/run.json)`],
      ['/dev/full', 'error: --out /dev/full: it is a device; give the name of a file to write'],
      [
        at('no', 'run.json'),
        `error: --out ${at('no', 'run.json')}: the directory ${at('no')} does not exist`,
      ],
    ]) {
      const r = node('simulate', ['--out', out!]);
      expect(r.status).toBe(2);
      expect(errorLines(r)).toEqual([message]);
    }
  });

  it('--corpus on a FIFO and on /dev/zero returns an error instead of blocking or reading forever', () => {
    spawnSync('mkfifo', [at('fifo')]);
    for (const [file, kind] of [
      [at('fifo'), 'a FIFO \\(named pipe\\)'],
      ['/dev/zero', 'a device'],
    ]) {
      const r = node('simulate', ['--corpus', file!]);
      expect(r.signal).toBeNull(); // not killed by the timeout
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(`^error: cannot read corpus file ${file}: it is ${kind}, not a regular file\\n`),
      );
    }
  });
});

describe('simulate keeps what it finished', () => {
  it(
    'SIGTERM stops after the current step and writes the record with status stopped',
    { timeout: 240_000 },
    async () => {
      const out = at('term.json');
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli/simulate.ts', ...SMALL, '--set', 'generations=30', '--out', out],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // the header, then generation 0's row: then terminate
      await new Promise<void>((resolve) =>
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (stdout.split('\n').length > 2) resolve();
        }),
      );
      child.kill('SIGTERM');
      expect(await exited, stderr).toBe(0);
      expect(stderr).toMatch(/SIGTERM: stopping after the current step; completed generations are kept/);
      const r = record(out);
      expect(r.status).toBe('stopped');
      expect(r.generations.length).toBeGreaterThanOrEqual(1);
      expect(r.generations.length).toBeLessThan(31);
      expect(r.generations.map((g) => g.generation)).toEqual(r.generations.map((_, i) => i));
    },
  );

  it(
    'a full disk mid-run keeps the previous complete record and says how many generations it holds',
    { timeout: 240_000 },
    () => {
      const disk = at('disk');
      withFullDisk(disk, 256 * 1024, (run) => {
        const out = path.join(disk, 'run.json');
        const r = run('simulate', [...NGRAM, '--out', out]);
        expect(r.status, r.stderr).toBe(1);
        const lines = errorLines(r);
        const first = new RegExp(
          `^error: cannot write ${out}: ENOSPC: no space left on device; ${out} keeps the previous complete record: (\\d+) generations \\(0–\\d+\\) of the (\\d+) finished \\(each later generation tries again\\)$`,
        ).exec(lines[0] ?? '');
        expect(first, r.stderr).not.toBeNull();
        const held = Number(first![1]);
        expect(Number(first![2])).toBe(held + 1);
        // at the end: what the file holds of all 31 generations
        expect(lines.at(-1)).toBe(
          `error: cannot write ${out}: ENOSPC: no space left on device; ${out} keeps the previous complete record: ${held} generations (0–${held - 1}) of the 31 finished`,
        );
        expect(lines).toHaveLength(2);
        const saved = record(out);
        expect(saved.generations).toHaveLength(held);
        expect(held).toBeGreaterThan(0);
        expect(fs.readdirSync(disk)).toEqual(['run.json']); // no temporary file left
      });
    },
  );

  it('a config under which a generation would train zero steps is refused before training', () => {
    const r = node('simulate', ['--set', 'documentsPerGeneration=1', '--set', 'maxNewTokens=1']);
    expect(r.status).toBe(2);
    expect(errorLines(r)).toEqual([
      'error: Generation 1 would train zero steps: its 1 training document (documentsPerGeneration=1) holds at most 9 tokens, ' +
        'fewer than one training window of 33 tokens. Raise documentsPerGeneration to at least 8.',
    ]);
    expect(r.stdout).toBe('');
  });
});

describe('sweep directories', () => {
  const sweepArgs = (out: string) => [
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
  ];

  it('a second sweep on a locked directory is refused, naming the holder; its files are untouched', () => {
    const out = at('locked');
    fs.mkdirSync(out);
    const lock = JSON.stringify({
      pid: process.pid,
      host: os.hostname(),
      command: 'sweep A',
      startedAt: 'then',
    });
    fs.writeFileSync(path.join(out, LOCK_FILE), lock);
    const r = node('sweep', sweepArgs(out));
    expect(r.status).toBe(2);
    expect(errorLines(r)).toEqual([
      `error: --out ${out} is in use by another invocation (pid ${process.pid} on ${os.hostname()}, started then: sweep A); ` +
        `wait for it to finish or choose another directory. If no such process runs, remove ${path.join(out, LOCK_FILE)}`,
    ]);
    expect(fs.readdirSync(out).sort()).toEqual([LOCK_FILE, 'runs']);
    expect(fs.readFileSync(path.join(out, LOCK_FILE), 'utf8')).toBe(lock);
  });

  it(
    'a stale lock is taken over with a note, and the manifest names only records this sweep wrote',
    { timeout: 120_000 },
    () => {
      const out = at('stale');
      fs.mkdirSync(path.join(out, 'runs'), { recursive: true });
      const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
      fs.writeFileSync(
        path.join(out, LOCK_FILE),
        JSON.stringify({ pid: dead, host: os.hostname(), command: 'x', startedAt: 'then' }),
      );
      // an earlier, larger sweep's manifest and records
      fs.writeFileSync(
        path.join(out, 'sweep.json'),
        JSON.stringify([0, 1, 2].map((i) => ({ label: 'old', seed: 50, file: `runs/run-${i}.json` }))),
      );
      fs.writeFileSync(path.join(out, 'runs', 'run-2.json'), '{"old": true}');
      const r = node('sweep', sweepArgs(out));
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        `note: took over the lock on ${out} left by pid ${dead} (started then), which no longer runs`,
      );
      const manifest = JSON.parse(fs.readFileSync(path.join(out, 'sweep.json'), 'utf8')) as {
        seed: number;
        file: string;
      }[];
      expect(manifest).toEqual([
        { label: 'seed=3', seed: 3, file: 'runs/run-0.json' },
        { label: 'seed=5', seed: 5, file: 'runs/run-1.json' },
      ]);
      for (const m of manifest) expect(record(path.join(out, m.file)).config.seed).toBe(m.seed);
      expect(fs.existsSync(path.join(out, LOCK_FILE))).toBe(false); // released at exit
    },
  );

  it(
    'a sweep on a full disk ends in one-line errors, and its manifest lists only the records written',
    { timeout: 240_000 },
    () => {
      const out = at('full-sweep');
      // each record is about 0.5 MB: the first fits, the ones after it do not
      withFullDisk(out, 600_000, (run) => {
        const args = [
          '--preset',
          'ngram',
          '--set',
          'generations=2',
          '--set',
          'realDocuments=100',
          '--set',
          'documentsPerGeneration=60',
        ];
        const r = run('sweep', [...args, '--vary', 'seed=1,2,3,4', '--jobs', '1', '--out', out]);
        expect(r.status).toBe(1);
        expect(r.stderr).not.toMatch(/terminate called|Napi/);
        const failed = errorLines(r);
        expect(failed.length).toBeGreaterThan(0);
        for (const line of failed)
          expect(line).toMatch(
            new RegExp(
              `^error: cannot write ${out}/runs/run-\\d\\.json: ENOSPC: no space left on device; the run stays out of sweep\\.json$`,
            ),
          );
        const manifest = JSON.parse(fs.readFileSync(path.join(out, 'sweep.json'), 'utf8')) as {
          file: string;
        }[];
        expect(manifest.length).toBe(4 - failed.length);
        expect(manifest.length).toBeGreaterThan(0);
        expect(r.stdout).toContain(
          `; only ${manifest.length} of 4 records could be written (listed in sweep.json)`,
        );
        for (const m of manifest) expect(record(path.join(out, m.file)).status).toBe('done');
        const files = fs.readdirSync(path.join(out, 'runs'));
        expect(files.sort()).toEqual(manifest.map((m) => path.basename(m.file)).sort());
      });
    },
  );

  it('--replot on a damaged manifest or record is one line naming the file (a stack trace only with --debug)', () => {
    const out = at('stale');
    fs.writeFileSync(
      path.join(out, 'runs', 'run-1.json'),
      fs.readFileSync(path.join(out, 'runs', 'run-1.json'), 'utf8').slice(0, 500),
    );
    const r = node('sweep', ['--replot', out]);
    expect(r.status).toBe(1);
    expect(errorLines(r)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^error: record ${path.join(out, 'runs', 'run-1.json')} is not valid JSON \\(it ends after 500 bytes: cut short\\?\\): `,
        ),
      ) as string,
    ]);
    fs.writeFileSync(path.join(out, 'sweep.json'), '{"label": ');
    expect(errorLines(node('sweep', ['--replot', out]))[0]).toMatch(
      new RegExp(`^error: sweep manifest ${path.join(out, 'sweep.json')} is not valid JSON`),
    );
    const debug = node('sweep', ['--replot', out, '--debug']);
    expect(debug.status).toBe(1);
    expect(debug.stderr).toMatch(/^\s+at /m);
  });
});

describe('reproduce on damaged files', () => {
  it(
    '--resume reruns a cut record and notes a damaged manifest; --replot names a damaged manifest',
    { timeout: 240_000 },
    () => {
      const out = at('repro');
      const args = ['--fast', '--only', 'ngram-drift', '--seeds', '1', '--workers', '2', '--out', out];
      expect(node('reproduce', args).status).toBe(0);
      const runs = path.join(out, 'results', 'runs');
      const cut = path.join(runs, 'ngram-drift.unigram.seed-4.json');
      const whole = fs.readFileSync(cut, 'utf8');
      fs.writeFileSync(cut, whole.slice(0, 1000));
      const manifest = path.join(out, 'results', 'manifest.json');
      fs.writeFileSync(manifest, '[]');
      const r = node('reproduce', [...args, '--resume']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        `note: manifest ${manifest} is not a reproduction manifest (command, scale, findings with arms and files); the earlier invocations go unlisted`,
      );
      expect(r.stderr).toMatch(
        new RegExp(
          `note: record ${cut} is not valid JSON \\(it ends after 1000 bytes: cut short\\?\\): .*; running it again`,
        ),
      );
      expect(r.stderr).toMatch(/10 distinct runs \(fast scale; 9 reused\)/);
      // a run is deterministic: the same metrics again (timings and dates differ)
      const metrics = (r: RunRecord) => r.generations.map((g) => g.metrics);
      expect(metrics(record(cut))).toEqual(metrics(JSON.parse(whole) as RunRecord));
      fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').slice(0, 200));
      const replot = node('reproduce', ['--replot', '--out', out]);
      expect(replot.status).toBe(1);
      expect(errorLines(replot)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^error: manifest ${manifest} is not valid JSON \\(it ends after 200 bytes: cut short\\?\\)`,
          ),
        ) as string,
      ]);
    },
  );
});
