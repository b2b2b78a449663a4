// Worker side of the browser benchmark: builds the app's engine (WebGPU or WASM) inside a module
// Web Worker and runs the same timed loops as the Node backends (src/bench/measure.ts).
import * as Comlink from 'comlink';
import { createBrowserEngine, loadOrt, probeWebGPU } from '../../engine/browser.ts';
import type { ModelSpec } from '../../model/spec.ts';
import { measureEngine, type MeasureSettings } from '../measure.ts';

const api = {
  /** What this worker sees: isolation (WASM threads need it), cores, WebGPU adapter, ORT version. */
  async info() {
    await loadOrt('webgpu'); // load both builds up front, so the dev server sees every module now
    const ort = (await loadOrt('wasm')) as unknown as { env: { versions?: Record<string, string> } };
    return {
      isWorker: typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined',
      crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
      hardwareConcurrency: globalThis.navigator?.hardwareConcurrency ?? null,
      userAgent: globalThis.navigator?.userAgent ?? null,
      webgpu: await probeWebGPU(),
      ortVersions: ort.env.versions ?? null,
    };
  },

  async run(backend: 'webgpu' | 'wasm', spec: ModelSpec, seed: number, settings: MeasureSettings) {
    const engine = await createBrowserEngine({ backend, spec, seed });
    try {
      const m = await measureEngine(engine, settings);
      return { ...m, engineBackend: engine.backend, backendReason: engine.backendReason };
    } finally {
      await engine.dispose();
    }
  },
};

export type BrowserBenchApi = typeof api;
Comlink.expose(api);
