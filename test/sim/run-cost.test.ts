// The estimate behind the warnings before a run: memory of one training step, and a step's time from
// a measured speed. Figures computed by hand from the formula's terms.
import { describe, expect, it } from 'vitest';
import { modelSpec } from '../../src/model/architectures.ts';
import { defaultConfig } from '../../src/sim/config.ts';
import { runCostWarnings, trainingMemoryBytes, WASM_MEMORY_BYTES } from '../../src/sim/run-cost.ts';

describe('trainingMemoryBytes', () => {
  it('counts parameters ×7 and per-token activations, ×2 for backward and ×2 for onnxruntime', () => {
    // nano at V = 512: per token 2 × (1 × (10·32 + 2·128 + 2·32) + 3·512) = 4,352 floats; 32 × 32 tokens;
    // 46,560 parameters (the preset's recorded count) × 7.
    const floats = 32 * 32 * 4352 + 7 * 46_560;
    expect(trainingMemoryBytes(modelSpec('nano', defaultConfig))).toBe(2 * 4 * floats);
  });

  it('grows linearly with the batch, apart from the parameters', () => {
    const s = modelSpec('small', defaultConfig);
    const one = trainingMemoryBytes({ ...s, batchSize: 1 });
    const two = trainingMemoryBytes({ ...s, batchSize: 2 });
    const per = two - one;
    expect(trainingMemoryBytes({ ...s, batchSize: 1024 })).toBe(one + 1023 * per);
  });
});

describe('runCostWarnings', () => {
  const small = (batchSize: number) => modelSpec('small', { ...defaultConfig, batchSize }, 447);

  it('says nothing about the shipped defaults', () => {
    expect(
      runCostWarnings({
        spec: modelSpec('tiny', defaultConfig),
        backend: 'wasm',
        tokensPerSecond: 5000,
        deviceMemoryGiB: 8,
      }),
    ).toEqual([]);
  });

  it("warns when a step's memory is beyond WASM's 4 GB or the device's", () => {
    // small at batch 1024, V = 447: 12.2e9 bytes, 11.4 GB of 2^30.
    expect(trainingMemoryBytes(small(1024))).toBeGreaterThan(12e9);
    expect(runCostWarnings({ spec: small(1024), backend: 'wasm', deviceMemoryGiB: 8 })).toEqual([
      'A training step needs about 11 GB of memory (model small, batch 1024), more than is available: WASM can address at most 4 GB and this device reports 8 GB. Lower the batch size or choose a smaller model.',
    ]);
    // On WebGPU only the device's figure binds; without one nothing is claimed.
    expect(runCostWarnings({ spec: small(1024), backend: 'webgpu', deviceMemoryGiB: 8 })[0]).toMatch(
      /^A training step needs about 11 GB of memory \(model small, batch 1024\), more than is available: this device reports 8 GB\./,
    );
    expect(runCostWarnings({ spec: small(1024), backend: 'webgpu' })).toEqual([]);
    expect(WASM_MEMORY_BYTES).toBe(4294967296);
    // batch 256: 3.1 GB, under both.
    expect(runCostWarnings({ spec: small(256), backend: 'wasm', deviceMemoryGiB: 8 })).toEqual([]);
  });

  it('warns when one step would take over 30 s at the measured speed', () => {
    // 1024 × 64 = 65,536 tokens at 390 tokens/s: 168 s.
    expect(runCostWarnings({ spec: small(1024), backend: 'webgpu', tokensPerSecond: 390 })).toEqual([
      'One training step would take about 168 s here (model small, batch 1024, measured 390 tokens/s): Stop and Pause wait for the step in progress. Lower the batch size or choose a smaller model.',
    ]);
    // 32 × 64 = 2,048 tokens at 390 tokens/s: 5.3 s, no warning.
    expect(runCostWarnings({ spec: small(32), backend: 'webgpu', tokensPerSecond: 390 })).toEqual([]);
  });
});
