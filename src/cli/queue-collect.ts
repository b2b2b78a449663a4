// `--queue` on sweep and reproduce: the runs go to a BullMQ queue on Redis instead of local worker
// threads. Jobs already in the queue (same code version and config) are not added again; their records
// are collected, validated with the record schema, and handed to the caller's writer as each arrives,
// exactly as runPool hands over local records.
import { Queue, type Job } from 'bullmq';
import type { Config } from '../sim/config.ts';
import { parseRecord, type RunRecord } from '../sim/record.ts';
import { checkConnection, parseQueueUrl, QueueError } from './queue-connection.ts';
import type { PoolOptions } from './worker-pool.ts';
import { codeVersion, decodeRecord, jobId, queueName, type JobData, type JobResult } from './queue-jobs.ts';

export interface QueueRunOptions {
  /** redis:// or rediss:// URL of the queue. */
  url: string;
  /** Called as each job's record arrives, after it passed the schema (e.g. to write it at once). */
  onRecord?: (index: number, record: RunRecord) => void;
  /** A name for run `index` in messages (default: its job id). */
  label?: (index: number) => string;
  /** Progress and notices (default: stderr). */
  log?: (line: string) => void;
  /** How often the queue is read, ms (default 1000). */
  pollMs?: number;
  /** How long the collector keeps trying to reach a Redis that went away, ms (default 30 000). */
  reconnectMs?: number;
}

/** Job options: a run that throws (a lost worker thread, say) is tried 3 times; records are kept. */
const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: false,
  removeOnFail: false,
} as const;

const STATES_PER_CALL = 200;

async function inChunks<T, R>(xs: readonly T[], f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < xs.length; i += STATES_PER_CALL)
    for (const r of await Promise.all(xs.slice(i, i + STATES_PER_CALL).map(f))) out.push(r);
  return out;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/**
 * Every config run by queue workers; resolves with the records in the order of the list. Throws a
 * QueueError when Redis cannot be reached or goes away, or when some jobs failed without a record (a
 * bad config, a record that fails the schema): the records collected by then were already handed to
 * `onRecord`, and running the same command again collects the rest.
 */
export async function runQueued(configs: readonly Config[], o: QueueRunOptions): Promise<RunRecord[]> {
  const log = o.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const conn = parseQueueUrl(o.url);
  await checkConnection(conn);
  const code = codeVersion();
  const deadline = o.reconnectMs ?? 30_000;
  const queue = new Queue<JobData, JobResult>(queueName(code), {
    connection: {
      ...conn.options,
      // retry a lost connection for `deadline` ms in all, then fail the pending commands
      retryStrategy: (times: number) => (times * 500 > deadline ? null : 500),
      maxRetriesPerRequest: Math.max(1, Math.ceil(deadline / 500)),
    },
  });
  let lastError = '';
  queue.on('error', (e) => (lastError = conn.scrub(e.message)));
  const ids = configs.map((c) => jobId(code, c));
  const indices = new Map<string, number[]>();
  ids.forEach((id, i) => indices.set(id, [...(indices.get(id) ?? []), i]));
  const label = (id: string) => indices.get(id)!.map((i) => o.label?.(i) ?? id)[0]!;
  const records: RunRecord[] = new Array(configs.length);
  const failures: string[] = [];
  let collected = 0;
  try {
    const unique = [...indices.keys()];
    const before = await inChunks(unique, (id) => queue.getJobState(id));
    const missing = unique.filter((_, k) => before[k] === 'unknown');
    // Failed jobs of an earlier invocation are tried again: running the command again is the request.
    const failedBefore = unique.filter((_, k) => before[k] === 'failed');
    for (const id of failedBefore) await (await queue.getJob(id))?.retry('failed');
    if (missing.length)
      await queue.addBulk(
        missing.map((id) => ({
          name: 'run',
          data: { code, config: configs[indices.get(id)![0]!]! },
          opts: { ...JOB_OPTIONS, jobId: id },
        })),
      );
    log(
      `queue ${queueName(code)} at ${conn.shown}: ${unique.length} runs, enqueued ${missing.length} new` +
        `, ${unique.length - missing.length} already there` +
        (failedBefore.length ? ` (${failedBefore.length} that had failed, tried again)` : ''),
    );
    const pending = new Set(unique);
    const finishedBefore = new Set(unique.filter((_, k) => before[k] === 'completed'));
    const t0 = performance.now();
    let doneHere = 0;
    let lastLine = '';
    let warnedNoWorker = false;
    /** Hands a completed job's record to the writer; false when it has none that passes the schema. */
    const take = async (id: string, job: Job<JobData, JobResult> | undefined): Promise<boolean> => {
      pending.delete(id);
      const record = job?.returnvalue ? decodeRecord(job.returnvalue) : undefined;
      // The schema judges the record as it will be written (JSON: a non-finite number becomes null);
      // the writers get the record itself, as from a local worker thread.
      const parsed = record ? parseRecord(JSON.parse(JSON.stringify(record))) : undefined;
      if (!parsed || !parsed.ok) {
        const why = parsed ? parsed.errors.map((e) => e.message).join('; ') : 'no record in the job';
        failures.push(`${label(id)}: its record fails the schema (${why})`);
        await job?.remove(); // so that the next invocation runs it again
        return false;
      }
      const valid = record as RunRecord;
      for (const i of indices.get(id)!) {
        records[i] = valid;
        o.onRecord?.(i, valid);
      }
      collected++;
      if (valid.status === 'failed') log(`run failed: ${label(id)}: ${valid.error ?? 'no message'}`);
      return true;
    };
    while (pending.size) {
      const open = [...pending];
      const states = await inChunks(open, (id) => queue.getJobState(id));
      const count = { done: collected, running: 0, failed: failures.length, waiting: 0 };
      for (let k = 0; k < open.length; k++) {
        const id = open[k]!;
        const state = states[k]!;
        if (state === 'completed') {
          if (!(await take(id, await queue.getJob(id)))) {
            count.failed++;
            continue;
          }
          if (!finishedBefore.has(id)) doneHere++; // the rate for the ETA counts this invocation's runs
          count.done++;
        } else if (state === 'failed') {
          const job = await queue.getJob(id);
          pending.delete(id);
          failures.push(`${label(id)}: ${conn.scrub(job?.failedReason ?? 'failed')}`);
          log(`job failed: ${failures.at(-1)!}`);
          count.failed++;
        } else if (state === 'active') count.running++;
        else if (state === 'unknown') {
          // removed by someone (or Redis lost its data): add it again
          await queue.add(
            'run',
            { code, config: configs[indices.get(id)![0]!]! },
            { ...JOB_OPTIONS, jobId: id },
          );
          count.waiting++;
        } else count.waiting++;
      }
      const elapsed = performance.now() - t0;
      const left = count.running + count.waiting;
      const eta = doneHere && left ? `; ETA ${seconds((elapsed / doneHere) * left)}` : '';
      const workers = left ? await queue.getWorkersCount() : -1;
      const line = `queue: ${count.done} done, ${count.running} running, ${count.failed} failed, ${count.waiting} waiting${workers >= 0 ? `; ${workers} workers` : ''}${eta}`;
      if (line !== lastLine) log(`[${seconds(elapsed)}] ${(lastLine = line)}`);
      if (workers === 0 && !warnedNoWorker) {
        warnedNoWorker = true;
        log(
          `no worker is listening on ${queueName(code)}: start one with \`npm run worker -- --queue ${conn.shown}\` from the same code`,
        );
      }
      if (pending.size) await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
    }
  } catch (e) {
    if (e instanceof QueueError) throw e;
    throw new QueueError(
      `lost the queue at ${conn.shown}: ${conn.scrub((e as Error).message)}${lastError && !(e as Error).message.includes(lastError) ? ` (${lastError})` : ''}. ` +
        `${collected} of ${indices.size} runs were collected and written; finished runs stay in Redis, so running the same command again collects the rest.`,
    );
  } finally {
    await queue.close().catch(() => {});
  }
  if (failures.length)
    throw new QueueError(
      `${failures.length} of ${indices.size} jobs failed without a record:\n  ${failures.join('\n  ')}\n` +
        `The other ${collected} records were written; running the same command again tries the failed jobs once more.`,
    );
  return records;
}

/**
 * runPool's signature over the queue at `url`, for sweep and reproduce to swap one for the other (the
 * pool's parallel and threads are the workers' business here; onGeneration is not reported).
 */
export const queueRunner =
  (url: string, label?: (index: number) => string) =>
  (configs: readonly Config[], o: Pick<PoolOptions, 'onRecord'>): Promise<RunRecord[]> =>
    runQueued(configs, { url, ...(o.onRecord ? { onRecord: o.onRecord } : {}), ...(label ? { label } : {}) });
