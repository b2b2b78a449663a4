// `auto`'s measurement: how a backend is labelled, timed and picked (engines faked with a clock that
// advances a known amount per step, so every figure below is computed by hand).
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  backendLabel,
  formatRate,
  measureBatch,
  measureBoth,
  measureEngine,
  webgpuBudget,
  pickFaster,
  type Measurement,
} from '../../src/engine/backend-choice.ts';
import type { Engine } from '../../src/engine/types.ts';
import { modelSpec } from '../../src/model/architectures.ts';
import { defaultConfig } from '../../src/sim/config.ts';

const spec = modelSpec('nano', { ...defaultConfig, batchSize: 4 }, 50); // 4 × 32 = 128 tokens a step

/** An engine whose steps each move `clock` on by `stepMs`; the first step waits for `firstStep` if given. */
function fakeEngine(clock: { t: number }, stepMs: number, firstStep?: Promise<void>) {
  const log = { steps: 0, disposed: false };
  const engine = {
    spec,
    async trainStep() {
      if (log.steps++ === 0 && firstStep) await firstStep;
      clock.t += stepMs;
      return { loss: 1, gradNorm: 1 };
    },
    async dispose() {
      log.disposed = true;
    },
  } as unknown as Engine;
  return { engine, log };
}

describe('labels', () => {
  it('names WASM, a hardware adapter, and a software one with what it is', () => {
    expect(backendLabel('wasm')).toBe('WASM');
    expect(backendLabel('webgpu', { name: 'nvidia ampere', software: false })).toBe('WebGPU (nvidia ampere)');
    expect(backendLabel('webgpu', { name: 'google swiftshader', software: true })).toBe(
      'WebGPU (software adapter, SwiftShader)',
    );
    expect(backendLabel('webgpu', { name: 'mesa llvmpipe', software: true })).toBe(
      'WebGPU (software adapter, mesa llvmpipe)',
    );
  });

  it('formats rates as the backend line shows them', () => {
    expect([390.4, 1234, 13_100, 212_345, 1_250_000].map(formatRate)).toEqual([
      '390',
      '1.23k',
      '13.1k',
      '212.3k',
      '1.3M',
    ]);
  });
});

describe('measureBatch', () => {
  it('is a full batch of in-vocabulary ids whose targets are the next ids, the window ends ignored', () => {
    const b = measureBatch(spec);
    expect(b.batchSize).toBe(4);
    expect(b.inputs).toHaveLength(128);
    for (const id of b.inputs) expect(id >= 3 && id < 50).toBe(true);
    for (let i = 0; i < 128; i++) expect(b.targets[i]).toBe((i + 1) % 32 === 0 ? -1 : b.inputs[i + 1]);
  });
});

describe('measureEngine', () => {
  it('times steps after the first until the budget has passed: 4 steps of 100 ms = 1,280 tokens/s', async () => {
    const clock = { t: 0 };
    const { engine, log } = fakeEngine(clock, 100);
    const m = await measureEngine(
      engine,
      'WASM',
      'wasm',
      { firstStepMs: 5000, timedMs: 400, maxSteps: 8 },
      () => clock.t,
    );
    // 4 timed steps × 128 tokens in 0.4 s.
    expect(m).toEqual({ backend: 'wasm', label: 'WASM', tokensPerSecond: 1280, slowerThan: false, steps: 4 });
    expect(log.steps).toBe(5); // the untimed first step and four timed ones
    expect(log.disposed).toBe(true);
  });

  it('stops at maxSteps on a fast backend', async () => {
    const clock = { t: 0 };
    const { engine } = fakeEngine(clock, 10);
    const m = await measureEngine(
      engine,
      'W',
      'webgpu',
      { firstStepMs: 5000, timedMs: 400, maxSteps: 3 },
      () => clock.t,
    );
    expect(m.steps).toBe(3);
    expect(m.tokensPerSecond).toBeCloseTo((3 * 128) / 0.03, 6);
  });

  it('does not wait for a first step that outruns its budget: slower than one batch in that time', async () => {
    let finish = () => {};
    const first = new Promise<void>((resolve) => (finish = resolve));
    const clock = { t: 0 };
    const { engine, log } = fakeEngine(clock, 100, first);
    const m = await measureEngine(
      engine,
      'SW',
      'webgpu',
      { firstStepMs: 20, timedMs: 400, maxSteps: 8 },
      () => clock.t,
    );
    expect(m).toEqual({
      backend: 'webgpu',
      label: 'SW',
      tokensPerSecond: 128 / 0.02,
      slowerThan: true,
      steps: 0,
      waitedMs: 20,
    });
    // Released once the step it could not cut has ended.
    expect(log.disposed).toBe(false);
    finish();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(log.disposed).toBe(true);
    expect(log.steps).toBe(1);
  });
});

describe('pickFaster', () => {
  const m = (over: Partial<Measurement>): Measurement => ({
    backend: 'wasm',
    label: 'WASM',
    tokensPerSecond: 0,
    slowerThan: false,
    steps: 4,
    ...over,
  });
  const swiftshader = 'WebGPU (software adapter, SwiftShader)';

  it('takes WASM over a slower software adapter and names both figures', () => {
    expect(
      pickFaster([
        m({ tokensPerSecond: 13_100 }),
        m({ backend: 'webgpu', label: swiftshader, tokensPerSecond: 390 }),
      ]),
    ).toEqual({
      backend: 'wasm',
      reason: 'WASM: 13.1k tokens/s; WebGPU (software adapter, SwiftShader): 390 tokens/s — using WASM',
      tokensPerSecond: 13_100,
    });
  });

  it('takes WebGPU when it measures faster, whatever its adapter is called', () => {
    const r = pickFaster([
      m({ tokensPerSecond: 13_100 }),
      m({ backend: 'webgpu', label: swiftshader, tokensPerSecond: 20_000 }),
    ]);
    expect(r.backend).toBe('webgpu');
    expect(r.reason).toMatch(/— using WebGPU \(software adapter, SwiftShader\)$/);
  });

  it('says when a backend is known only to be slower than a bound, and when one failed', () => {
    expect(
      pickFaster([
        m({ tokensPerSecond: 2_000 }),
        m({
          backend: 'webgpu',
          label: swiftshader,
          tokensPerSecond: 683,
          slowerThan: true,
          steps: 0,
          waitedMs: 1500,
        }),
      ]).reason,
    ).toBe(
      'WASM: 2.00k tokens/s; WebGPU (software adapter, SwiftShader): under 683 tokens/s (its first step had not ended after 1.5 s) — using WASM',
    );
    expect(
      pickFaster([
        m({ tokensPerSecond: 2_000 }),
        m({ backend: 'webgpu', label: 'WebGPU', error: 'no device' }),
      ]),
    ).toEqual({
      backend: 'wasm',
      reason: 'WASM: 2.00k tokens/s; WebGPU: failed (no device) — using WASM',
      tokensPerSecond: 2_000,
    });
    expect(() => pickFaster([m({ error: 'out of memory' })])).toThrow(
      /no backend could train: WASM: out of memory/,
    );
  });
});

describe('measureBoth', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const labels = { wasm: 'WASM', webgpu: 'WebGPU (software adapter, SwiftShader)' };

  it("gives WebGPU's first step a second plus three of WASM's steps, then judges it by that", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const clock = { t: 0 };
    const wasm = fakeEngine(clock, 10); // 128 tokens in 10 ms: 12,800 tokens/s
    const gpu = fakeEngine(clock, 10, new Promise<void>(() => {})); // its first step never ends
    const settled: Promise<void>[] = [];
    const measuring = measureBoth(
      async (b) => (b === 'wasm' ? wasm.engine : gpu.engine),
      labels,
      (p) => settled.push(p),
      () => clock.t,
    );
    await vi.advanceTimersByTimeAsync(1029);
    let done = false;
    void measuring.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const [w, g] = await measuring;
    expect(w).toEqual({
      backend: 'wasm',
      label: 'WASM',
      tokensPerSecond: 12_800,
      slowerThan: false,
      steps: 8,
    });
    // 1000 + 3 × 10 ms = 1,030 ms for 128 tokens.
    expect(g).toEqual({
      backend: 'webgpu',
      label: labels.webgpu,
      tokensPerSecond: 128 / 1.03,
      waitedMs: 1030,
      slowerThan: true,
      steps: 0,
    });
    expect(settled).toHaveLength(1);
    expect(pickFaster([w!, g!]).backend).toBe('wasm');
  });

  it('reports a backend that cannot be built with its error, and measures the other', async () => {
    const clock = { t: 0 };
    const wasm = fakeEngine(clock, 50);
    const results = await measureBoth(
      async (b) => {
        if (b === 'webgpu') throw new Error('no adapter');
        return wasm.engine;
      },
      labels,
      undefined,
      () => clock.t,
    );
    expect(results.map((r) => [r.backend, r.error ?? r.tokensPerSecond])).toEqual([
      ['wasm', (5 * 128) / 0.25],
      ['webgpu', 'no adapter'],
    ]);
  });

  it('webgpuBudget: a second alone when WASM failed', () => {
    expect(
      webgpuBudget(
        { backend: 'wasm', label: 'WASM', tokensPerSecond: 0, slowerThan: false, steps: 0, error: 'x' },
        128,
      ).firstStepMs,
    ).toBe(1000);
    expect(
      webgpuBudget(
        { backend: 'wasm', label: 'WASM', tokensPerSecond: 1000, slowerThan: false, steps: 4 },
        2000,
      ).firstStepMs,
    ).toBe(7000);
  });
});
