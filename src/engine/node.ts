// createEngine for Node (CLI, tests, benchmarks): onnxruntime-node on the CPU, or onnxruntime-web's
// WASM build run inside Node, or the count-based n-gram model.
import os from 'node:os';
import { NgramEngine } from './ngram.ts';
import { OrtEngine, type OrtModule } from './ort-engine.ts';
import type { Engine, EngineOptions } from './types.ts';

export type NodeBackend = 'node' | 'wasm' | 'auto';

export interface NodeEngineOptions extends Omit<EngineOptions, 'backend'> {
  backend?: NodeBackend;
  /** Intra-op threads (default: the machine's core count). */
  threads?: number;
}

/** The engine for `o.spec`: an n-gram spec gets the count model whatever the backend request. */
export async function createNodeEngine(o: NodeEngineOptions): Promise<Engine> {
  if (o.spec.kind === 'ngram') return new NgramEngine({ spec: o.spec, seed: o.seed });
  const threads = o.threads ?? os.availableParallelism();
  const backend = o.backend ?? 'auto';
  if (backend === 'node' || backend === 'auto') {
    const ort = (await import('onnxruntime-node')) as unknown as OrtModule;
    return new OrtEngine({
      ort,
      backend: 'node',
      backendReason:
        backend === 'auto'
          ? `auto: onnxruntime-node (native CPU, ${threads} thread${threads === 1 ? '' : 's'}) is the fastest in Node`
          : `onnxruntime-node CPU, ${threads} thread${threads === 1 ? '' : 's'}`,
      spec: o.spec,
      seed: o.seed,
      sessionOptions: {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        logSeverityLevel: 3,
      },
      gpuResident: false,
    });
  }
  if (backend === 'wasm') {
    const web = await import('onnxruntime-web');
    web.env.wasm.numThreads = threads;
    return new OrtEngine({
      ort: web as unknown as OrtModule,
      backend: 'wasm',
      backendReason: `onnxruntime-web WASM in Node, ${threads} thread${threads === 1 ? '' : 's'}`,
      spec: o.spec,
      seed: o.seed,
      sessionOptions: { executionProviders: ['wasm'], graphOptimizationLevel: 'all', logSeverityLevel: 3 },
      gpuResident: false,
    });
  }
  throw new Error(`unknown Node backend '${String(backend)}': use node, wasm or auto`);
}
