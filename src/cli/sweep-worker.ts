// One sweep job in a worker thread: run a config to completion and post back its record.
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../sim/config.ts';
import { nodeSimulation } from './run-node.ts';

const { config, threads } = workerData as { config: Config; threads: number };
const sim = await nodeSimulation(
  config,
  'node',
  (e) => {
    if (e.type === 'generation')
      parentPort!.postMessage({ type: 'generation', generation: e.generation.generation });
  },
  threads,
);
try {
  await sim.run();
} catch {
  // the record holds status 'failed' and the message; completed generations are kept
}
await sim.dispose();
parentPort!.postMessage({ type: 'done', record: sim.record });
