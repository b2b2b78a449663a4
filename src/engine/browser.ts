// createEngine for the browser (a module Web Worker or the page): onnxruntime-web on WebGPU, with
// weights kept in GPU buffers, or on WASM. `auto` takes whichever trains the model faster here. An
// n-gram spec gets the count-based model, which needs neither.
import { NgramEngine } from './ngram.ts';
import { OrtEngine, type OrtModule } from './ort-engine.ts';
import type { ModelSpec } from '../model/spec.ts';
import { backendLabel, measureBoth, pickFaster, type AdapterInfo } from './backend-choice.ts';
import type { BackendRequest, Engine, EngineOptions } from './types.ts';

export interface BackendChoice {
  /** null: `auto` with a WebGPU adapter, not measured yet for this model (see chooseBackend). */
  backend: 'webgpu' | 'wasm' | null;
  reason: string;
  /** Measured training speed (tokens a second) of `backend` for the model, when `auto` timed it. */
  tokensPerSecond?: number;
}

/** Describe the WebGPU adapter, or say why there is none. */
export async function probeWebGPU(): Promise<
  ({ ok: true; adapter: string } & AdapterInfo) | { ok: false; why: string }
> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { ok: false, why: 'this browser exposes no WebGPU (navigator.gpu is missing)' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { ok: false, why: 'WebGPU is present but no adapter was granted' };
    const i = adapter.info;
    const name =
      [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' ') || 'unnamed adapter';
    // `isFallbackAdapter` moved from the adapter to its info; older browsers have only the first.
    const fallback =
      (i as { isFallbackAdapter?: boolean }).isFallbackAdapter ??
      (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter ??
      false;
    return { ok: true, adapter: name, name, software: fallback || /swiftshader/i.test(name) };
  } catch (e) {
    return { ok: false, why: `requesting a WebGPU adapter failed: ${(e as Error).message}` };
  }
}

/** A measurement's WebGPU step still running after it was given up on; WebGPU waits for it. */
let gpuWork: Promise<unknown> = Promise.resolve();

/** `auto`'s measurements, one per model size (architecture and batch) for this worker's lifetime. */
const measured = new Map<string, Promise<BackendChoice & { backend: 'webgpu' | 'wasm' }>>();
const sizeKey = (s: ModelSpec) =>
  [s.name, s.layers, s.dModel, s.heads, s.dFF, s.contextLength, s.batchSize].join('/');

/** The latest measurement: measurements run one at a time, or they would time each other. */
let measuring: Promise<unknown> = Promise.resolve();

/** Time training on WASM, then on WebGPU (measureBoth), and take the faster. */
async function measureHere(spec: ModelSpec, adapter: AdapterInfo) {
  const turn = measuring.catch(() => {});
  const done = turn.then(() => measureAlone(spec, adapter));
  measuring = done;
  return done;
}

async function measureAlone(spec: ModelSpec, adapter: AdapterInfo) {
  const results = await measureBoth(
    (backend) => createBrowserEngine({ backend, spec, seed: 0 }),
    { wasm: backendLabel('wasm'), webgpu: backendLabel('webgpu', adapter) },
    (settled) => (gpuWork = Promise.all([gpuWork, settled])),
  );
  return pickFaster(results);
}

/**
 * Resolve a request to a backend with a reason a user can read. `auto` without a WebGPU adapter is
 * WASM; with one, a few training steps of `spec` are timed on both and the faster is taken (the
 * reason names both figures). Without `spec`, or with `measure` false (a run is going and must not be
 * slowed), an unmeasured `auto` answers `backend: null`, or the measurement already made.
 */
export async function chooseBackend(
  request: BackendRequest,
  spec?: ModelSpec,
  { measure = true } = {},
): Promise<BackendChoice> {
  if (request === 'wasm') return { backend: 'wasm', reason: 'WASM (CPU) as requested' };
  if (request !== 'webgpu' && request !== 'auto')
    throw new Error(`backend '${request}' is not available in the browser: use webgpu, wasm or auto`);
  const probe = await probeWebGPU();
  if (request === 'webgpu') {
    if (!probe.ok) throw new Error(`WebGPU was requested but ${probe.why}`);
    return {
      backend: 'webgpu',
      reason: `WebGPU on ${probe.adapter}${probe.software ? ' (a software adapter, on the CPU)' : ''}`,
    };
  }
  if (!probe.ok) return { backend: 'wasm', reason: `WASM (CPU) because ${probe.why}` };
  const key = spec && sizeKey(spec);
  const known = key === undefined ? undefined : measured.get(key);
  if (known) return known;
  if (!spec || !key || !measure)
    return {
      backend: null,
      reason: `WASM and ${backendLabel('webgpu', probe)} are timed on this model when the run starts; the faster is used`,
    };
  const choice = measureHere(spec, probe);
  measured.set(key, choice);
  // A failed measurement is not kept: the next run tries again.
  choice.catch(() => measured.delete(key));
  return choice;
}

/**
 * WASM threads need cross-origin isolation (COOP/COEP headers); without it run single-threaded. With
 * it, one core is left to the page (rendering the charts) and at most 4 are used: onnxruntime's
 * threads spin while they wait for each other, and when another busy thread takes one of their cores
 * they slow to a crawl (on this project's 2-core machine, with other work running, 2 threads trained at a third of
 * 1 thread's speed).
 */
export function wasmThreads(
  isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
  cores = globalThis.navigator?.hardwareConcurrency ?? 1,
): number {
  return isolated ? Math.max(1, Math.min(4, cores - 1)) : 1;
}

export async function loadOrt(
  backend: 'webgpu' | 'wasm',
): Promise<OrtModule & { env: { wasm: { numThreads?: number } } }> {
  if (backend === 'webgpu') await gpuWork;
  const ort =
    backend === 'webgpu' ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm');
  ort.env.wasm.numThreads = wasmThreads();
  return ort as unknown as OrtModule & { env: { wasm: { numThreads?: number } } };
}

/**
 * Resolves, with the browser's reason, once onnxruntime's WebGPU device is lost (a driver reset, the
 * GPU process crashing, device.destroy()); never, while there is no device or it works. onnxruntime
 * keeps one device for the page's lifetime, so after a loss only WASM can go on.
 */
export async function webgpuLost(): Promise<string> {
  const ort = await import('onnxruntime-web/webgpu');
  // Set by onnxruntime once its backend is up (a GPUDevice; typed as a promise of one).
  const device = await (ort.env.webgpu.device as unknown as GPUDevice | Promise<GPUDevice> | undefined);
  if (!device) return new Promise<string>(() => {});
  const info = await device.lost;
  return info.message || info.reason || 'device lost';
}

export async function createBrowserEngine(o: EngineOptions): Promise<Engine> {
  if (o.spec.kind === 'ngram') return new NgramEngine({ spec: o.spec, seed: o.seed });
  const chosen = await chooseBackend(o.backend ?? 'auto', o.spec);
  if (!chosen.backend) throw new Error(`no backend was chosen: ${chosen.reason}`);
  const choice = { backend: chosen.backend, reason: chosen.reason };
  const ort = await loadOrt(choice.backend);
  const threads = ort.env.wasm.numThreads ?? 1;
  const why =
    threads === 1 && globalThis.crossOriginIsolated === true
      ? ' (the only other core is left to the page)'
      : '';
  return new OrtEngine({
    ort,
    backend: choice.backend,
    backendReason:
      choice.backend === 'wasm'
        ? `${choice.reason}; ${threads} WASM thread${threads === 1 ? '' : 's'}${why}`
        : choice.reason,
    spec: o.spec,
    seed: o.seed,
    // Severity 3 (errors only): onnxruntime otherwise warns that it keeps shape ops on the CPU, which is by design.
    sessionOptions: {
      executionProviders: [choice.backend],
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    },
    gpuResident: choice.backend === 'webgpu',
  });
}
