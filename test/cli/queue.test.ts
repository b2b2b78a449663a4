// `npm run sweep -- --queue` against a real redis-server (loopback, no persistence, a password) and two
// `npm run worker` processes, one of them SIGKILLed while it holds a job: every run finishes exactly
// once, the records are those of a local sweep apart from timings, a second invocation enqueues nothing
// and rewrites the same files, and a diverging run is reported with its message and run only once.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeVersion, queueName } from '../../src/cli/queue-jobs.ts';
import { freePort, startRedisServer, type LocalRedis } from '../../src/cli/redis-server.ts';
import { recordWithoutTimings, type RunRecord } from '../../src/sim/record.ts';
import { DIVERGING_LR } from '../helpers/diverge-preload.ts';

const REDIS = '/usr/bin/redis-server';
const SECRET = `pw-${randomBytes(8).toString('hex')}`;
// The CLI processes run with the test's fault injection preloaded (it touches only DIVERGING_LR runs).
const NODE_ARGS = ['--import', 'tsx', '--import', './test/helpers/diverge-preload.ts'];

// 2 levels × 3 seeds of a small n-gram sweep (about a second of CPU each)
const SWEEP = [
  ...['--preset', 'ngram', '--set', 'generations=6', '--set', 'realDocuments=200'],
  ...['--set', 'documentsPerGeneration=200', '--vary', 'syntheticFraction=0.5,1', '--seeds', '3'],
];
// a nano GPT pair, one of which diverges at its third training step
const DIVERGE = [
  ...[
    '--preset',
    'quick',
    '--set',
    'generations=1',
    '--set',
    'entitiesPerKind=4',
    '--set',
    'realDocuments=40',
  ],
  ...['--set', 'heldOutDocuments=8', '--set', 'documentsPerGeneration=40', '--set', 'probeFacts=8'],
  ...['--set', 'gen0Epochs=3', '--vary', `learningRate=${DIVERGING_LR},0.003`],
];

const sweepSync = (args: string[]) =>
  spawnSync(process.execPath, [...NODE_ARGS, 'src/cli/sweep.ts', ...args], {
    encoding: 'utf8',
    timeout: 300_000,
  });

/** The sweep command in a child process, the test's event loop left free to read the workers' logs. */
async function sweepAsync(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ status: number | null; out: string }> {
  const p = start('src/cli/sweep.ts', args, env);
  const status = await p.exited;
  return { status, out: p.out };
}

interface Proc {
  child: ChildProcess;
  out: string;
  exited: Promise<number | null>;
}

function start(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Proc {
  const child = spawn(process.execPath, [...NODE_ARGS, script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const p: Proc = { child, out: '', exited: new Promise((r) => child.on('exit', (code) => r(code))) };
  child.stdout!.on('data', (d: Buffer) => (p.out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (p.out += d.toString()));
  return p;
}

async function until(what: string, ok: () => boolean, ms = 120_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every file under `dir` (relative path → contents). */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const f of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }))
    if (fs.statSync(path.join(dir, f)).isFile()) files.set(f, fs.readFileSync(path.join(dir, f), 'utf8'));
  return files;
}

const records = (dir: string): RunRecord[] =>
  (JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8')) as { file: string }[]).map(
    (x) => JSON.parse(fs.readFileSync(path.join(dir, x.file), 'utf8')) as RunRecord,
  );

/** metrics.csv without its timings.* columns. */
function csvWithoutTimings(dir: string): string[][] {
  const rows = fs
    .readFileSync(path.join(dir, 'metrics.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const keep = rows[0]!.map((h, i) => (h.startsWith('timings.') ? -1 : i)).filter((i) => i >= 0);
  return rows.map((r) => keep.map((i) => r[i]!));
}

const jobLines = (log: string, what: 'started' | 'finished') =>
  [...log.matchAll(new RegExp(`job (run-[0-9a-f]+) ${what}`, 'g'))].map((m) => m[1]!);

let redis: LocalRedis | undefined;
let url = '';
const workers: Proc[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ouro-queue-'));

describe('npm run sweep -- --queue (BullMQ on a local redis-server)', () => {
  beforeAll(async () => {
    if (!fs.existsSync(REDIS)) throw new Error(`${REDIS} is missing: apt-get install redis-server`);
    redis = await startRedisServer({ dir: tmp, args: ['--requirepass', SECRET] });
    url = `redis://:${SECRET}@127.0.0.1:${redis.port}`;
  });

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await redis?.stop();
  });

  it(
    'runs a sweep on two workers, one killed mid-job, with the records of a local sweep; a rerun only collects',
    { timeout: 300_000 },
    async () => {
      const local = path.join(tmp, 'local');
      const l = sweepSync([...SWEEP, '--jobs', '2', '--out', local]);
      expect(l.status, l.stderr).toBe(0);

      // short lock and stall check, so that the killed worker's job comes back within seconds
      const workerArgs = [
        '--queue',
        url,
        '--threads',
        '1',
        '--lock-duration',
        '2000',
        '--stall-interval',
        '1000',
      ];
      workers.push(start('src/cli/worker.ts', workerArgs), start('src/cli/worker.ts', workerArgs));
      const [a, b] = workers as [Proc, Proc];
      await until('both workers to listen', () => a.out.includes('listening') && b.out.includes('listening'));

      const queued = path.join(tmp, 'queued');
      const sweep = start('src/cli/sweep.ts', [...SWEEP, '--queue', url, '--out', queued]);
      await until('worker A to take a job', () => jobLines(a.out, 'started').length > 0);
      const killed = jobLines(a.out, 'started')[0]!;
      a.child.kill('SIGKILL');
      await a.exited;
      expect(jobLines(a.out, 'finished'), 'A was killed while it held the job').not.toContain(killed);
      expect(await sweep.exited, sweep.out).toBe(0);
      expect(sweep.out).toMatch(/6 runs, enqueued 6 new, 0 already there/);
      expect(sweep.out).toMatch(/queue: 6 done, 0 running, 0 failed, 0 waiting/);

      // the killed worker's job was taken over by B after the stall interval; every job finished once
      const finished = [...jobLines(a.out, 'finished'), ...jobLines(b.out, 'finished')];
      expect(jobLines(b.out, 'finished')).toContain(killed);
      expect(finished).toHaveLength(6);
      expect(new Set(finished).size).toBe(6);

      // the same outputs as the local sweep, timings aside
      const manifest = JSON.parse(fs.readFileSync(path.join(queued, 'sweep.json'), 'utf8')) as {
        label: string;
        seed: number;
      }[];
      expect(manifest).toEqual(
        JSON.parse(fs.readFileSync(path.join(local, 'sweep.json'), 'utf8')) as typeof manifest,
      );
      expect(new Set(manifest.map((m) => `${m.label} ${m.seed}`)).size).toBe(6);
      expect(fs.readdirSync(path.join(queued, 'runs'))).toHaveLength(6);
      const [q, lr] = [records(queued), records(local)];
      expect(q.map((r) => r.status)).toEqual(Array(6).fill('done'));
      expect(q.map(recordWithoutTimings)).toEqual(lr.map(recordWithoutTimings));
      expect(csvWithoutTimings(queued)).toEqual(csvWithoutTimings(local));
      expect([...snapshot(queued).keys()].sort()).toEqual([...snapshot(local).keys()].sort());

      // again: nothing enqueued, nothing run, the same files written
      const before = snapshot(queued);
      const startedBefore = jobLines(b.out, 'started').length;
      const again = await sweepAsync([...SWEEP, '--queue', url, '--out', queued]);
      expect(again.status, again.out).toBe(0);
      expect(again.out).toMatch(/6 runs, enqueued 0 new, 6 already there/);
      expect(snapshot(queued)).toEqual(before);
      expect(jobLines(b.out, 'started')).toHaveLength(startedBefore);

      // the password appears in no log and no output file
      for (const text of [a.out, b.out, sweep.out, again.out, ...before.values()])
        expect(text).not.toContain(SECRET);
      expect(sweep.out).toContain(`redis://:***@127.0.0.1:`);
    },
  );

  it(
    'reports a diverging run as failed with its message, runs it once, and writes it as a local sweep does',
    {
      timeout: 300_000,
    },
    async () => {
      const [, b] = workers as [Proc, Proc];
      const local = path.join(tmp, 'diverge-local');
      const l = sweepSync([...DIVERGE, '--jobs', '2', '--out', local]);
      expect(l.status).toBe(1); // a failed run: exit status 1, as locally
      const queued = path.join(tmp, 'diverge-queued');
      const startedBefore = jobLines(b.out, 'started').length;
      const finishedBefore = jobLines(b.out, 'finished').length;
      const r = await sweepAsync([...DIVERGE, '--queue', url, '--out', queued]);
      expect(r.status, r.out).toBe(1);
      const message = records(local)[0]!.error!;
      expect(message).toMatch(/^Generation 0 diverged at training step 3 of \d+: .*Try a lower learningRate/);
      expect(r.out).toContain(`run failed: learningRate=${DIVERGING_LR} seed 1: ${message}`);
      expect(r.out).toMatch(/2 runs \(1 failed\)/);
      expect(records(queued).map(recordWithoutTimings)).toEqual(records(local).map(recordWithoutTimings));
      // each of the two jobs ran once: a failed run is a result, not a reason to try again
      await until('the worker log', () => jobLines(b.out, 'finished').length - finishedBefore >= 2);
      expect(jobLines(b.out, 'started').length - startedBefore).toBe(2);
      expect(b.out).toMatch(/job run-[0-9a-f]+ finished: failed in/);
      const again = await sweepAsync([...DIVERGE, '--queue', url, '--out', queued]);
      expect(again.out).toMatch(/2 runs, enqueued 0 new, 2 already there/);
      expect(jobLines(b.out, 'started').length - startedBefore).toBe(2);
    },
  );

  it(
    'fails a job with a bad config at once, with the reason, without retrying it',
    { timeout: 60_000 },
    async () => {
      const [, b] = workers as [Proc, Proc];
      const queue = new Queue(queueName(codeVersion()), {
        connection: { host: '127.0.0.1', port: Number(new URL(url).port), password: SECRET },
      });
      try {
        const job = await queue.add(
          'run',
          { code: codeVersion(), config: { generations: -1 } },
          { jobId: 'run-bad-config-test', attempts: 3 },
        );
        await until('the job to fail', () => b.out.includes('job run-bad-config-test failed'), 30_000);
        const state = await queue.getJobState(job.id!);
        const failed = await queue.getJob(job.id!);
        expect(state).toBe('failed');
        expect(failed!.failedReason).toMatch(/^bad config: generations: /);
        expect(failed!.attemptsMade).toBe(1);
      } finally {
        await queue.close();
      }
    },
  );

  it('on SIGTERM finishes the running job within --grace, or hands it back to the queue', async () => {
    const [, b] = workers as [Proc, Proc];
    const nano = (lr: string) => [
      ...DIVERGE.slice(0, -2),
      '--set',
      'gen0Epochs=6',
      '--vary',
      `learningRate=${lr}`,
    ];
    // B (grace 20 s) is stopped while it runs a job: it finishes the job, then exits
    const first = start('src/cli/sweep.ts', [
      ...nano('0.002'),
      '--queue',
      url,
      '--out',
      path.join(tmp, 'term-1'),
    ]);
    const startedBefore = jobLines(b.out, 'started').length;
    await until('B to take the job', () => jobLines(b.out, 'started').length > startedBefore);
    const job = jobLines(b.out, 'started').at(-1)!;
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    expect(b.out).toMatch(/SIGTERM: taking no new jobs; 1 running get 20 s to finish/);
    expect(jobLines(b.out, 'finished')).toContain(job);
    expect(b.out).toMatch(/stopped\n/);
    expect(await first.exited, first.out).toBe(0);

    // C (grace 1 s) is stopped while it runs a job: the job goes back, and D runs it
    const args = ['--queue', url, '--threads', '1', '--lock-duration', '2000', '--stall-interval', '1000'];
    const c = start('src/cli/worker.ts', [...args, '--grace', '1']);
    workers.push(c);
    // A job long enough that it cannot finish inside C's 1 s of grace, however fast the engine.
    const second = start('src/cli/sweep.ts', [
      ...nano('0.0025'),
      ...['--set', 'generations=12', '--set', 'gen0Epochs=40'],
      '--queue',
      url,
      '--out',
      path.join(tmp, 'term-2'),
    ]);
    await until('C to take the job', () => jobLines(c.out, 'started').length > 0);
    c.child.kill('SIGTERM');
    expect(await c.exited).toBe(0);
    const back = jobLines(c.out, 'started')[0]!;
    expect(c.out).toContain(`job ${back} handed back to the queue`);
    expect(jobLines(c.out, 'finished')).toEqual([]);
    const d = start('src/cli/worker.ts', args);
    workers.push(d);
    expect(await second.exited, second.out).toBe(0);
    expect(jobLines(d.out, 'finished')).toEqual([back]);
    expect(records(path.join(tmp, 'term-2'))[0]!.status).toBe('done');
  });

  it('an unreachable Redis is a clear error that names the server without its password', async () => {
    const port = await freePort(); // nothing listens there
    const r = sweepSync([
      ...SWEEP,
      '--queue',
      `redis://:${SECRET}@127.0.0.1:${port}`,
      '--out',
      path.join(tmp, 'x'),
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`cannot reach Redis at redis://:***@127.0.0.1:${port}: connect ECONNREFUSED`);
    expect(r.stderr).toMatch(/run the same command again/);
    expect(r.stderr + r.stdout).not.toContain(SECRET);
  });
});

describe('npm run sweep -- --queue rediss:// (TLS)', () => {
  it(
    'runs through a TLS redis-server whose certificate NODE_EXTRA_CA_CERTS names, and refuses it otherwise',
    {
      timeout: 120_000,
    },
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ouro-queue-tls-'));
      const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
      const made = spawnSync(
        'openssl',
        [
          ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1'],
          ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
        ],
        { encoding: 'utf8' },
      );
      expect(made.status, made.stderr).toBe(0);
      const server = await startRedisServer({
        dir,
        tls: true,
        args: [
          ...['--tls-cert-file', cert, '--tls-key-file', key, '--tls-ca-cert-file', cert],
          ...['--tls-auth-clients', 'no', '--requirepass', SECRET],
        ],
      });
      const port = server.port;
      const env = { ...process.env, NODE_EXTRA_CA_CERTS: cert, REDIS_PASSWORD: SECRET };
      const tlsUrl = `rediss://127.0.0.1:${port}`;
      let w: Proc | undefined;
      try {
        w = start('src/cli/worker.ts', ['--queue', tlsUrl, '--threads', '1'], env);
        const one = [
          '--preset',
          'ngram',
          '--set',
          'generations=1',
          '--set',
          'realDocuments=60',
          '--vary',
          'seed=7',
        ];
        const r = await sweepAsync([...one, '--queue', tlsUrl, '--out', path.join(dir, 'out')], env);
        expect(r.status, r.out).toBe(0);
        expect(r.out).toContain(`1 runs, enqueued 1 new`);
        expect(r.out).toContain(`rediss://:***@127.0.0.1:${port}`);
        expect(records(path.join(dir, 'out'))[0]!.config.seed).toBe(7);
        // without the CA the certificate is not trusted
        const { NODE_EXTRA_CA_CERTS: _ca, ...untrusting } = env;
        const refused = await sweepAsync(
          [...one, '--queue', tlsUrl, '--out', path.join(dir, 'x')],
          untrusting,
        );
        expect(refused.status).toBe(1);
        expect(refused.out).toContain(
          `cannot reach Redis at rediss://:***@127.0.0.1:${port}: self-signed certificate`,
        );
        for (const text of [r.out, refused.out, w.out]) expect(text).not.toContain(SECRET);
      } finally {
        if (w) {
          w.child.kill('SIGKILL');
          await w.exited;
        }
        await server.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
