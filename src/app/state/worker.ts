// The page's one simulation worker, started on first use.
import * as Comlink from 'comlink';
import type { SimulationWorkerApi } from '../../worker/simulation-api.ts';

let remote: Comlink.Remote<SimulationWorkerApi> | undefined;
let current: Worker | undefined;
const crashListeners = new Set<(message: string) => void>();

/** The worker's API. The worker is created the first time this is called. */
export function simulationWorker(): Comlink.Remote<SimulationWorkerApi> {
  if (!remote) {
    // Vite bundles the worker because the URL is written inline here.
    const worker = new Worker(new URL('../../worker/simulation.worker.ts', import.meta.url), {
      type: 'module',
    });
    const wrapped = Comlink.wrap<SimulationWorkerApi>(worker);
    worker.addEventListener('error', (e) => {
      // A worker that threw outside the run loop is in an unknown state: end it, and let the next
      // run start a fresh one. Completed generations were saved as each finished.
      worker.terminate();
      if (remote === wrapped) {
        remote = undefined;
        current = undefined;
      }
      const message = `The simulation worker crashed (${e.message || 'it could not be loaded'}). Completed generations are saved; press Run to start a new run.`;
      for (const l of crashListeners) l(message);
    });
    remote = wrapped;
    current = worker;
  }
  return remote;
}

/**
 * Ends the worker at once, whatever it is doing (a Stop it has not answered); the next call to
 * simulationWorker starts a fresh one.
 */
export function endSimulationWorker(): void {
  current?.terminate();
  current = undefined;
  remote = undefined;
}

/** Calls `listener` if the worker itself fails (a load error or an uncaught exception); it is then ended. */
export function onWorkerCrash(listener: (message: string) => void): () => void {
  crashListeners.add(listener);
  return () => crashListeners.delete(listener);
}
