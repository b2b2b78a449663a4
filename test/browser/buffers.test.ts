// Issue 6, item 5 on WebGPU: live GPU buffers and the worker's JS heap across back-to-back engine
// lifecycles in a module Web Worker on SwiftShader. Wrappers on GPUDevice.createBuffer and
// GPUBuffer.destroy (gpu-count.ts) count buffers created and not destroyed; the heap is read over
// CDP after a forced GC. After warm-up lifecycles neither may grow.
//
// Cycles: SwiftShader spends ~11 s of each lifecycle creating the train and sample sessions (the
// steps themselves take ~0.5 s), so 6 lifecycles, 2 of them warm-up, is what fits here (83 s alone,
// 105 s beside engine.test.ts on 2 cores).
import { describe, expect, it } from 'vitest';
import { modelSpec } from '../../src/model/architectures.ts';
import { defaultConfig } from '../../src/sim/config.ts';
import type { BuffersApi } from './buffers.worker.ts';
import type { GpuBufferCount } from './gpu-count.ts';
import { useHarnessPage, workerCall } from '../helpers/harness-session.ts';
import { randomBatch } from '../helpers/spec.ts';
import { attachWorkerHeap, type HeapSnapshotSum, type HeapUsage } from '../helpers/worker-heap.ts';

// The nano model at a tiny vocabulary and batch: shapes barely matter on SwiftShader, sessions do.
const spec = modelSpec('nano', { ...defaultConfig, batchSize: 2 }, 32);
const CYCLES = 6;
const WARMUP = 2;
const STEPS = 3;
/**
 * Worker heap growth allowed after warm-up, in bytes (measured here: heap +0.4 MiB over lifecycles 1–5,
 * nearly all of it V8 and WASM code compiled as hot functions tier up; JS values +3 KiB).
 */
const HEAP_SLACK = 2 * 1024 * 1024;
const DATA_SLACK = 128 * 1024;
const batch = randomBatch(spec, 6);

const harnessPage = useHarnessPage('/test/browser/buffers.html');

const call = workerCall<BuffersApi>(harnessPage, 'buffers');

const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
const mib = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MiB`;

describe('WebGPU buffers and worker heap across engine lifecycles (module worker, SwiftShader)', () => {
  it(`${CYCLES} create → ${STEPS} train steps → sample → getWeights → dispose lifecycles grow neither`, async () => {
    expect(await call('counting')).toBe(true);
    expect((await call('count')).created).toBe(0);
    const heap = await attachWorkerHeap(harnessPage.browser, 'buffers.worker');
    const alive: GpuBufferCount[] = [];
    const after: GpuBufferCount[] = [];
    const heaps: HeapUsage[] = [];
    let base: HeapSnapshotSum | undefined;
    const t0 = performance.now();
    for (let c = 0; c < CYCLES; c++) {
      const res = await call('cycle', spec, 100 + c, batch, STEPS);
      expect(res.backend).toBe('webgpu');
      // the counter sees onnxruntime's buffers: weights and moments live on the GPU between steps
      for (const s of res.perStep) expect(s.buffers).toBeGreaterThan(0);
      // and train steps do not pile them up
      expect(res.perStep.at(-1)!.buffers).toBeLessThanOrEqual(res.perStep[0]!.buffers);
      expect(res.perStep.at(-1)!.bytes).toBeLessThanOrEqual(res.perStep[0]!.bytes);
      alive.push(res.perStep.at(-1)!);
      after.push(res.after);
      heaps.push(await heap.usage());
      if (c === WARMUP - 1) base = await heap.snapshot();
    }
    const last = await heap.snapshot();
    const seconds = (performance.now() - t0) / 1000;
    await heap.detach();
    console.log(
      `${CYCLES} lifecycles in ${seconds.toFixed(1)} s\n` +
        after
          .map(
            (a, i) =>
              `lifecycle ${i}: alive ${alive[i]!.buffers} buffers ${kib(alive[i]!.bytes)}; ` +
              `after dispose ${a.buffers} buffers ${kib(a.bytes)} (${a.created} created so far); ` +
              `worker heap ${mib(heaps[i]!.usedSize)}, backing stores ${mib(heaps[i]!.backingStorageSize)}`,
          )
          .join('\n') +
        `\nheap snapshots after lifecycle ${WARMUP - 1} → ${CYCLES - 1}: JS values ${kib(base!.data)} → ` +
        `${kib(last.data)}, code, native and V8 internals ${kib(base!.other)} → ${kib(last.other)}`,
    );
    // every lifecycle creates its own buffers (so a leak would show in the live count)
    for (let i = 1; i < CYCLES; i++)
      expect(after[i]!.created - after[i - 1]!.created).toBeGreaterThan(alive[i]!.buffers);
    // measured: dispose frees every buffer the engine's sessions made (onnxruntime keeps no pool)
    expect(after[0]!.buffers, 'live buffers after the first dispose').toBe(0);
    const w = WARMUP - 1;
    for (let i = WARMUP; i < CYCLES; i++) {
      expect(after[i]!.buffers, `live buffers after lifecycle ${i}`).toBeLessThanOrEqual(after[w]!.buffers);
      expect(after[i]!.bytes, `live bytes after lifecycle ${i}`).toBeLessThanOrEqual(after[w]!.bytes);
      expect(alive[i]!.buffers, `buffers while alive, lifecycle ${i}`).toBeLessThanOrEqual(alive[w]!.buffers);
      expect(alive[i]!.bytes, `bytes while alive, lifecycle ${i}`).toBeLessThanOrEqual(alive[w]!.bytes);
      expect(heaps[i]!.usedSize - heaps[w]!.usedSize, `heap growth, lifecycle ${i}`).toBeLessThan(HEAP_SLACK);
    }
    // the program's own data (objects, arrays, strings) does not pile up across lifecycles
    expect(last.data - base!.data, 'JS values in the worker heap').toBeLessThan(DATA_SLACK);
  }, 300_000);

  it('logged no errors', () => {
    expect(harnessPage.problems.join('\n')).toBe('');
  });
});
