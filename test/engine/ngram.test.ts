import { describe, expect, it } from 'vitest';
import { createBrowserEngine } from '../../src/engine/browser.ts';
import { NgramEngine } from '../../src/engine/ngram.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import type { SampleOptions, TokenBatch } from '../../src/engine/types.ts';
import { ngramSpec } from '../../src/model/spec.ts';

const batch = (inputs: number[][], targets: number[][]): TokenBatch => ({
  inputs: Int32Array.from(inputs.flat()),
  targets: Int32Array.from(targets.flat()),
  batchSize: inputs.length,
});

/** A unigram engine whose counts are `counts[token]`. */
async function unigram(counts: number[], addK: number, seed = 1): Promise<NgramEngine> {
  const targets = counts.flatMap((c, tok) => Array<number>(c).fill(tok));
  const spec = ngramSpec(counts.length, { order: 1, addK, contextLength: targets.length, batchSize: 1 });
  const e = new NgramEngine({ spec, seed });
  await e.trainStep(batch([targets.map(() => 0)], [targets]));
  return e;
}

/** Frequencies of `n` draws, and a check that each logProb is the untempered log-probability. */
async function frequencies(
  e: NgramEngine,
  n: number,
  options: SampleOptions,
  probs: number[],
): Promise<number[]> {
  const { tokens, logProb } = await e.sample(
    Array.from({ length: n }, () => [0]),
    options,
  );
  const f = new Array<number>(e.spec.vocabSize).fill(0);
  let worst = 0;
  tokens.forEach((t, i) => {
    f[t]!++;
    worst = Math.max(worst, Math.abs(logProb[i]! - Math.log(probs[t]!)));
  });
  expect(worst).toBeLessThan(1e-5);
  return f.map((c) => c / n);
}

/** Frequencies within 4.5 standard errors of the expected probabilities. */
function expectClose(freq: number[], expected: number[], n: number): void {
  expected.forEach((p, i) => {
    const se = Math.sqrt(Math.max(p * (1 - p), 1e-12) / n);
    expect(Math.abs(freq[i]! - p), `token ${i}: ${freq[i]} vs ${p}`).toBeLessThanOrEqual(4.5 * se + 1e-12);
  });
}

const normalise = (w: number[]) => w.map((x) => x / w.reduce((a, b) => a + b, 0));

describe('n-gram engine: add-k by hand', () => {
  // Row: 1 2 1 3 → 4. Bigram histories: 1 → {2, 3}, 2 → {1}, 3 → {4}; unigram: {2, 1, 3, 4}.
  const train = batch([[1, 2, 1, 3]], [[2, 1, 3, 4]]);

  it('loss before the counts are added, then smoothed probabilities', async () => {
    const e = new NgramEngine({
      spec: ngramSpec(5, { order: 2, addK: 0.5, contextLength: 4, batchSize: 1 }),
      seed: 0,
    });
    const first = await e.trainStep(train);
    expect(first.loss).toBeCloseTo(Math.log(5), 6);
    expect(first.gradNorm).toBe(0);
    const ev = await e.evaluate(batch([[1, 2, 4, 0]], [[3, 2, 0, -1]]));
    // p(3 | 1) = (1 + .5) / (2 + 5·.5) = 1/3; p(2 | 2) = .5 / 3.5 = 1/7;
    // history 4 never seen → unigram p(0) = .5 / (4 + 2.5) = 1/13; ignored target → 0.
    expect([...ev.logProb]).toEqual([Math.log(1 / 3), Math.log(1 / 7), Math.log(1 / 13), 0].map(Math.fround));
    const h = (ps: number[]) => -ps.reduce((a, p) => a + p * Math.log(p), 0);
    expect(ev.entropy[0]).toBeCloseTo(h([1 / 3, 1 / 3, 1 / 9, 1 / 9, 1 / 9]), 6);
    expect(ev.entropy[3]).toBeCloseTo(h([0.5, 1.5, 1.5, 1.5, 1.5].map((c) => c / 6.5)), 6);
    // The same batch again: loss is its mean cross-entropy under the first batch's counts.
    const second = await e.trainStep(train);
    expect(second.loss).toBeCloseTo((2 * Math.log(3) + 2 * Math.log(7 / 3)) / 4, 6);
  });

  it('histories never cross rows, and a trigram backs off at the start of a row', async () => {
    const e = new NgramEngine({
      spec: ngramSpec(5, { order: 3, addK: 0, contextLength: 2, batchSize: 2 }),
      seed: 0,
    });
    await e.trainStep(
      batch(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [2, 3],
          [4, 0],
        ],
      ),
    );
    // Trigram (1, 2) → 3; bigram 3 → 4 (row 2 starts afresh).
    const ev = await e.evaluate(
      batch(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [2, 3],
          [4, 0],
        ],
      ),
    );
    expect([...ev.logProb]).toEqual([0, 0, 0, 0]);
    // The unseen trigram (4, 1) backs off to bigram 1 → 2.
    const s = await e.sample([[4, 1]], { greedy: true });
    expect(s.tokens[0]).toBe(2);
  });

  it('TCE analogue: confident targets are not counted and add 0 to the mean loss', async () => {
    const e = await unigram([3, 1, 0, 0], 1); // p = (4, 2, 1, 1) / 8
    const r = await e.trainStep(batch([[0, 0, 0, 0]], [[0, 1, 3, -1]]), { loss: 'tce', tceGamma: 0.4 });
    expect(r.loss).toBeCloseTo((Math.log(4) + Math.log(8)) / 3, 6);
    // counts now 0:3 (unchanged), 1:2, 3:1 → p(0) = 4 / (6 + 4)
    const ev = await e.evaluate(batch([[0, 0, 0, 0]], [[0, 1, 2, 3]]));
    expect(ev.logProb[0]).toBeCloseTo(Math.log(0.4), 6);
  });

  it('refuses bad input with named errors', async () => {
    const e = new NgramEngine({ spec: ngramSpec(5, { contextLength: 2 }), seed: 0 });
    await expect(e.trainStep(batch([[1, 9]], [[2, 3]]))).rejects.toThrow(/out of range/);
    await expect(e.sample([[]])).rejects.toThrow(/empty/);
    expect(() => new NgramEngine({ spec: ngramSpec(5, { contextLength: 2, order: 4 }), seed: 0 })).toThrow(
      /order/,
    );
    expect(() => new NgramEngine({ spec: ngramSpec(5, { contextLength: 2, addK: -1 }), seed: 0 })).toThrow(
      /addK/,
    );
  });
});

describe('n-gram engine: sampler', () => {
  const counts = [6, 3, 1, 0];
  const p = counts.map((c) => (c + 0.5) / 12);
  const n = 40_000;

  it('frequencies match probabilities, with temperature, top-k and top-p', async () => {
    const e = await unigram(counts, 0.5, 7);
    expectClose(await frequencies(e, n, {}, p), p, n);
    expectClose(await frequencies(e, n, { temperature: 0.5 }, p), normalise(p.map((x) => x * x)), n);
    expectClose(await frequencies(e, n, { temperature: 2 }, p), normalise(p.map(Math.sqrt)), n);
    expectClose(await frequencies(e, n, { topK: 2 }, p), normalise([p[0]!, p[1]!, 0, 0]), n);
    // exclusive cumulative mass: 0, .542, .833, .958 → top-p .8 keeps two, .9 keeps three
    expectClose(await frequencies(e, n, { topP: 0.8 }, p), normalise([p[0]!, p[1]!, 0, 0]), n);
    expectClose(await frequencies(e, n, { topP: 0.9 }, p), normalise([p[0]!, p[1]!, p[2]!, 0]), n);
    const g = await e.sample([[0], [1]], { greedy: true });
    expect([...g.tokens]).toEqual([0, 0]);
    expect(g.logProb[0]).toBeCloseTo(Math.log(p[0]!), 6);
    expect((await e.sample([[0]], { temperature: 0 })).tokens[0]).toBe(0);
  });

  it('truncation inside the block of unseen tokens keeps the lowest ids', async () => {
    // token 1 seen 4 times, k = 1, V = 10: p(1) = 5/14, every other token 1/14
    const c = [0, 4, 0, 0, 0, 0, 0, 0, 0, 0];
    const q = c.map((x) => (x + 1) / 14);
    const e = await unigram(c, 1, 3);
    const m = 20_000;
    // top-3: token 1, then unseen 0 and 2 (ascending ids, skipping the seen 1)
    const k3 = normalise(q.map((x, i) => ([1, 0, 2].includes(i) ? x : 0)));
    expectClose(await frequencies(e, m, { topK: 3 }, q), k3, m);
    // top-p .4: exclusive mass 0 (token 1), 5/14 ≈ .357 (token 0), 6/14 ≈ .429 (stop)
    const p4 = normalise(q.map((x, i) => ([1, 0].includes(i) ? x : 0)));
    expectClose(await frequencies(e, m, { topP: 0.4 }, q), p4, m);
    expectClose(await frequencies(e, m, {}, q), q, m);
  });

  it('an untrained model samples uniformly', async () => {
    const e = new NgramEngine({ spec: ngramSpec(4, { contextLength: 8 }), seed: 2 });
    const u = [0.25, 0.25, 0.25, 0.25];
    expectClose(await frequencies(e, n, {}, u), u, n);
    expect((await e.sample([[1, 2]], { greedy: true })).tokens[0]).toBe(0);
  });

  it('is reproducible from its seed', async () => {
    const ctx = Array.from({ length: 50 }, () => [0]);
    const a = await unigram(counts, 0.5, 11);
    const b = await unigram(counts, 0.5, 11);
    const first = (await a.sample(ctx)).tokens;
    expect((await b.sample(ctx)).tokens).toEqual(first);
    a.reseed(11);
    expect((await a.sample(ctx)).tokens).toEqual(first);
    a.reseed(12);
    expect((await a.sample(ctx)).tokens).not.toEqual(first);
  });
});

describe('n-gram engine: checkpoints', () => {
  it('round-trips counts, resets from empty weights, refuses foreign weights', async () => {
    const V = 7;
    const spec = ngramSpec(V, { order: 3, addK: 0.1, contextLength: 6, batchSize: 3 });
    const e = new NgramEngine({ spec, seed: 1 });
    const rows = [
      [1, 2, 3, 4, 5, 6],
      [6, 5, 4, 3, 2, 1],
      [1, 2, 1, 2, 1, 2],
    ];
    const b = batch(
      rows,
      rows.map((r) => [...r.slice(1), -1]),
    );
    await e.trainStep(b);
    await e.trainStep(b);
    const w = await e.getWeights(true);
    expect(Object.keys(w.params).sort()).toEqual(['meta', 'order1', 'order2', 'order3']);
    expect(w.optimizer?.step).toBe(2);
    const f = new NgramEngine({ spec, seed: 1 });
    await f.setWeights(w);
    expect(await f.evaluate(b)).toEqual(await e.evaluate(b));
    expect(await f.getWeights(true)).toEqual(w);

    await f.setWeights({ params: {} });
    const fresh = await f.evaluate(b);
    expect(fresh.logProb[0]).toBeCloseTo(-Math.log(V), 6);

    await expect(f.setWeights({ params: { tok_emb: new Float32Array(4) } })).rejects.toThrow(
      /unknown parameter tok_emb/,
    );
    await expect(f.setWeights({ params: { meta: Float32Array.from([1, 2, V]) } })).rejects.toThrow(
      /does not match/,
    );
    await expect(f.setWeights({ params: { order2: Float32Array.from([1, 2, 0]) } })).rejects.toThrow(
      /multiple of 4/,
    );
    await expect(f.setWeights({ params: { order1: Float32Array.from([9, 0, 1]) } })).rejects.toThrow(
      /token id/,
    );
  });

  it('counts above 2^24 survive float32', async () => {
    const e = new NgramEngine({
      spec: ngramSpec(3, { order: 1, addK: 1, contextLength: 2 }),
      seed: 0,
    });
    const big = 2 ** 24 + 5;
    await e.setWeights({ params: { order1: Float32Array.from([0, 1, 5, 2, 0, 1]) } });
    const w = await e.getWeights();
    expect([...w.params.order1!]).toEqual([0, 1, 5, 2, 0, 1]);
    const ev = await e.evaluate(batch([[0, 0]], [[1, 2]]));
    expect(ev.logProb[1]).toBeCloseTo(Math.log(2 / (big + 1 + 3)), 5);
  });
});

describe('engine factories: an n-gram spec builds the count model', () => {
  const spec = ngramSpec(5, { order: 2, addK: 0.5, contextLength: 4, batchSize: 1 });
  const train = batch([[1, 2, 1, 3]], [[2, 1, 3, 4]]);

  it.each([
    ['Node, auto', () => createNodeEngine({ spec, seed: 4 })],
    ['Node, wasm asked', () => createNodeEngine({ spec, seed: 4, backend: 'wasm' })],
    ['browser, webgpu asked', () => createBrowserEngine({ spec, seed: 4, backend: 'webgpu' })],
  ])('%s: the spec’s order and add-k, no onnxruntime backend', async (_, create) => {
    const e = await create();
    expect(e).toBeInstanceOf(NgramEngine);
    expect(e.backend).toBe('ngram');
    expect(e.spec).toEqual(spec);
    await e.trainStep(train);
    // Bigram, k = 0.5, V = 5: p(3 | 1) = (1 + .5) / (2 + 2.5) = 1/3; p(1 | 2) = 1.5 / 3.5 = 3/7;
    // p(2 | 1) = 1/3 after 1 2 1 (a trigram would give p(2 | 2 1) = .5 / 3.5 = 1/7).
    const ev = await e.evaluate(batch([[1, 2, 1, 0]], [[3, 1, 2, -1]]));
    expect([...ev.logProb].slice(0, 3)).toEqual([1 / 3, 3 / 7, 1 / 3].map((p) => Math.fround(Math.log(p))));
    // Seeded as an engine built directly with the same seed.
    const direct = new NgramEngine({ spec, seed: 4 });
    await direct.trainStep(train);
    const contexts = Array.from({ length: 64 }, (_, i) => [i % 5]);
    expect((await e.sample(contexts)).tokens).toEqual((await direct.sample(contexts)).tokens);
  });
});
