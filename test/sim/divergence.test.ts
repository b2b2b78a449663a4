// A loss that goes NaN mid-run: the run stops at that step with a message naming the generation, the
// step and what to try, and keeps every completed generation (in the record, and on disk from the CLI).
import { describe, expect, it } from 'vitest';
import { DivergenceError } from '../../src/engine/types.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { divergenceMessage, GenerationDiverged } from '../../src/sim/divergence.ts';
import { parseRecord } from '../../src/sim/record.ts';
import { RunController } from '../../src/sim/run-controller.ts';
import { poisoned, smallConfig, type Poison } from '../helpers/faults.ts';

async function divergeAt(at: Poison) {
  const config = smallConfig({ learningRate: 0.003 });
  const steps: { generation: number; step: number }[] = [];
  const sim = await RunController.create({
    config,
    createEngine: async (spec, seed) =>
      poisoned(await createNodeEngine({ backend: 'node', spec, seed, threads: 1 }), at),
    onEvent: (e) => {
      if (e.type === 'step') steps.push({ generation: e.generation, step: e.step });
    },
  });
  let error: unknown;
  try {
    await sim.run();
  } catch (e) {
    error = e;
  }
  await sim.dispose();
  return { sim, error, steps };
}

describe('divergence', () => {
  it('stops at the step that went NaN, names generation and step and what to try, keeps generations 0–1', async () => {
    const { sim, error, steps } = await divergeAt({ generation: 2, step: 3 });
    expect(error).toBeInstanceOf(GenerationDiverged);
    expect((error as GenerationDiverged).cause).toBeInstanceOf(DivergenceError);
    const r = sim.record;
    expect(r.status).toBe('failed');
    expect(r.generations.map((g) => g.generation)).toEqual([0, 1]);
    // Steps 1 and 2 of generation 2 were taken; step 3 was not.
    expect(steps.filter((s) => s.generation === 2).map((s) => s.step)).toEqual([1, 2]);
    expect(r.error).toMatch(/^Generation 2 diverged at training step 3 of \d+: the loss was NaN/);
    expect(r.error).toMatch(/Try a lower learningRate \(it is 0\.003; try 0\.0003\)/);
    expect(r.error).toMatch(/Generations 0–1 are kept\.$/);
    // The failed record is still a valid run record: it saves, exports and imports.
    expect(parseRecord(JSON.parse(JSON.stringify(r))).ok).toBe(true);
  });

  it('says so when generation 0 itself diverges', async () => {
    const { sim, error } = await divergeAt({ generation: 0, step: 1 });
    expect(error).toBeInstanceOf(GenerationDiverged);
    expect(sim.record.generations).toEqual([]);
    expect(sim.record.error).toMatch(
      /^Generation 0 diverged at training step 1 of \d+: .* No generation had finished\.$/,
    );
  });

  it('suggests what the config allows', () => {
    const cause = { loss: Infinity, gradNorm: NaN };
    const m = divergenceMessage(1, 7, 40, cause, { learningRate: 0.5, batchSize: 1024, loss: 'tce' });
    expect(m).toBe(
      'Generation 1 diverged at training step 7 of 40: the loss was Infinity and the gradient norm NaN, so the run ' +
        'stopped there. Try a lower learningRate (it is 0.5; try 0.05), or loss=ce instead of tce. Generation 0 is kept.',
    );
  });
});
