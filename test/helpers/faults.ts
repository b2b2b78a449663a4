// Fault injection for engines: weights blown up to 3e38 just before a chosen training step, so that
// the real engine computes a non-finite loss there and raises its own DivergenceError.
import type { Engine } from '../../src/engine/types.ts';
import { resolveConfig } from '../../src/sim/presets.ts';
import type { Config } from '../../src/sim/config.ts';

/** A run small enough for a few seconds of Node: nano GPT on a tiny world. */
export function smallConfig(overrides: Partial<Config> = {}): Config {
  const r = resolveConfig('quick', {
    entitiesPerKind: 4,
    realDocuments: 40,
    heldOutDocuments: 8,
    documentsPerGeneration: 40,
    generations: 3,
    probeFacts: 8,
    gen0Epochs: 3,
    ...overrides,
  });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.config;
}

/** Where to poison: a generation, and a training step within it (from 1). */
export interface Poison {
  generation: number;
  step: number;
}

/**
 * Wraps `engine` so that training step `at.step` of generation `at.generation` overflows. Generations
 * are counted as the loop starts them: each later generation (init 'continue') sets the previous
 * weights without optimiser state.
 */
export function poisoned(engine: Engine, at: Poison): Engine {
  let generation = 0;
  let step = 0;
  const trainStep: Engine['trainStep'] = async (batch, options) => {
    step++;
    if (generation === at.generation && step === at.step) {
      const w = await engine.getWeights(true);
      // Finite (setWeights refuses NaN), but the forward pass overflows float32: the loss is not finite.
      for (const a of Object.values(w.params)) for (let i = 0; i < a.length; i++) a[i] = i % 2 ? 3e38 : -3e38;
      await engine.setWeights(w);
    }
    return engine.trainStep(batch, options);
  };
  const setWeights: Engine['setWeights'] = async (w) => {
    if (!w.optimizer) [generation, step] = [generation + 1, 0];
    return engine.setWeights(w);
  };
  const own: Record<PropertyKey, unknown> = { trainStep, setWeights };
  return new Proxy(engine, {
    get: (target, key) => {
      if (key in own) return own[key];
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as () => unknown).bind(target) : v;
    },
  });
}

/**
 * Wraps `engine` as a WebGPU engine whose device is lost at training step `at.step` of generation
 * `at.generation`: `onLoss` fires (as the device's `lost` promise would) and the step fails as
 * onnxruntime's does when its buffers can no longer be mapped.
 */
export function losesGpu(engine: Engine, at: Poison, onLoss: () => void): Engine {
  let generation = 0;
  let step = 0;
  let lost = false;
  const fail = () =>
    Promise.reject(new Error("failed to call OrtRun(): Failed to execute 'mapAsync' on 'GPUBuffer'"));
  const own: Record<PropertyKey, unknown> = {
    backend: 'webgpu',
    backendReason: 'WebGPU (test)',
    trainStep: (...args: Parameters<Engine['trainStep']>) => {
      step++;
      if (lost || (generation === at.generation && step === at.step)) {
        lost = true;
        onLoss();
        return fail();
      }
      return engine.trainStep(...args);
    },
    setWeights: (w: Parameters<Engine['setWeights']>[0]) => {
      if (!w.optimizer) [generation, step] = [generation + 1, 0];
      return lost ? fail() : engine.setWeights(w);
    },
    getWeights: (optimizer?: boolean) => (lost ? fail() : engine.getWeights(optimizer)),
  };
  return new Proxy(engine, {
    get: (target, key) => {
      if (key in own) return own[key];
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as () => unknown).bind(target) : v;
    },
  });
}
