// The real simulation worker module, run in Node over a MessageChannel (the page side through Comlink,
// as in the browser), with its browser engine swapped for Node engines carrying injected faults:
// - a divergence at generation 2, step 3: the worker sends generations 0 and 1, one error event naming
//   the generation, the step and what to try, then 'failed' — and takes a new run afterwards;
// - a lost GPU at generation 2, step 3: the run moves to WASM from the start of generation 2, tells the
//   page, and finishes.
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { SimulationWorkerApi, WorkerEvent } from '../../src/worker/simulation-api.ts';
import { smallConfig, type Poison } from '../helpers/faults.ts';

vi.mock('../../src/engine/browser.ts', async () => {
  const { createNodeEngine } = await import('../../src/engine/node.ts');
  const { poisoned, losesGpu } = await import('../helpers/faults.ts');
  const fault = () => globalThis as { __poison?: Poison; __gpuLoss?: Poison };
  let lose: (why: string) => void = () => {};
  const lost = new Promise<string>((resolve) => (lose = resolve));
  return {
    chooseBackend: (request: string) =>
      Promise.resolve({ backend: request === 'webgpu' ? 'webgpu' : 'wasm', reason: 'Node engine (test)' }),
    webgpuLost: () => lost,
    createBrowserEngine: async (o: { spec: never; seed: number; backend: string }) => {
      const engine = await createNodeEngine({ backend: 'node', spec: o.spec, seed: o.seed, threads: 1 });
      const { __poison, __gpuLoss } = fault();
      if (o.backend === 'webgpu' && __gpuLoss) return losesGpu(engine, __gpuLoss, () => lose('destroyed'));
      return __poison ? poisoned(engine, __poison) : engine;
    },
  };
});

// The worker's global scope: Comlink.expose listens on globalThis, which here is one end of a channel.
const channel = new MessageChannel();
const g = globalThis as unknown as Record<string, unknown>;
g.addEventListener = channel.port1.addEventListener.bind(channel.port1);
g.removeEventListener = channel.port1.removeEventListener.bind(channel.port1);
g.postMessage = channel.port1.postMessage.bind(channel.port1);
if (typeof navigator === 'undefined') g.navigator = { userAgent: 'node test' };
channel.port1.start();
await import('../../src/worker/simulation.worker.ts');
const worker = Comlink.wrap<SimulationWorkerApi>(channel.port2 as unknown as Comlink.Endpoint);

afterAll(() => {
  channel.port1.close();
  channel.port2.close();
});

async function runToEnd(
  backend: 'wasm' | 'webgpu' = 'wasm',
  onBatch: (batch: WorkerEvent[]) => void = () => {},
): Promise<WorkerEvent[]> {
  const events: WorkerEvent[] = [];
  let finish = () => {};
  const ended = new Promise<void>((resolve) => (finish = resolve));
  await worker.subscribe(
    Comlink.proxy((batch: WorkerEvent[]) => {
      events.push(...batch);
      onBatch(batch);
      if (batch.some((e) => e.type === 'status' && ['failed', 'done'].includes(e.status))) finish();
    }),
  );
  await worker.create(smallConfig({ generations: 3 }), backend);
  await worker.start();
  await ended;
  return events;
}

describe('the simulation worker', () => {
  it('forwards a divergence as an error event after the completed generations, then starts a new run', async () => {
    g.__poison = { generation: 2, step: 3 };
    const events = await runToEnd();
    const generations = events.flatMap((e) => (e.type === 'generation' ? [e.generation.generation] : []));
    expect(generations).toEqual([0, 1]);
    const errors = events.filter((e) => e.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      message: expect.stringMatching(
        /^Generation 2 diverged at training step 3 of \d+: .*Try a lower learningRate .* Generations 0–1 are kept\.$/,
      ),
    });
    // The error comes before the final status, which is 'failed'.
    const last = events.at(-1);
    expect(last).toEqual({ type: 'status', status: 'failed' });
    expect(events.indexOf(errors[0]!)).toBeLessThan(events.length - 1);

    // The same worker takes a new run without being restarted.
    g.__poison = undefined;
    const again = await runToEnd();
    expect(again.filter((e) => e.type === 'generation')).toHaveLength(4);
    expect(again.at(-1)).toEqual({ type: 'status', status: 'done' });
    expect(again.some((e) => e.type === 'error')).toBe(false);
  });

  it('moves a run whose GPU was lost to WASM, from the start of the generation it was in', async () => {
    g.__poison = undefined;
    g.__gpuLoss = { generation: 2, step: 3 };
    const events = await runToEnd('webgpu');
    const moved = events.filter((e) => e.type === 'backend');
    expect(moved).toEqual([
      {
        type: 'backend',
        backend: 'wasm',
        backendReason: 'WASM (CPU) after the WebGPU device was lost in generation 2 (destroyed)',
        message:
          'The GPU was lost during generation 2 (destroyed). The run goes on on WASM (CPU), from the start ' +
          'of generation 2; generations 0–1 are kept.',
      },
    ]);
    // Every generation arrives once; generation 2's losses start again at step 1 after the move.
    const generations = events.flatMap((e) => (e.type === 'generation' ? [e.generation.generation] : []));
    expect(generations).toEqual([0, 1, 2, 3]);
    const after = events.slice(events.indexOf(moved[0]!));
    expect(after.find((e) => e.type === 'losses')).toMatchObject({ generation: 2, firstStep: 1 });
    expect(events.some((e) => e.type === 'error')).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'status', status: 'done' });
  });

  it('moves a running run to another backend when asked, keeping finished generations', async () => {
    g.__poison = undefined;
    g.__gpuLoss = { generation: 99, step: 1 }; // a 'webgpu' engine that is never lost
    let asked = false;
    const events = await runToEnd('webgpu', (batch) => {
      if (!asked && batch.some((e) => e.type === 'generation')) {
        asked = true;
        void worker.switchBackend('wasm');
      }
    });
    g.__gpuLoss = undefined;
    const moved = events.filter((e) => e.type === 'backend');
    expect(moved).toHaveLength(1);
    const at = Number(/generation (\d+)/.exec(moved[0]!.type === 'backend' ? moved[0]!.message : '')?.[1]);
    expect(at).toBeGreaterThanOrEqual(1);
    expect(moved[0]).toEqual({
      type: 'backend',
      backend: 'wasm',
      backendReason: expect.stringMatching(new RegExp(`; moved from WebGPU at generation ${at}, as asked$`)),
      message: `The run moved to WASM (CPU) from the start of generation ${at}${at > 1 ? `; generations 0–${at - 1} are kept` : '; generation 0 is kept'}.`,
    });
    // Paused to move and resumed: every generation once, the moved one from its first step.
    const generations = events.flatMap((e) => (e.type === 'generation' ? [e.generation.generation] : []));
    expect(generations).toEqual([0, 1, 2, 3]);
    const after = events.slice(events.indexOf(moved[0]!));
    expect(after.find((e) => e.type === 'losses')).toMatchObject({ generation: at, firstStep: 1 });
    expect(events.some((e) => e.type === 'error')).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'status', status: 'done' });
  });
});
