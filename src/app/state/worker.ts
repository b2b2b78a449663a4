// The page's one simulation worker, started on first use.
import * as Comlink from 'comlink';
import type { SimulationWorkerApi } from '../../worker/simulation-api.ts';

let remote: Comlink.Remote<SimulationWorkerApi> | undefined;
const crashListeners = new Set<(message: string) => void>();

/** The worker's API. The worker is created the first time this is called. */
export function simulationWorker(): Comlink.Remote<SimulationWorkerApi> {
  if (!remote) {
    // Vite bundles the worker because the URL is written inline here.
    const worker = new Worker(new URL('../../worker/simulation.worker.ts', import.meta.url), {
      type: 'module',
    });
    worker.addEventListener('error', (e) => {
      const message = `the simulation worker failed: ${e.message || 'it could not be loaded'}`;
      for (const l of crashListeners) l(message);
    });
    remote = Comlink.wrap<SimulationWorkerApi>(worker);
  }
  return remote;
}

/** Calls `listener` if the worker itself fails (a load error or an uncaught exception). */
export function onWorkerCrash(listener: (message: string) => void): () => void {
  crashListeners.add(listener);
  return () => crashListeners.delete(listener);
}
