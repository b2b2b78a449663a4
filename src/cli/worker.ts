// npm run worker -- --queue redis://… [--concurrency N] [--threads N] [--grace S]
//                   [--lock-duration MS] [--stall-interval MS]
// Takes runs from the BullMQ queue of this code version (enqueued by `sweep --queue` or `reproduce
// --queue`) and runs each in a worker thread with the same code as a local sweep; the record goes back
// through Redis. A worker that dies holding a job loses its lock, and another worker takes the job once
// the stalled-job check sees it. SIGTERM or SIGINT: no new jobs; the running ones get --grace seconds to
// finish, then go back to the queue; a second signal hands them back at once.
import os from 'node:os';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { clip, parseConfig } from '../sim/config.ts';
import { parseArgs, UsageError } from './args.ts';
import { checkConnection, parseQueueUrl, QueueError } from './queue-connection.ts';
import { codeVersion, encodeRecord, queueName, type JobData, type JobResult } from './queue-jobs.ts';
import { runInWorker } from './worker-pool.ts';

const USAGE = `usage: npm run worker -- --queue redis://[user:password@]host[:port][/db] [--concurrency N]
                          [--threads N] [--grace S] [--lock-duration MS] [--stall-interval MS]
  rediss:// connects with TLS; with no password in the URL, $REDIS_PASSWORD is used.
  --concurrency   runs at once (default 1)
  --threads       onnxruntime threads per run (default: cores / concurrency)
  --grace         seconds the running jobs get to finish after SIGTERM before going back (default 20)
  --lock-duration how long a job's lock lasts without renewal, ms (BullMQ default 30000)
  --stall-interval how often workers look for jobs whose lock expired, ms (BullMQ default 30000)`;

const positive = (args: Record<string, unknown>, name: string, def: number): number => {
  const x = args[name] === undefined ? def : Number(args[name]);
  if (!Number.isInteger(x) || x < 1)
    throw new UsageError(`--${name} must be a positive integer, got '${clip(String(args[name]))}'`);
  return x;
};

function plan(argv: string[]) {
  const args = parseArgs(argv, {
    values: ['queue', 'concurrency', 'threads', 'grace', 'lock-duration', 'stall-interval'],
    flags: ['help'],
  });
  if (args.help) return null;
  if (!args.queue) throw new UsageError('--queue redis://… is required');
  const concurrency = positive(args, 'concurrency', 1);
  return {
    url: String(args.queue),
    concurrency,
    threads: positive(args, 'threads', Math.max(1, Math.floor(os.availableParallelism() / concurrency))),
    graceMs: positive(args, 'grace', 20) * 1000,
    lockDuration: positive(args, 'lock-duration', 30_000),
    stalledInterval: positive(args, 'stall-interval', 30_000),
  };
}

async function main(argv: string[]): Promise<number> {
  let p;
  let conn;
  try {
    p = plan(argv);
    if (!p) {
      console.log(USAGE);
      return 0;
    }
    conn = parseQueueUrl(p.url);
  } catch (e) {
    if (!(e instanceof UsageError || e instanceof QueueError)) throw e;
    console.error(`error: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  const log = (line: string) => console.log(`[worker ${process.pid}] ${line}`);
  try {
    await checkConnection(conn);
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
  const code = codeVersion();
  const running = new Map<string, AbortController>();
  let handingBack = false;

  const processor = async (job: Job<JobData, JobResult>, token?: string): Promise<JobResult> => {
    if (job.data.code !== code)
      throw new UnrecoverableError(
        `job ${job.id} is for code version ${job.data.code}, this worker runs ${code}`,
      );
    const parsed = parseConfig(job.data.config);
    if (!parsed.ok)
      throw new UnrecoverableError(`bad config: ${parsed.errors.map((e) => e.message).join('; ')}`);
    const stop = new AbortController();
    running.set(job.id!, stop);
    log(`job ${job.id} started (seed ${parsed.config.seed}, attempt ${job.attemptsMade + 1})`);
    const t0 = performance.now();
    try {
      const record = await runInWorker(parsed.config, p.threads, undefined, stop.signal);
      log(`job ${job.id} finished: ${record.status} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      try {
        return encodeRecord(record);
      } catch (e) {
        throw new UnrecoverableError((e as Error).message);
      }
    } catch (e) {
      if (!handingBack || !stop.signal.aborted) throw e;
      await job.moveToWait(token);
      log(`job ${job.id} handed back to the queue`);
      throw new WaitingError();
    } finally {
      running.delete(job.id!);
    }
  };

  const worker = new Worker<JobData, JobResult>(queueName(code), processor, {
    connection: { ...conn.options, maxRetriesPerRequest: null },
    concurrency: p.concurrency,
    lockDuration: p.lockDuration,
    stalledInterval: p.stalledInterval,
    // a job that stalls a third time (its workers died) is failed, not passed around forever
    maxStalledCount: 2,
  });
  // one line per outage, not one per reconnection attempt
  let lastError = '';
  worker.on('error', (e) => {
    const line = `Redis: ${conn.scrub(e.message)} (retrying)`;
    if (line !== lastError) log((lastError = line));
  });
  worker.on('ready', () => (lastError = ''));
  worker.on('failed', (job, e) => {
    if (job && !(e instanceof WaitingError)) log(`job ${job.id} failed: ${conn.scrub(e.message)}`);
  });
  log(
    `listening on ${queueName(code)} at ${conn.shown}: ${p.concurrency} at once, ${p.threads} threads each`,
  );

  const handBack = () => {
    if (handingBack) return;
    handingBack = true;
    for (const stop of running.values()) stop.abort(new Error('handed back'));
  };
  let stopping = false;
  let stopped: (code: number) => void = () => {};
  const onSignal = (signal: string) => {
    if (stopping) {
      log(`${signal} again: handing the running jobs back now`);
      handBack();
      return;
    }
    stopping = true;
    log(
      `${signal}: taking no new jobs; ${running.size} running get ${p.graceMs / 1000} s to finish, then go back to the queue`,
    );
    setTimeout(handBack, p.graceMs).unref();
    // Redis gone, close() cannot finish: leave anyway; a job still held comes back when its lock expires
    setTimeout(() => {
      log('could not hand back cleanly (is Redis reachable?): exiting');
      process.exit(1);
    }, p.graceMs + 10_000).unref();
    void worker.close().then(() => {
      log('stopped');
      stopped(0);
    });
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  return new Promise<number>((resolve) => (stopped = resolve)); // until a signal
}

process.exitCode = await main(process.argv.slice(2));
