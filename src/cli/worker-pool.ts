// Runs simulations in worker threads (one job each, src/cli/sweep-worker.ts), a few at a time:
// shared by `npm run sweep` and `npm run reproduce`.
import { Worker } from 'node:worker_threads';
import type { Config } from '../sim/config.ts';
import type { RunRecord } from '../sim/record.ts';

/**
 * One config to completion in a worker thread; resolves with its record (status 'failed' included).
 * Aborting `signal` asks the run to stop at its next training step and rejects with the signal's
 * reason once the thread has ended (ending the thread at once would crash onnxruntime-node).
 */
export function runInWorker(
  config: Config,
  threads: number,
  onGeneration?: () => void,
  signal?: AbortSignal,
): Promise<RunRecord> {
  return new Promise((resolve, reject) => {
    // A worker thread does not inherit tsx's loader: register it there before loading the job.
    const entry = JSON.stringify(new URL('./sweep-worker.ts', import.meta.url).href);
    const boot = `import('tsx/esm/api').then((t) => { t.register(); return import(${entry}); })`;
    const w = new Worker(boot, { eval: true, workerData: { config, threads } });
    w.on('message', (m: { type: string; record?: RunRecord }) => {
      if (m.type === 'generation') onGeneration?.();
      else if (m.type === 'done' && !signal?.aborted) resolve(m.record!);
    });
    w.on('error', reject);
    w.on('exit', (code) => code !== 0 && reject(new Error(`worker exited with code ${code}`)));
    signal?.addEventListener('abort', () => {
      w.postMessage({ type: 'stop' });
      w.on('exit', () => reject(signal.reason));
    });
  });
}

export interface PoolOptions {
  /** Jobs running at once. */
  parallel: number;
  /** onnxruntime threads per job. */
  threads: number;
  onGeneration?: () => void;
  /** Called as each job finishes (e.g. to write its record at once). */
  onRecord?: (index: number, record: RunRecord) => void;
}

/** Every config in worker threads, `parallel` at a time, in order of the list; records in the same order. */
export async function runPool(configs: readonly Config[], o: PoolOptions): Promise<RunRecord[]> {
  const records: RunRecord[] = new Array(configs.length);
  let next = 0;
  const lane = async () => {
    while (next < configs.length) {
      const i = next++;
      records[i] = await runInWorker(configs[i]!, o.threads, o.onGeneration);
      o.onRecord?.(i, records[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.parallel, configs.length)) }, lane));
  return records;
}
