// Preloaded into CLI processes by tests (`node --import tsx --import ./test/helpers/diverge-preload.ts`):
// a run whose learningRate is DIVERGING_LR has its weights blown up to ±3e38 before its third training
// step, so that the real engine computes a non-finite loss there and the run fails with the
// simulation's own divergence message. Every other run is untouched. Node runs --import preloads in
// the main thread only, so the runs' worker threads (src/cli/worker-pool.ts) load this module first.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { OrtEngine } from '../../src/engine/ort-engine.ts';
import type { TrainOptions } from '../../src/engine/types.ts';

export const DIVERGING_LR = 0.00123;

const steps = new WeakMap<OrtEngine, number>();
const trainStep = OrtEngine.prototype.trainStep;
OrtEngine.prototype.trainStep = async function (this: OrtEngine, batch, options: TrainOptions = {}) {
  const step = (steps.get(this) ?? 0) + 1;
  steps.set(this, step);
  if (options.learningRate === DIVERGING_LR && step === 3) {
    const w = await this.getWeights(true);
    for (const a of Object.values(w.params)) for (let i = 0; i < a.length; i++) a[i] = i % 2 ? 3e38 : -3e38;
    await this.setWeights(w);
  }
  return trainStep.call(this, batch, options);
};

type Threads = typeof import('node:worker_threads');
const threads = createRequire(import.meta.url)('node:worker_threads') as Threads;
if (threads.isMainThread) {
  const self = JSON.stringify(import.meta.url);
  const Base = threads.Worker;
  threads.Worker = class extends Base {
    constructor(code: string | URL, options?: ConstructorParameters<typeof Base>[1]) {
      // an eval'd thread (runInWorker's boot expression) loads this module before its own code
      const boot = `import('tsx/esm/api').then((t) => { t.register(); return import(${self}); }).then(() => ${String(code)})`;
      super(options?.eval ? boot : code, options);
    }
  };
  syncBuiltinESMExports();
}
