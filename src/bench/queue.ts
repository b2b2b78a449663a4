// npm run bench:queue -- [--runs N] [--preset NAME] [--set key=value ...] [--machines M]
// The same sweep four ways: local worker threads (--jobs 1 and 2), and through the queue with 1 and 2
// local `npm run worker` processes on a fresh redis-server each time (loopback, no persistence). Prints
// the wall times, the queue's overhead per run, and a paper estimate of the wall time on M machines.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { parseArgs, UsageError } from '../cli/args.ts';
import { codeVersion, queueName } from '../cli/queue-jobs.ts';
import { startRedisServer } from '../cli/redis-server.ts';

const USAGE = `usage: npm run bench:queue -- [--runs N] [--preset NAME] [--set key=value ...] [--machines M]
                               [--redis-server PATH]
  default: 12 runs of the n-gram preset with generations=10, realDocuments=400, documentsPerGeneration=400;
  the estimate is for 100 machines of this one's cores`;

const NODE = [process.execPath, '--import', 'tsx'];

/** Runs `fn` with a fresh loopback redis-server (no persistence), stopped by its pid afterwards. */
async function withRedis<T>(bin: string, fn: (url: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ouro-bench-redis-'));
  const redis = await startRedisServer({ dir, bin });
  try {
    return await fn(`redis://127.0.0.1:${redis.port}`);
  } finally {
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Wall seconds of one sweep command (process start to exit). */
function timeSweep(sweep: string[], extra: string[]): number {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ouro-bench-queue-'));
  const t0 = performance.now();
  const r = spawnSync(NODE[0]!, [...NODE.slice(1), 'src/cli/sweep.ts', ...sweep, ...extra, '--out', out], {
    encoding: 'utf8',
  });
  const wall = (performance.now() - t0) / 1000;
  fs.rmSync(out, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`sweep ${extra.join(' ')} failed:\n${r.stderr}`);
  return wall;
}

interface Queued {
  wall: number;
  /** Median ms between a worker finishing one job and starting the next (1 worker only). */
  gapMs?: number;
  /** Median ms from a job's enqueueing to a worker starting it, for the first job. */
  firstStartMs: number;
  /** ms from the last job's end to the sweep's exit (collection poll, writing outputs, exit). */
  tailMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** BullMQ's own timestamps of the sweep's jobs: the queue's share of the time, apart from the load. */
async function jobTimes(url: string, workers: number, exitedAt: number): Promise<Omit<Queued, 'wall'>> {
  const queue = new Queue(queueName(codeVersion()), {
    connection: { host: '127.0.0.1', port: Number(new URL(url).port) },
  });
  try {
    const jobs = (await queue.getJobs(['completed'])).sort((a, b) => a.processedOn! - b.processedOn!);
    const gaps = jobs.slice(1).map((j, i) => j.processedOn! - jobs[i]!.finishedOn!);
    return {
      ...(workers === 1 ? { gapMs: median(gaps) } : {}),
      firstStartMs: jobs[0]!.processedOn! - jobs[0]!.timestamp,
      tailMs: exitedAt - jobs.reduce((t, j) => Math.max(t, j.finishedOn!), -Infinity),
    };
  } finally {
    await queue.close();
  }
}

/** The sweep through a fresh Redis and `workers` worker processes (started and listening before the clock). */
async function timeQueued(bin: string, sweep: string[], workers: number): Promise<Queued> {
  return withRedis(bin, async (url) => {
    const threads = String(Math.max(1, Math.floor(os.availableParallelism() / workers)));
    const procs = Array.from({ length: workers }, () => {
      const p = spawn(
        NODE[0]!,
        [...NODE.slice(1), 'src/cli/worker.ts', '--queue', url, '--threads', threads],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      return { p, listening: () => out.includes('listening') };
    });
    try {
      while (!procs.every((w) => w.listening())) await new Promise((r) => setTimeout(r, 50));
      // spawnSync would block this loop; the workers write to pipes it no longer reads, which is fine
      const wall = await new Promise<number>((resolve, reject) => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ouro-bench-queue-'));
        const t0 = performance.now();
        const s = spawn(
          NODE[0]!,
          [...NODE.slice(1), 'src/cli/sweep.ts', ...sweep, '--queue', url, '--out', out],
          {
            stdio: ['ignore', 'ignore', 'pipe'],
          },
        );
        let err = '';
        s.stderr.on('data', (d: Buffer) => (err += d.toString()));
        s.on('exit', (code) => {
          const wall = (performance.now() - t0) / 1000;
          fs.rmSync(out, { recursive: true, force: true });
          if (code === 0) resolve(wall);
          else reject(new Error(`queued sweep failed:\n${err}`));
        });
      });
      return { wall, ...(await jobTimes(url, workers, Date.now())) };
    } finally {
      for (const w of procs) {
        const gone = new Promise((r) => w.p.on('exit', r));
        w.p.kill('SIGTERM');
        await gone;
      }
    }
  });
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, {
      values: ['runs', 'preset', 'machines', 'redis-server'],
      multi: ['set'],
      flags: ['help'],
    });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`error: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const runs = Number(args.runs ?? 12);
  const machines = Number(args.machines ?? 100);
  if (!Number.isInteger(runs) || runs < 2 || !Number.isInteger(machines) || machines < 1) {
    console.error(`error: --runs must be an integer ≥ 2 and --machines ≥ 1\n\n${USAGE}`);
    return 2;
  }
  const bin = String(args['redis-server'] ?? '/usr/bin/redis-server');
  const sets = (args.set as string[] | undefined) ?? [
    'generations=10',
    'realDocuments=400',
    'documentsPerGeneration=400',
  ];
  const sweep = [
    '--preset',
    String(args.preset ?? 'ngram'),
    ...sets.flatMap((s) => ['--set', s]),
    '--vary',
    `seed=${Array.from({ length: runs }, (_, i) => i + 1).join(',')}`,
  ];
  const load = () => os.loadavg()[0]!.toFixed(1);
  console.error(`bench:queue: ${runs} runs (${sweep.join(' ')}), load ${load()}`);
  const rows: { mode: string; wall: number; parallel: number }[] = [];
  const measure = async (mode: string, parallel: number, f: () => number | Promise<number>) => {
    const wall = await f();
    rows.push({ mode, wall, parallel });
    console.error(`  ${mode}: ${wall.toFixed(1)} s (load ${load()})`);
  };
  const notes: string[] = [];
  const queued = async (workers: number) => {
    const q = await timeQueued(bin, sweep, workers);
    notes.push(
      `queue, ${workers} worker${workers > 1 ? 's' : ''}: first job started ${q.firstStartMs} ms after enqueueing; ` +
        (q.gapMs !== undefined
          ? `median gap between one job's end and the next one's start ${q.gapMs} ms; `
          : '') +
        `sweep exited ${q.tailMs} ms after the last job ended (collection, outputs, exit)`,
    );
    return q.wall;
  };
  await measure('local threads, --jobs 1', 1, () => timeSweep(sweep, ['--jobs', '1']));
  await measure('local threads, --jobs 2', 2, () => timeSweep(sweep, ['--jobs', '2']));
  await measure('queue, 1 worker', 1, () => queued(1));
  await measure('queue, 2 workers', 2, () => queued(2));
  const local = (k: number) => rows.find((r) => r.mode.startsWith('local') && r.parallel === k)!.wall;
  console.log('| mode | wall s | s per run | queue overhead per run, s |');
  console.log('|---|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.mode} | ${r.wall.toFixed(1)} | ${(r.wall / runs).toFixed(2)} | ${
        r.mode.startsWith('queue') ? ((r.wall - local(r.parallel)) / runs).toFixed(2) : ''
      } |`,
    );
  console.log(`\nBullMQ's timestamps of the jobs:\n${notes.map((n) => `- ${n}`).join('\n')}`);
  // Paper estimate: each machine delivers runs at the rate measured here with 2 queue workers (its
  // cores busy, queue overhead included); M machines deliver M times that, plus one run's time for the
  // last job to finish. Redis does a few round trips per job, far below what limits 100 machines.
  const q2 = rows.find((r) => r.mode === 'queue, 2 workers')!.wall;
  const q1 = rows.find((r) => r.mode === 'queue, 1 worker')!.wall;
  const perMachine = q2 / runs; // seconds per run per machine
  const estimate = (n: number) => (n / machines) * perMachine + q1 / runs;
  const show = (sec: number) => (sec < 120 ? `${sec.toFixed(0)} s` : `${(sec / 60).toFixed(1)} min`);
  console.log(
    `\nPaper estimate on ${machines} machines like this one (${perMachine.toFixed(2)} s per run per machine with 2 workers, ` +
      `plus ${(q1 / runs).toFixed(2)} s for the last run): ${runs * machines} runs ≈ ${show(estimate(runs * machines))}, ` +
      `10 000 runs ≈ ${show(estimate(10_000))}. ` +
      `Machine: ${os.cpus()[0]?.model ?? 'cpu'}, ${os.availableParallelism()} cores, load ${load()}.`,
  );
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
