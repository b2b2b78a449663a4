// Worker side of the GPU-buffer test: counts live WebGPU buffers across whole engine lifecycles.
// gpu-count.ts comes first, so its wrappers are in place before onnxruntime-web (loaded lazily by
// createBrowserEngine) creates its device.
import { counting, gpuBuffers, type GpuBufferCount } from './gpu-count.ts';
import * as Comlink from 'comlink';
import { createBrowserEngine } from '../../src/engine/browser.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import type { TokenBatch } from '../../src/engine/types.ts';

const api = {
  counting: () => counting,
  count: () => gpuBuffers(),

  /** One lifecycle: create a WebGPU engine, train, sample, read the weights, dispose. */
  async cycle(spec: ModelSpec, seed: number, batch: TokenBatch, steps: number) {
    const engine = await createBrowserEngine({ backend: 'webgpu', spec, seed });
    // live buffers after each train step (weights and AdamW moments stay GPU-resident between steps)
    const perStep: GpuBufferCount[] = [];
    for (let i = 0; i < steps; i++) {
      await engine.trainStep(batch);
      perStep.push(gpuBuffers());
    }
    await engine.sample([[1, 2, 3]], { temperature: 1 });
    // parameters only: the AdamW moments stay on the GPU for dispose to free
    await engine.getWeights();
    const backend = engine.backend;
    await engine.dispose();
    return { backend, perStep, after: gpuBuffers() };
  },
};

export type BuffersApi = typeof api;
Comlink.expose(api);
