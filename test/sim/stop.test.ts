// Stop cuts long engine work: the writing checks the stop signal between decode steps (engine.generate;
// test/engine/decode.test.ts checks the engine side), and evaluation between scoring batches. The stop
// comes through the run controller, as the lab's and the CLI's do.
import { describe, expect, it } from 'vitest';
import { nodeRun } from '../../src/cli/run-node.ts';
import type { Config } from '../../src/sim/config.ts';
import { resolveConfig } from '../../src/sim/presets.ts';
import type { SimulationEvent } from '../../src/sim/simulation.ts';

describe('stop inside a phase', () => {
  const config = (over: Partial<Config>): Config => {
    const r = resolveConfig('quick', {
      generations: 2,
      realDocuments: 60,
      heldOutDocuments: 10,
      gen0Epochs: 1,
      epochs: 1,
      maxNewTokens: 12,
      probeFacts: 6,
      ...over,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.config;
  };

  /**
   * Runs to the end, calling stop() at the first event `when` matches; returns the simulation's events
   * after it (the controller's own, stopping and stopped, aside).
   */
  async function stopAt(c: Config, when: (e: SimulationEvent) => boolean) {
    const after: SimulationEvent[] = [];
    let stopped = false;
    const sim = await nodeRun(
      c,
      'node',
      (e) => {
        if (e.type === 'status' || e.type === 'error' || e.type === 'backend') return;
        if (stopped) after.push(e);
        else if (when(e)) {
          stopped = true;
          void sim.stop();
        }
      },
      1,
    );
    const record = await sim.run();
    await sim.dispose();
    return { record, after, stopped };
  }

  it('while writing thousands of documents: no sampling call is finished after it', async () => {
    // 3,000 documents to write; the stop lands at the writing's first progress report.
    const { record, after, stopped } = await stopAt(
      config({ documentsPerGeneration: 3000 }),
      (e) => e.type === 'phase' && e.phase === 'sample',
    );
    expect(stopped).toBe(true);
    expect(record.status).toBe('stopped');
    expect(record.generations).toEqual([]);
    expect(after).toEqual([]);
  });

  it('while evaluating: the next scoring batch is not run and the generation is not recorded', async () => {
    const { record, after, stopped } = await stopAt(
      config({ documentsPerGeneration: 24 }),
      (e) => e.type === 'phase' && e.phase === 'evaluate' && e.done === 1,
    );
    expect(stopped).toBe(true);
    expect(record.status).toBe('stopped');
    expect(record.generations).toEqual([]);
    expect(after).toEqual([]);
  });

  it('after a finished generation: that generation is kept', async () => {
    const { record, stopped } = await stopAt(
      config({ documentsPerGeneration: 24 }),
      (e) => e.type === 'phase' && e.phase === 'train' && e.generation === 1,
    );
    expect(stopped).toBe(true);
    expect(record.status).toBe('stopped');
    expect(record.generations.map((g) => g.generation)).toEqual([0]);
  });
});
