// The run controller in Node, on a nano GPT (and the n-gram model): a run paused mid-generation, stepped
// one generation at a time, moved to other engines, or recovered after its engines were lost gives the
// same record as the same run left alone; a divergence ends it as failed with the record's message.
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/engine/node.ts';
import type { Engine } from '../../src/engine/types.ts';
import { GenerationDiverged } from '../../src/sim/divergence.ts';
import { recordWithoutTimings, type RunRecord } from '../../src/sim/record.ts';
import {
  RunController,
  type ControllerEvent,
  type RunControllerOptions,
} from '../../src/sim/run-controller.ts';
import { losesGpu, poisoned, smallConfig } from '../helpers/faults.ts';

const nodeEngine = (spec: Engine['spec'], seed: number) =>
  createNodeEngine({ backend: 'node', spec, seed, threads: 1 });

const CONFIG = smallConfig({ generations: 2 });

/** A controller on Node engines, with every event it sends kept in `events`. */
async function controller(
  over: Partial<Omit<RunControllerOptions, 'onEvent'>> & {
    onEvent?: (e: ControllerEvent, c: RunController) => void;
  } = {},
) {
  const events: ControllerEvent[] = [];
  const { onEvent, ...rest } = over;
  // Set once created: the handler sees every event after the first, 'ready'.
  const made: { c?: RunController } = {};
  const c = await RunController.create({
    config: CONFIG,
    createEngine: nodeEngine,
    ...rest,
    onEvent: (e) => {
      events.push(e);
      if (made.c) onEvent?.(e, made.c);
    },
  });
  made.c = c;
  return { c, events };
}

/** The record without what may differ between runs of one seed: timings, and where it ran. */
const comparable = (r: RunRecord) => {
  const { environment: _environment, ...rest } = recordWithoutTimings(r);
  return rest;
};

const statuses = (events: ControllerEvent[]) =>
  events.flatMap((e) => (e.type === 'status' ? [e.status] : []));
const generations = (events: ControllerEvent[]) =>
  events.flatMap((e) => (e.type === 'generation' ? [e.generation.generation] : []));
/** Training steps of generation `g` as they were reported, in order. */
const steps = (events: ControllerEvent[], g: number) =>
  events.flatMap((e) => (e.type === 'step' && e.generation === g ? [e.step] : []));

/** An event handler that pauses the run once, at training step `step` of generation `generation`. */
function pauseOnceAt(generation: number, step: number) {
  let paused = false;
  return (e: ControllerEvent, c: RunController) => {
    if (paused || e.type !== 'step' || e.generation !== generation || e.step !== step) return;
    paused = true;
    void c.pause();
  };
}

let reference: RunRecord;
let referenceSteps: number;

beforeAll(async () => {
  const { c, events } = await controller();
  reference = await c.run();
  await c.dispose();
  expect(reference.status).toBe('done');
  expect(reference.generations).toHaveLength(3);
  expect(statuses(events)).toEqual(['ready', 'running', 'done']);
  referenceSteps = steps(events, 1).length;
  // Enough steps in generation 1 for a halt at its third to interrupt it.
  expect(referenceSteps).toBeGreaterThan(3);
});

describe('the run controller', () => {
  it('paused in the middle of a generation and resumed: the record of an uninterrupted run', async () => {
    const { c, events } = await controller({
      onEvent: pauseOnceAt(1, 3),
    });
    await c.start();
    expect(c.status).toBe('paused');
    expect(c.record.generations.map((g) => g.generation)).toEqual([0]);
    expect(statuses(events)).toEqual(['ready', 'running', 'pausing', 'paused']);
    const record = await c.run();
    await c.dispose();
    // Generation 1 was cut after step 3 and ran again from its first step, from its checkpoint.
    const one = steps(events, 1);
    expect(one.slice(0, 4)).toEqual([1, 2, 3, 1]);
    expect(one).toHaveLength(3 + referenceSteps);
    expect(statuses(events)).toEqual(['ready', 'running', 'pausing', 'paused', 'running', 'done']);
    expect(generations(events)).toEqual([0, 1, 2]);
    expect(recordWithoutTimings(record)).toEqual(recordWithoutTimings(reference));
  });

  it('a pause that arrives while a generation is about to start wins', async () => {
    let asked = false;
    const made = await controller({
      beforeGeneration: async () => {
        if (made.c.record.generations.length === 1 && !asked) {
          asked = true;
          void made.c.pause();
        }
        await new Promise((resolve) => setTimeout(resolve, 0));
      },
    });
    const { c } = made;
    await c.start();
    expect(c.status).toBe('paused');
    expect(steps(made.events, 1)).toEqual([]);
    const record = await c.run();
    await c.dispose();
    expect(recordWithoutTimings(record)).toEqual(recordWithoutTimings(reference));
  });

  it('one generation at a time: each step continues from the last finished generation', async () => {
    const { c, events } = await controller();
    await c.stepGeneration();
    expect(c.status).toBe('paused');
    expect(c.record.generations).toHaveLength(1);
    await c.stepGeneration();
    expect(c.record.generations).toHaveLength(2);
    const record = await c.run();
    await c.dispose();
    expect(statuses(events)).toEqual(['ready', 'running', 'paused', 'running', 'paused', 'running', 'done']);
    expect(recordWithoutTimings(record)).toEqual(recordWithoutTimings(reference));
  });

  it('an n-gram model that keeps its counts, paused in generation 0 and resumed: the same record', async () => {
    const config = smallConfig({ model: 'ngram', init: 'continue', generations: 2 });
    const alone = await controller({ config });
    const expected = await alone.c.run();
    await alone.c.dispose();
    const { c, events } = await controller({
      config,
      onEvent: pauseOnceAt(0, 2),
    });
    await c.start();
    expect(c.status).toBe('paused');
    expect(c.record.generations).toEqual([]);
    const record = await c.run();
    await c.dispose();
    expect(steps(events, 0).slice(0, 3)).toEqual([1, 2, 1]);
    expect(recordWithoutTimings(record)).toEqual(recordWithoutTimings(expected));
    expect(c.canSwitchTo('wasm')).toBe(false);
  });

  it('engines lost mid-generation: the recover hook’s engines go on from that generation’s start', async () => {
    const asked: unknown[] = [];
    const { c, events } = await controller({
      // A WebGPU-like engine whose device goes at generation 1, step 3: that step and every later call fail.
      createEngine: async (spec, seed) =>
        losesGpu(await nodeEngine(spec, seed), { generation: 1, step: 3 }, () => {}),
      recover: async (error, at) => {
        asked.push({ message: (error as Error).message, ...at });
        return {
          backend: 'node',
          createEngine: nodeEngine,
          backendReason: `Node after the device was lost in generation ${at.generation}`,
          message: 'moved',
        };
      },
    });
    expect(c.record.environment.backend).toBe('webgpu');
    const record = await c.run();
    await c.dispose();
    expect(asked).toEqual([{ message: expect.stringMatching(/mapAsync/), generation: 1, backend: 'webgpu' }]);
    const moved = events.filter((e) => e.type === 'backend');
    expect(moved).toEqual([
      {
        type: 'backend',
        backend: 'node',
        backendReason: 'Node after the device was lost in generation 1',
        message: 'moved',
      },
    ]);
    // Generation 1's steps 1–2 were taken on the lost engine, then all of it again on the new one.
    expect(steps(events, 1)).toHaveLength(2 + referenceSteps);
    expect(steps(events, 1).slice(0, 3)).toEqual([1, 2, 1]);
    expect(generations(events)).toEqual([0, 1, 2]);
    expect(events.some((e) => e.type === 'error')).toBe(false);
    expect(statuses(events)).toEqual(['ready', 'running', 'done']);
    expect(record.environment).toMatchObject({
      backend: 'node',
      backendReason: 'Node after the device was lost in generation 1',
    });
    expect(record.error).toBeUndefined();
    expect(comparable(record)).toEqual(comparable(reference));
  });

  it('a divergence ends the run as failed with the record’s message; recovery is not offered one', async () => {
    const asked: number[] = [];
    const { c, events } = await controller({
      createEngine: async (spec, seed) => poisoned(await nodeEngine(spec, seed), { generation: 1, step: 3 }),
      recover: async (_error, at) => {
        asked.push(at.generation);
        return null;
      },
    });
    const error = await c.run().then(
      () => null,
      (e: unknown) => e,
    );
    await c.dispose();
    expect(error).toBeInstanceOf(GenerationDiverged);
    expect(asked).toEqual([1]);
    expect(c.status).toBe('failed');
    expect(c.record.status).toBe('failed');
    expect(c.record.generations.map((g) => g.generation)).toEqual([0]);
    expect(c.record.error).toMatch(
      /^Generation 1 diverged at training step 3 of \d+: .* Generation 0 is kept\.$/,
    );
    expect(events.filter((e) => e.type === 'error')).toEqual([{ type: 'error', message: c.record.error }]);
    expect(statuses(events)).toEqual(['ready', 'running', 'failed']);
    expect(events.at(-1)).toEqual({ type: 'status', status: 'failed' });
  });

  it('moved to other engines while paused: finished generations kept, the rest as if never moved', async () => {
    const { c, events } = await controller({
      onEvent: pauseOnceAt(1, 3),
    });
    await c.start();
    expect(c.status).toBe('paused');
    expect(c.canSwitchTo('node')).toBe(false); // already there
    expect(c.canSwitchTo('wasm')).toBe(true);
    await c.switchEngines('wasm', nodeEngine);
    expect(c.status).toBe('paused');
    expect(events.filter((e) => e.type === 'backend')).toEqual([
      {
        type: 'backend',
        backend: 'wasm',
        backendReason: expect.stringMatching(/; moved from Node at generation 1, as asked$/),
        message: 'The run moved to WASM (CPU) from the start of generation 1; generation 0 is kept.',
      },
    ]);
    const record = await c.run();
    await c.dispose();
    expect(comparable(record)).toEqual(comparable(reference));
  });

  it('stopped before it starts, or while paused: final, with what finished kept', async () => {
    const a = await controller();
    await a.c.stop();
    expect(a.c.status).toBe('stopped');
    expect(a.c.record.status).toBe('stopped');
    expect(() => a.c.start()).toThrow(/cannot start a run that is stopped/);
    expect((await a.c.run()).generations).toEqual([]);
    await a.c.dispose();

    const b = await controller({ config: smallConfig({ model: 'ngram', generations: 2 }) });
    await b.c.stepGeneration();
    await b.c.stop();
    await b.c.resume(); // nothing to resume
    expect(b.c.status).toBe('stopped');
    expect(b.c.record.status).toBe('stopped');
    expect(b.c.record.generations).toHaveLength(1);
    expect(statuses(b.events)).toEqual(['ready', 'running', 'paused', 'stopped']);
    await b.c.dispose();
  });
});
