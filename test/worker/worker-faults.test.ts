// The real simulation worker module, run in Node over a MessageChannel (the page side through Comlink,
// as in the browser), with its browser engine swapped for a Node engine that overflows at generation
// 2, step 3. The worker must send generations 0 and 1, then an error event naming the generation, the
// step and what to try, then the status 'failed' — and stay usable for a new run.
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { SimulationWorkerApi, WorkerEvent } from '../../src/worker/simulation-api.ts';
import { smallConfig } from '../helpers/faults.ts';

vi.mock('../../src/engine/browser.ts', async () => {
  const { createNodeEngine } = await import('../../src/engine/node.ts');
  const { poisoned } = await import('../helpers/faults.ts');
  const at = () => (globalThis as { __poison?: { generation: number; step: number } }).__poison;
  return {
    chooseBackend: () => Promise.resolve({ backend: 'wasm', reason: 'Node engine (test)' }),
    createBrowserEngine: async (o: { spec: never; seed: number }) => {
      const engine = await createNodeEngine({ backend: 'node', spec: o.spec, seed: o.seed, threads: 1 });
      const poison = at();
      return poison ? poisoned(engine, poison) : engine;
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

async function runToEnd(): Promise<WorkerEvent[]> {
  const events: WorkerEvent[] = [];
  let finish = () => {};
  const ended = new Promise<void>((resolve) => (finish = resolve));
  await worker.subscribe(
    Comlink.proxy((batch: WorkerEvent[]) => {
      events.push(...batch);
      if (batch.some((e) => e.type === 'status' && ['failed', 'done'].includes(e.status))) finish();
    }),
  );
  await worker.create(smallConfig({ generations: 3 }), 'wasm');
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
});
