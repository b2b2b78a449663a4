// createEngine for the browser (a module Web Worker or the page): onnxruntime-web on WebGPU, with
// weights kept in GPU buffers, or on WASM. `auto` takes WebGPU when an adapter exists.
import { OrtEngine, type OrtModule } from './ort-engine.ts';
import type { BackendRequest, Engine, EngineOptions } from './types.ts';

export interface BackendChoice {
  backend: 'webgpu' | 'wasm';
  reason: string;
}

/** Describe the WebGPU adapter, or say why there is none. */
export async function probeWebGPU(): Promise<{ ok: true; adapter: string } | { ok: false; why: string }> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { ok: false, why: 'this browser exposes no WebGPU (navigator.gpu is missing)' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { ok: false, why: 'WebGPU is present but no adapter was granted' };
    const i = adapter.info;
    const name =
      [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' ') || 'unnamed adapter';
    return { ok: true, adapter: name };
  } catch (e) {
    return { ok: false, why: `requesting a WebGPU adapter failed: ${(e as Error).message}` };
  }
}

/** Resolve `auto` (or check an explicit request) to a backend with a reason a user can read. */
export async function chooseBackend(request: BackendRequest): Promise<BackendChoice> {
  if (request === 'wasm') return { backend: 'wasm', reason: 'WASM (CPU) as requested' };
  if (request !== 'webgpu' && request !== 'auto')
    throw new Error(`backend '${request}' is not available in the browser: use webgpu, wasm or auto`);
  const probe = await probeWebGPU();
  if (probe.ok) return { backend: 'webgpu', reason: `WebGPU on ${probe.adapter}` };
  if (request === 'webgpu') throw new Error(`WebGPU was requested but ${probe.why}`);
  return { backend: 'wasm', reason: `WASM (CPU) because ${probe.why}` };
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
  const choice = await chooseBackend(o.backend ?? 'auto');
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
