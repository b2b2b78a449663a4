import { describe, expect, it } from 'vitest';
import { nodeRun } from '../../src/cli/run-node.ts';
import { recordWithoutTimings, parseRecord } from '../../src/sim/record.ts';
import { resolveConfig } from '../../src/sim/presets.ts';
import type { Config } from '../../src/sim/config.ts';

const small = (over: Partial<Config> = {}): Config => {
  const r = resolveConfig('quick', {
    generations: 1,
    realDocuments: 60,
    heldOutDocuments: 10,
    documentsPerGeneration: 24,
    gen0Epochs: 1,
    epochs: 1,
    maxNewTokens: 12,
    probeFacts: 6,
    ...over,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.config;
};

async function run(config: Config) {
  const sim = await nodeRun(config, 'node', undefined, 1);
  const record = await sim.run();
  await sim.dispose();
  return record;
}

describe('the recursive loop', () => {
  it('same config + seed + backend ⇒ the same record apart from timings; another seed differs', async () => {
    const a = await run(small());
    const b = await run(small());
    const c = await run(small({ seed: 2 }));
    expect(a.status).toBe('done');
    expect(a.generations).toHaveLength(2);
    expect(recordWithoutTimings(b)).toEqual(recordWithoutTimings(a));
    expect(recordWithoutTimings(c)).not.toEqual(recordWithoutTimings(a));
    // the record is valid against its own schema after a JSON round trip
    const parsed = parseRecord(JSON.parse(JSON.stringify(a)));
    expect(parsed.ok).toBe(true);
  });

  it('records every metric per generation, measured from the run', async () => {
    const r = await run(small({ model: 'ngram', init: 'scratch', generations: 2 }));
    expect(r.environment.backend).toBe('ngram');
    // generation 0 is the reference, so stage A — even for a model whose own fluency is low
    expect(r.generations[0]!.metrics.fluency!).toBeLessThan(0.5);
    expect(r.generations[0]!.stage).toBe('A');
    for (const g of r.generations) {
      const m = g.metrics;
      for (const k of [
        'accuracy',
        'fluency',
        'realPerplexity',
        'corpusEntropy',
        'giniSimpson',
        'distinct1',
      ] as const)
        expect(m[k], k).not.toBeNull();
      expect(Object.keys(m.accuracyByFormat).sort()).toEqual(['declarative', 'instruction', 'qa']);
      expect(g.probes).toHaveLength(18); // 6 facts × 3 formats
      expect(g.analytic?.giniSimpson).not.toBeNull();
      expect(g.samples.length).toBeGreaterThan(0);
      expect(m.weightDistance).toBeNull();
    }
    // accuracy is the share of probes answered right, as recorded
    const g0 = r.generations[0]!;
    expect(g0.metrics.accuracy).toBeCloseTo(g0.probes.filter((p) => p.correct).length / g0.probes.length, 12);
  });

  it('stop() keeps every completed generation', async () => {
    const sim = await nodeRun(small({ generations: 3 }), 'node', undefined, 1);
    await sim.stepGeneration();
    await sim.stop();
    const record = await sim.run();
    await sim.dispose();
    expect(record.status).toBe('stopped');
    expect(record.generations).toHaveLength(1);
  });
});
