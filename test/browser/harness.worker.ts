// Worker side of the engine harness: the same engine code the app uses, driven by tests.
import * as Comlink from 'comlink';
import { chooseBackend, createBrowserEngine, loadOrt } from '../../src/engine/browser.ts';
import { cacheNames } from '../../src/model/io-names.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import { generateByStepping } from '../../src/engine/stepping.ts';
import type { BackendRequest, GenerateOptions, TokenBatch } from '../../src/engine/types.ts';
import { gradGraphRun } from '../helpers/grad-graph.ts';

const api = {
  isWorker: () => typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined',
  choose: (request: BackendRequest, model?: ModelSpec) => chooseBackend(request, model),

  /** Loss and gradients of the grad graph on one execution provider. */
  async gradients(
    backend: 'webgpu' | 'wasm',
    spec: ModelSpec,
    batch: TokenBatch,
    params: Record<string, Float32Array>,
  ) {
    return gradGraphRun(await loadOrt(backend), spec, batch, params, {
      executionProviders: [backend],
      logSeverityLevel: 3,
    });
  },

  /** Train `steps` AdamW steps on one batch through the engine; report losses and where weights live. */
  async train(backend: 'webgpu' | 'wasm', spec: ModelSpec, seed: number, batch: TokenBatch, steps: number) {
    const engine = await createBrowserEngine({ backend, spec, seed });
    const losses: number[] = [];
    for (let i = 0; i < steps; i++) losses.push((await engine.trainStep(batch)).loss);
    // where the weights live after training (read before getWeights, which downloads them)
    const resident = (engine as unknown as { params: { location: string } }).params.location;
    const sample = await engine.sample([[1, 2, 3]], { greedy: true });
    const weights = await engine.getWeights();
    const reason = engine.backendReason;
    await engine.dispose();
    return {
      losses,
      reason,
      backend: engine.backend,
      resident,
      greedy: sample.tokens[0],
      tokEmb: weights.params.tok_emb,
    };
  },

  /**
   * Cached decoding (generate) and one full-window sample() per step from the same seed, and where
   * the decode steps left their key/value caches.
   */
  async decode(
    backend: 'webgpu' | 'wasm',
    spec: ModelSpec,
    seed: number,
    prompts: number[][],
    options: Omit<GenerateOptions, 'onStep' | 'signal'>,
  ) {
    const ort = await loadOrt(backend);
    const locations = new Set<string>();
    const present = new Set(cacheNames(spec, 'present'));
    const proto = (ort.InferenceSession as unknown as { prototype: unknown }).prototype as {
      run: (...a: unknown[]) => Promise<object>;
    };
    const run = proto.run;
    proto.run = async function (this: unknown, ...a: unknown[]) {
      const out = (await run.apply(this, a)) as Record<string, { location: string }>;
      for (const [name, t] of Object.entries(out)) if (present.has(name)) locations.add(t.location);
      return out;
    };
    try {
      const engine = await createBrowserEngine({ backend, spec, seed });
      engine.reseed(seed);
      const cached = await engine.generate(prompts, options);
      engine.reseed(seed);
      const stepped = await generateByStepping((c, o) => engine.sample(c, o), prompts, options);
      await engine.dispose();
      return { cached, stepped, locations: [...locations] };
    } finally {
      proto.run = run;
    }
  },
};

export type HarnessApi = typeof api;
Comlink.expose(api);
