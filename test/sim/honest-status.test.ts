// Runs are not reported 'done' when they are not: a generation worse than a uniform guess stops the run
// as diverged, and a config whose generations would train zero steps is refused before any engine starts
// (the lab and the CLI both create runs through Simulation.create).
import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/engine/node.ts';
import type { Engine } from '../../src/engine/types.ts';
import { packWindows } from '../../src/sim/data.ts';
import { explosion, GenerationExploded } from '../../src/sim/divergence.ts';
import { ConfigRefused, zeroStepProblem } from '../../src/sim/preflight.ts';
import { presetNames, resolveConfig } from '../../src/sim/presets.ts';
import { parseRecord } from '../../src/sim/record.ts';
import { RunController } from '../../src/sim/run-controller.ts';
import { setupRun } from '../../src/sim/setup.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { EOS } from '../../src/world/tokenizer.ts';
import { smallConfig } from '../helpers/faults.ts';

const engine = (spec: Parameters<typeof createNodeEngine>[0]['spec'], seed: number) =>
  createNodeEngine({ backend: 'node', spec, seed, threads: 1 });

/** A property of `target`, methods bound to it. */
const bound = (target: Engine, key: PropertyKey): unknown => {
  const v: unknown = Reflect.get(target, key, target);
  return typeof v === 'function' ? (v as () => unknown).bind(target) : v;
};

const config = (overrides: Record<string, unknown>, preset = 'default') => {
  const r = resolveConfig(preset, overrides);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.config;
};

describe('explosion bounds', () => {
  it('flags a last loss above 2 ln V or not finite, and a real-text perplexity past 1e30 or not finite', () => {
    const base = { heldOutDocuments: 10, lastLoss: 3, vocabSize: 100 };
    // A collapsed model may score worse than a uniform guess (V) on real text: that is not divergence.
    expect(explosion({ ...base, realPerplexity: 100.5 })).toBeNull();
    expect(explosion({ ...base, realPerplexity: 5e4 })).toBeNull();
    expect(explosion({ ...base, realPerplexity: 1e30 })).toBeNull();
    expect(explosion({ ...base, realPerplexity: 2e30 })).toBe(
      'its perplexity on real text was 2.00e+30, above 1e+30',
    );
    expect(explosion({ ...base, realPerplexity: Infinity })).toMatch(/was Infinity, not a number/);
    expect(explosion({ ...base, realPerplexity: NaN })).toMatch(/was NaN, not a number/);
    // no held-out text: perplexity is NaN by construction, not a divergence
    expect(explosion({ ...base, heldOutDocuments: 0, realPerplexity: NaN })).toBeNull();
    // 2 ln 100 = 9.2103…
    expect(explosion({ ...base, realPerplexity: 50, lastLoss: 9.21 })).toBeNull();
    expect(explosion({ ...base, realPerplexity: 50, lastLoss: 9.22 })).toBe(
      'its last training loss was 9.22, above 2 ln V = 9.21 (a uniform guess scores ln V = 4.61)',
    );
    expect(explosion({ ...base, realPerplexity: 50, lastLoss: NaN })).toMatch(/loss was NaN, not a number/);
    expect(explosion({ ...base, realPerplexity: 50, lastLoss: undefined })).toBeNull();
  });

  it('learningRate=1 stops at generation 0 as diverged, with the NaN case’s advice', async () => {
    const sim = await RunController.create({
      config: smallConfig({ learningRate: 1 }),
      createEngine: engine,
    });
    const error = await sim.run().then(
      () => null,
      (e: unknown) => e,
    );
    await sim.dispose();
    expect(error).toBeInstanceOf(GenerationExploded);
    const V = sim.simulation.setup.spec.vocabSize;
    expect(sim.record.status).toBe('failed');
    expect(sim.record.generations).toEqual([]);
    expect(sim.record.error).toMatch(
      new RegExp(
        `^Generation 0 diverged: its last training loss was [0-9.e+]+, above 2 ln V = ${(2 * Math.log(V)).toFixed(2)} .*` +
          'Try a lower learningRate \\(it is 1; try 0\\.1\\), or a larger batchSize \\(it is 32\\)\\. No generation had finished\\.$',
      ),
    );
    const loss = Number(/was ([0-9.e+]+),/.exec(sim.record.error!)![1]);
    expect(loss).toBeGreaterThan(2 * Math.log(V));
    expect(parseRecord(JSON.parse(JSON.stringify(sim.record))).ok).toBe(true);
  });
});

describe('zero training steps', () => {
  it('no preset is refused', () => {
    for (const p of presetNames)
      expect(zeroStepProblem(config({}, p), setupRun(config({}, p))), p).toBeNull();
  });

  it('refuses generation 0 when the real corpus is shorter than one window', async () => {
    // the small model's context is 64: one document of the fact world holds fewer than 65 tokens
    const c = config({ model: 'small', realDocuments: 1 });
    const s = setupRun(c);
    expect(packWindows(s.real, s.spec.contextLength)).toHaveLength(0); // the loop would train nothing
    const tokens = s.real[0]!.ids.length;
    expect(zeroStepProblem(c, s)).toBe(
      `Generation 0 would train zero steps: the real corpus holds ${tokens} tokens, fewer than one training window of 65 tokens. Raise realDocuments (it is 1).`,
    );
    await expect(Simulation.create({ config: c, createEngine: engine })).rejects.toBeInstanceOf(
      ConfigRefused,
    );
  });

  it('refuses later generations that cannot, or most likely will not, fill a window', () => {
    // One synthetic document of at most 8 prompt tokens + 1 new token = 9 < 33 (tiny: context 32).
    const certain = config({ documentsPerGeneration: 1, maxNewTokens: 1 });
    expect(zeroStepProblem(certain, setupRun(certain))).toBe(
      'Generation 1 would train zero steps: its 1 training document (documentsPerGeneration=1) holds at most 9 tokens, ' +
        'fewer than one training window of 33 tokens. Raise documentsPerGeneration to at least 8.',
    );
    // The case: one document per generation (any batch size) trains one step at most, then none.
    const one = config({ documentsPerGeneration: 1, batchSize: 1024 });
    const s = setupRun(one);
    const mean = s.real.reduce((n, d) => n + d.ids.length, 0) / s.real.length;
    expect(mean).toBeLessThan(66); // less than two windows of 33
    expect(zeroStepProblem(one, s)).toMatch(
      /^Generation 1 would train one step per epoch at most: .* holds about \d+ tokens, less than two training windows of 33 tokens/,
    );
    // enough documents: accepted
    expect(zeroStepProblem(config({ documentsPerGeneration: 2 }), s)).toBeNull();
    // accumulate keeps all real text, so generation 1 has at least generation 0's
    expect(zeroStepProblem(config({ documentsPerGeneration: 1, dataMode: 'accumulate' }), s)).toBeNull();
  });

  it('a generation whose model writes only <eos> fails instead of counting as trained', async () => {
    // two documents pass the check (about 80 tokens expected) but come out as bare prompts of ≤ 9 tokens
    const c = smallConfig({ documentsPerGeneration: 2, generations: 2, syntheticFraction: 1 });
    const silent = (e: Engine): Engine =>
      new Proxy(e, {
        get: (target, key) =>
          key === 'generate'
            ? async (prompts: readonly (readonly number[])[]) => ({
                tokens: prompts.map(() => [EOS]),
                logProb: prompts.map(() => [0]),
              })
            : bound(target, key),
      });
    const sim = await RunController.create({
      config: c,
      createEngine: async (spec, seed) => silent(await engine(spec, seed)),
    });
    await expect(sim.run()).rejects.toThrow();
    await sim.dispose();
    expect(sim.record.status).toBe('failed');
    expect(sim.record.generations.map((g) => g.generation)).toEqual([0]);
    expect(sim.record.error).toMatch(
      /^Generation 1 failed: its 2 training documents hold fewer than 33 tokens, one training window, so it would train zero steps/,
    );
  });
});
