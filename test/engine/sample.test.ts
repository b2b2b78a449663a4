import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/engine/node.ts';
import type { Engine } from '../../src/engine/types.ts';
import { windowStart } from '../../src/model/window.ts';
import { testSpec } from '../helpers/spec.ts';

const spec = testSpec({ vocabSize: 9, contextLength: 6, initStd: 1.2, layers: 1 });
const context = [3, 1, 4];
let engine: Engine;
let probs: number[]; // the model's next-token distribution after `context`
let lastEval: { logProb: Float32Array; entropy: Float32Array }; // the evaluation with target v = V − 1

beforeAll(async () => {
  engine = await createNodeEngine({ backend: 'node', spec, seed: 4 });
  // p(v | context) for every v, from the evaluate graph: put v as the target at the last position
  probs = [];
  for (let v = 0; v < spec.vocabSize; v++) {
    const inputs = new Int32Array(spec.contextLength * spec.batchSize);
    const targets = new Int32Array(inputs.length).fill(-1);
    inputs.set(context);
    targets[context.length - 1] = v;
    const r = await engine.evaluate({ inputs, targets, batchSize: spec.batchSize });
    probs.push(Math.exp(r.logProb[context.length - 1]!));
    lastEval = r;
  }
});

const draw = async (n: number, options: object, seed = 1) => {
  engine.reseed(seed);
  const r = await engine.sample(
    Array.from({ length: n }, () => context),
    options,
  );
  return r;
};

describe('sampling', () => {
  it('the evaluated distribution is a proper, non-degenerate distribution', () => {
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(Math.max(...probs)).toBeLessThan(0.9);
  });

  it("evaluate's entropy is −Σ p·log p of that distribution, and ignored targets give log-probability 0", () => {
    const h = -probs.reduce((a, p) => a + p * Math.log(p), 0);
    expect(lastEval.entropy[context.length - 1]).toBeCloseTo(h, 5);
    expect(h).toBeGreaterThan(0.1);
    lastEval.logProb.forEach((lp, i) => i !== context.length - 1 && expect(lp).toBe(0));
  });

  it('same seed gives the same tokens; another seed gives others', async () => {
    const a = await draw(200, {}, 7);
    const b = await draw(200, {}, 7);
    const c = await draw(200, {}, 8);
    expect(Array.from(b.tokens)).toEqual(Array.from(a.tokens));
    expect(Array.from(c.tokens)).not.toEqual(Array.from(a.tokens));
  });

  it('greedy is the argmax; temperature → 0 and top-k = 1 equal greedy', async () => {
    const argmax = probs.indexOf(Math.max(...probs));
    const greedy = await draw(64, { greedy: true });
    expect(new Set(greedy.tokens)).toEqual(new Set([argmax]));
    expect(greedy.logProb[0]).toBeCloseTo(Math.log(probs[argmax]!), 5);
    expect(Array.from((await draw(64, { temperature: 1e-4 })).tokens)).toEqual(Array.from(greedy.tokens));
    expect(Array.from((await draw(64, { topK: 1 })).tokens)).toEqual(Array.from(greedy.tokens));
    expect(Array.from((await draw(64, { temperature: 0 })).tokens)).toEqual(Array.from(greedy.tokens));
  });

  it('empirical frequencies over 20,480 draws match the softmax probabilities (±0.02)', async () => {
    const n = 20480;
    const r = await draw(n, {}, 3);
    const freq = new Array(spec.vocabSize).fill(0);
    for (const t of r.tokens) freq[t]++;
    for (let v = 0; v < spec.vocabSize; v++)
      expect(Math.abs(freq[v] / n - probs[v]!), `token ${v}`).toBeLessThanOrEqual(0.02);
    // and the returned log-probabilities are those of the untempered model
    for (let i = 0; i < 50; i++) expect(r.logProb[i]).toBeCloseTo(Math.log(probs[r.tokens[i]!]!), 5);
  });

  it('temperature reshapes the distribution as p^(1/τ)', async () => {
    const tau = 0.5;
    const n = 20480;
    const r = await draw(n, { temperature: tau }, 5);
    const w = probs.map((p) => p ** (1 / tau));
    const z = w.reduce((a, b) => a + b, 0);
    const freq = new Array(spec.vocabSize).fill(0);
    for (const t of r.tokens) freq[t]++;
    for (let v = 0; v < spec.vocabSize; v++)
      expect(Math.abs(freq[v] / n - w[v]! / z)).toBeLessThanOrEqual(0.02);
  });

  it('top-p never emits a token outside the nucleus; top-k only the k most likely', async () => {
    const order = probs.map((p, i) => [p, i] as const).sort((a, b) => b[0] - a[0]);
    for (const topP of [0.3, 0.6, 0.9]) {
      const nucleus = new Set<number>();
      let mass = 0;
      for (const [p, i] of order) {
        if (mass >= topP) break;
        nucleus.add(i);
        mass += p;
      }
      const r = await draw(4096, { topP }, 11);
      for (const t of r.tokens) expect(nucleus.has(t), `token ${t} outside the ${topP} nucleus`).toBe(true);
      expect(new Set(r.tokens).size).toBe(nucleus.size);
    }
    const top3 = new Set(order.slice(0, 3).map(([, i]) => i));
    const r = await draw(4096, { topK: 3 }, 12);
    expect(new Set(r.tokens)).toEqual(top3);
  });

  it('contexts longer than the window use the window since the last stride (model/window.ts)', async () => {
    const long = [5, 5, 5, 5, 5, 5, 5, ...context]; // 10 tokens, T = 6, stride 3
    const windowed = long.slice(windowStart(long.length, spec.contextLength));
    expect(windowed).toEqual([5, ...context]);
    const a = await engine.sample([long], { greedy: true });
    const b = await engine.sample([windowed], { greedy: true });
    expect(a.tokens[0]).toBe(b.tokens[0]);
    expect(a.logProb[0]).toBeCloseTo(b.logProb[0]!, 6);
    // and not the last T tokens: those give another distribution
    const c = await engine.sample([long.slice(-spec.contextLength)], { greedy: true });
    expect(Math.abs(c.logProb[0]! - a.logProb[0]!)).toBeGreaterThan(1e-3);
  });
});
