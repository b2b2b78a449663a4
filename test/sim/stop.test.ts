// Stop cuts long engine work: sampling goes in calls of bounded work (256 documents for nano) with the stop
// signal checked between them (and the chunks give the same tokens as one call per position), and
// evaluation checks it between batches.
import { describe, expect, it } from 'vitest';
import { nodeSimulation } from '../../src/cli/run-node.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import type { Engine } from '../../src/engine/types.ts';
import { modelSpec } from '../../src/model/presets.ts';
import type { Config } from '../../src/sim/config.ts';
import { generateDocuments, sampleChunk, SAMPLE_WORK } from '../../src/sim/generate.ts';
import { resolveConfig } from '../../src/sim/presets.ts';
import type { SimulationEvent } from '../../src/sim/simulation.ts';

const EOS = 2;

/** `engine`, counting its sample calls and the rows they carried. */
function counting(engine: Engine): { engine: Engine; rows: number[] } {
  const rows: number[] = [];
  const wrapped = Object.create(engine) as Engine;
  wrapped.sample = (contexts, options) => {
    rows.push(contexts.length);
    return engine.sample(contexts, options);
  };
  return { engine: wrapped, rows };
}

/** The writing loop before chunking: every unfinished document in one sample call per position. */
async function oneCallPerPosition(engine: Engine, prompts: number[][], maxNewTokens: number) {
  const docs = prompts.map((p) => [...p]);
  let active = docs.map((_, i) => i);
  for (let step = 0; step < maxNewTokens && active.length > 0; step++) {
    const { tokens } = await engine.sample(active.map((i) => docs[i]!));
    active.forEach((i, j) => docs[i]!.push(tokens[j]!));
    active = active.filter((i) => docs[i]!.at(-1) !== EOS);
  }
  return docs;
}

const SAMPLE_CHUNK = 256;

describe('writing documents in chunks', () => {
  it('sizes a sample call by its work: rows × window × parameters within SAMPLE_WORK', () => {
    expect(SAMPLE_WORK).toBe(2147483648);
    // nano and tiny: 256 rows (tiny: 256 × 32 × 167,680 = 1.37e9).
    expect(sampleChunk(modelSpec('nano'))).toBe(256);
    expect(sampleChunk(modelSpec('tiny'))).toBe(256);
    // small: 64 positions × 932,608 parameters = 5.97e7 a row; 64 rows would be 3.8e9, 32 are 1.9e9.
    expect(sampleChunk(modelSpec('small'))).toBe(32);
    // A model too big for even one row within the budget still advances one row a call.
    expect(sampleChunk({ ...modelSpec('small'), dModel: 1024, dFF: 4096, contextLength: 1024 })).toBe(1);
  });

  const spec = modelSpec('nano', 40);
  const n = 2 * SAMPLE_CHUNK + 37;
  const prompts = Array.from({ length: n }, (_, i) => [1, 3 + (i % 30)]);

  it('gives the same documents as one sample call per position, in calls of at most SAMPLE_CHUNK', async () => {
    const engine = await createNodeEngine({ backend: 'node', spec, seed: 5, threads: 1 });
    engine.reseed(9);
    const reference = await oneCallPerPosition(engine, prompts, 6);
    engine.reseed(9);
    const { engine: counted, rows } = counting(engine);
    const chunked = await generateDocuments(counted, prompts, { maxNewTokens: 6, eos: EOS });
    await engine.dispose();
    expect(chunked).toEqual(reference);
    // The first position carries every document: 256 + 256 + 37.
    expect(rows.slice(0, 3)).toEqual([SAMPLE_CHUNK, SAMPLE_CHUNK, 37]);
    expect(Math.max(...rows)).toBe(SAMPLE_CHUNK);
  });

  it('makes no engine call once the signal is aborted, even mid-position', async () => {
    const engine = await createNodeEngine({ backend: 'node', spec, seed: 5, threads: 1 });
    const { engine: counted, rows } = counting(engine);
    const stop = new AbortController();
    const progress: number[] = [];
    const real = counted.sample.bind(counted);
    counted.sample = async (contexts, options) => {
      const r = await real(contexts, options);
      if (rows.length === 2) stop.abort();
      return r;
    };
    const docs = await generateDocuments(counted, prompts, {
      maxNewTokens: 6,
      eos: EOS,
      signal: stop.signal,
      onProgress: (done) => progress.push(done),
    });
    await engine.dispose();
    // Two of the first position's three calls ran; the third document chunk got no token.
    expect(rows).toEqual([SAMPLE_CHUNK, SAMPLE_CHUNK]);
    expect(docs.map((d) => d.length)).toEqual(prompts.map((_, i) => (i < 2 * SAMPLE_CHUNK ? 3 : 2)));
    // Only the opening (0 of n) report: the position never finished.
    expect(progress).toEqual([0]);
  });
});

describe('Simulation.stop() inside a phase', () => {
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

  /** Runs to the end, calling stop() at the first event `when` matches; returns the events after it. */
  async function stopAt(c: Config, when: (e: SimulationEvent) => boolean) {
    const after: SimulationEvent[] = [];
    let stopped = false;
    const sim = await nodeSimulation(
      c,
      'node',
      (e) => {
        if (stopped) after.push(e);
        else if (when(e)) {
          stopped = true;
          sim.stop();
        }
      },
      1,
    );
    const record = await sim.run();
    await sim.dispose();
    return { record, after, stopped };
  }

  it('while writing thousands of documents: no sampling call is finished after it', async () => {
    // 3,000 documents to write: 12 sample calls a position; the stop lands before the first.
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
