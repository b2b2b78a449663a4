// The engine in headless Chromium, inside a module Web Worker: WebGPU (SwiftShader) and WASM
// against onnxruntime-node.
import * as ortNode from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { initialParams, type OrtModule } from '../../src/engine/ort-engine.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { modelSpec } from '../../src/model/architectures.ts';
import { defaultConfig } from '../../src/sim/config.ts';
import { paramList } from '../../src/model/spec.ts';
import type { HarnessApi } from './harness.worker.ts';
import { relativeError } from '../helpers/gradcheck.ts';
import { gradGraphRun } from '../helpers/grad-graph.ts';
import { useHarnessPage, workerCall } from '../helpers/harness-session.ts';
import { randomBatch, testSpec } from '../helpers/spec.ts';

const spec = testSpec({
  vocabSize: 17,
  contextLength: 8,
  batchSize: 4,
  dModel: 16,
  heads: 2,
  dFF: 32,
  initStd: 0.1,
});
const batch = randomBatch(spec, 21);
const params = initialParams(spec, 5);

const harnessPage = useHarnessPage('/test/browser/harness.html');

const call = workerCall<HarnessApi>(harnessPage, 'harness');

const nodeGradients = () => gradGraphRun(ortNode as unknown as OrtModule, spec, batch, params);

describe('engine in a module Web Worker in headless Chromium', () => {
  it('runs in a worker and finds the SwiftShader WebGPU adapter, called a software adapter', async () => {
    expect(await call('isWorker')).toBe(true);
    const gpu = await call('choose', 'webgpu');
    expect(gpu).toEqual({
      backend: 'webgpu',
      reason: expect.stringMatching(/^WebGPU on .*swiftshader.* \(a software adapter, on the CPU\)$/i),
    });
    // `auto` without a model to time leaves the choice to the run.
    expect(await call('choose', 'auto')).toEqual({
      backend: null,
      reason:
        'WASM and WebGPU (software adapter, SwiftShader) are timed on this model when the run starts; the faster is used',
    });
  });

  it('auto times training on both backends and takes the faster, naming both figures', async () => {
    const nano = modelSpec('nano', { ...defaultConfig, batchSize: 8 }, 60);
    const auto = await call('choose', 'auto', nano);
    const m =
      /^WASM: ([\d.]+)(k?) tokens\/s; WebGPU \(software adapter, SwiftShader\): (under )?([\d.]+)(k?) tokens\/s.* — using (WASM|WebGPU \(software adapter, SwiftShader\))$/.exec(
        auto.reason,
      );
    expect(m, auto.reason).not.toBeNull();
    const rate = (x: string, k: string) => Number(x) * (k ? 1000 : 1);
    const wasm = rate(m![1]!, m![2]!);
    const gpu = rate(m![4]!, m![5]!);
    expect(wasm).toBeGreaterThan(0);
    expect(gpu).toBeGreaterThan(0);
    expect(auto.backend).toBe(wasm >= gpu ? 'wasm' : 'webgpu');
    expect(m![6]).toBe(wasm >= gpu ? 'WASM' : 'WebGPU (software adapter, SwiftShader)');
    // Measured once per model size: the same answer again without timing anew.
    expect(await call('choose', 'auto', nano)).toEqual(auto);
  });

  it('WebGPU gradients match the Node backend within 1e-4 relative', async () => {
    const ref = await nodeGradients();
    const gpu = await call('gradients', 'webgpu', spec, batch, params);
    expect(Math.abs(gpu.loss - ref.loss) / ref.loss).toBeLessThan(1e-4);
    for (const p of paramList(spec))
      expect(relativeError(gpu.grads[p.name]!, ref.grads[p.name]!), p.name).toBeLessThan(1e-4);
  });

  it('browser WASM gradients match the Node backend within 1e-5 relative', async () => {
    const ref = await nodeGradients();
    const wasm = await call('gradients', 'wasm', spec, batch, params);
    for (const p of paramList(spec))
      expect(relativeError(wasm.grads[p.name]!, ref.grads[p.name]!), p.name).toBeLessThan(1e-5);
  });

  it('50 AdamW steps on WebGPU lower the loss, with weights resident on the GPU, tracking the Node backend', async () => {
    const gpu = await call('train', 'webgpu', spec, 5, batch, 50);
    expect(gpu.backend).toBe('webgpu');
    expect(gpu.resident).toBe('gpu-buffer');
    expect(gpu.losses.at(-1)!).toBeLessThan(gpu.losses[0]! * 0.7);
    const node = await createNodeEngine({ backend: 'node', spec, seed: 5 });
    const ref: number[] = [];
    for (let i = 0; i < 50; i++) ref.push((await node.trainStep(batch)).loss);
    const w = await node.getWeights();
    await node.dispose();
    expect(Math.abs(gpu.losses.at(-1)! - ref.at(-1)!) / ref.at(-1)!).toBeLessThan(1e-2);
    expect(relativeError(gpu.tokEmb!, w.params.tok_emb!)).toBeLessThan(1e-2);
  });

  it('trains on browser WASM too', async () => {
    const wasm = await call('train', 'wasm', spec, 5, batch, 10);
    expect(wasm.backend).toBe('wasm');
    expect(wasm.losses.at(-1)!).toBeLessThan(wasm.losses[0]!);
  });

  it('cached decoding draws the same tokens as the full-window recompute, across slides, on WASM and WebGPU', async () => {
    // windows of 8 tokens sliding by 4; prompts of 1 … 7 tokens, 14 new tokens each
    const prompts = Array.from({ length: 12 }, (_, i) =>
      Array.from({ length: 1 + (i % 7) }, (_, k) => (i * 5 + k * 3) % 17),
    );
    for (const backend of ['wasm', 'webgpu'] as const)
      for (const options of [
        { maxNewTokens: 14, temperature: 1, eos: 0 },
        { maxNewTokens: 14, greedy: true },
      ]) {
        const r = await call('decode', backend, { ...spec, initStd: 1 }, 7, prompts, options);
        expect(r.cached.tokens, `${backend} ${JSON.stringify(options)}`).toEqual(r.stepped.tokens);
        expect(r.cached.tokens.some((t, i) => t.length + prompts[i]!.length > 12)).toBe(true);
        expect(r.locations).toEqual([backend === 'webgpu' ? 'gpu-buffer' : 'cpu']);
      }
  });

  it('logged no errors', () => {
    expect(harnessPage.problems.join('\n')).toBe('');
  });
});
