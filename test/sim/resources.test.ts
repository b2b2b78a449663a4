// Resources over long runs: 50 generations of the n-gram model and 20 nano-GPT runs back to back in one
// process. The JS heap (after a full GC) may grow by what the records keep and a fixed allowance, no
// more; the engines' native memory is bounded through the array buffers and the resident set.
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/engine/node.ts';
import { resolveConfig } from '../../src/sim/presets.ts';
import { RunController } from '../../src/sim/run-controller.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { smallConfig } from '../helpers/faults.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const MiB = 2 ** 20;

function memory() {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed / MiB, buffers: m.arrayBuffers / MiB, rss: m.rss / MiB };
}

describe('resources', () => {
  it('50 generations of the n-gram model: heap growth stays within what the record keeps', async () => {
    const r = resolveConfig('ngram', { entitiesPerKind: 20, realDocuments: 400, probeFacts: 40 });
    if (!r.ok) throw new Error('bad config');
    const sim = await Simulation.create({
      config: r.config,
      createEngine: (spec, seed) => createNodeEngine({ spec, seed }),
    });
    const heaps: number[] = [];
    while (!sim.finished) {
      await sim.nextGeneration();
      if (sim.completed % 5 === 0) heaps.push(memory().heap);
    }
    expect(sim.record.generations).toHaveLength(51);
    const recordMiB = JSON.stringify(sim.record).length / MiB;
    const growth = heaps.at(-1)! - heaps[0]!;
    console.log(
      `n-gram: heap ${heaps.map((h) => h.toFixed(1)).join(' → ')} MiB; record ${recordMiB.toFixed(1)} MiB`,
    );
    // The record is kept in memory on purpose (about 1.6× its JSON size as objects); anything beyond
    // 2× plus 2 MiB is a leak. (Before the fix, every generation's samples were hoarded for the
    // accumulating modes even in replace mode: 10.5 MiB over these 45 generations.)
    expect(growth).toBeLessThan(2 * recordMiB + 2);
    await sim.dispose();
  });

  it('20 nano-GPT runs back to back: heap, array buffers and resident set stay bounded', async () => {
    const config = smallConfig({ generations: 1, gen0Epochs: 1, epochs: 1 });
    const run = async () => {
      const sim = await RunController.create({
        config,
        createEngine: (spec, seed) => createNodeEngine({ backend: 'node', spec, seed, threads: 1 }),
      });
      await sim.run();
      await sim.dispose();
      expect(sim.record.status).toBe('done');
    };
    // Two warm-up runs: onnxruntime's and V8's one-time allocations are not growth.
    await run();
    await run();
    const before = memory();
    for (let i = 0; i < 20; i++) await run();
    const after = memory();
    const grew = {
      heap: after.heap - before.heap,
      buffers: after.buffers - before.buffers,
      rss: after.rss - before.rss,
    };
    console.log(`20 GPT runs: ${JSON.stringify(before)} → ${JSON.stringify(after)} MiB`);
    // Nothing of a finished, disposed run is kept: a leak of one run's graphs or weights (≥ 1 MiB
    // each) times 20 runs would pass these bounds.
    expect(grew.heap).toBeLessThan(5);
    expect(grew.buffers).toBeLessThan(10);
    expect(grew.rss).toBeLessThan(150);
  });
});
