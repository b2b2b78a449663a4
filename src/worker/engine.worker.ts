// Module Web Worker that owns the engine, so training never blocks the page.
import * as Comlink from 'comlink';
import { createBrowserEngine } from '../engine/browser.ts';
import { mulberry32 } from '../engine/random.ts';
import type { Engine } from '../engine/types.ts';
import { modelSpec } from '../model/presets.ts';
import { parameterCount } from '../model/spec.ts';
import type { EngineWorkerApi } from './engine-api.ts';

let engine: Engine | undefined;
let next = mulberry32(1);

/** A learnable toy task: each sequence counts up by a fixed stride modulo the vocabulary. */
function strideBatch(V: number, B: number, T: number) {
  const inputs = new Int32Array(B * T);
  const targets = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    const start = Math.floor(next() * V);
    const stride = 1 + Math.floor(next() * 3);
    for (let t = 0; t < T; t++) {
      inputs[b * T + t] = (start + t * stride) % V;
      targets[b * T + t] = (start + (t + 1) * stride) % V;
    }
  }
  return { inputs, targets, batchSize: B };
}

const api: EngineWorkerApi = {
  async init(backend, seed) {
    await engine?.dispose();
    next = mulberry32(seed);
    const spec = modelSpec('tiny', 64);
    engine = await createBrowserEngine({ backend, spec, seed });
    return { backend: engine.backend, reason: engine.backendReason, parameters: parameterCount(spec) };
  },
  async train(steps, onStep) {
    if (!engine) throw new Error('the engine is not ready yet: call init first');
    const { vocabSize, batchSize, contextLength } = engine.spec;
    const losses: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) {
      const { loss } = await engine.trainStep(strideBatch(vocabSize, batchSize, contextLength));
      losses.push(loss);
      onStep(i + 1, loss);
    }
    return { losses, msPerStep: (performance.now() - t0) / steps };
  },
};

Comlink.expose(api);
