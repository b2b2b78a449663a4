// One sweep job in a worker thread: run a config to completion and post back its record.
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../sim/config.ts';
import { nodeRun } from './run-node.ts';

const { config, threads } = workerData as { config: Config; threads: number };
const sim = await nodeRun(
  config,
  'node',
  (e) => {
    if (e.type === 'generation')
      parentPort!.postMessage({ type: 'generation', generation: e.generation.generation });
  },
  threads,
);
// a queue worker handing its job back asks the run to stop at its next step (src/cli/worker.ts)
const onStop = (m: { type: string }) => m.type === 'stop' && void sim.stop();
parentPort!.on('message', onStop);
try {
  await sim.run();
} catch {
  // the record holds status 'failed' and the message; completed generations are kept
}
parentPort!.off('message', onStop); // lets the thread end
await sim.dispose();
parentPort!.postMessage({ type: 'done', record: sim.record });
