// Incremental (key/value cached) decoding against the full-window recompute: the same tokens for
// the same uniforms, across window slides, finished rows and cache compaction.
import * as ortNode from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { batchRows } from '../../src/engine/ort-decode.ts';
import { OrtEngine, type OrtModule } from '../../src/engine/ort-engine.ts';
import { generateByStepping } from '../../src/engine/stepping.ts';
import type { GenerateOptions } from '../../src/engine/types.ts';
import { FEED } from '../../src/model/io-names.ts';
import { windowStart } from '../../src/model/window.ts';
import { rng } from '../helpers/gradcheck.ts';
import { testSpec } from '../helpers/spec.ts';

const spec = testSpec({ vocabSize: 9, contextLength: 6, layers: 2, dModel: 8, heads: 2, initStd: 1.2 });

/** An onnxruntime-node module whose sessions count their runs by kind (window, step, gather). */
function countingOrt(runs: Record<string, number>): OrtModule {
  const create = async (bytes: Uint8Array, options: object) => {
    const s = await ortNode.InferenceSession.create(bytes, options);
    const run = s.run.bind(s);
    const kind = s.inputNames.includes(FEED.pos)
      ? 'step'
      : s.inputNames.includes(FEED.rows)
        ? 'gather'
        : 'window';
    (s as { run: unknown }).run = (...args: Parameters<typeof run>) => {
      runs[kind] = (runs[kind] ?? 0) + 1;
      return run(...args);
    };
    return s;
  };
  return { InferenceSession: { create }, Tensor: ortNode.Tensor } as unknown as OrtModule;
}

function engine(runs: Record<string, number> = {}) {
  return new OrtEngine({
    ort: countingOrt(runs),
    backend: 'node',
    backendReason: 'test',
    spec,
    seed: 3,
    sessionOptions: { executionProviders: ['cpu'], intraOpNumThreads: 1, logSeverityLevel: 3 },
    gpuResident: false,
  });
}

const r = rng(8);
// 40 prompts of 1 … 8 tokens: windows of different phases, some already past T = 6.
const prompts = Array.from({ length: 40 }, (_, i) =>
  Array.from({ length: 1 + (i % 8) }, () => Math.floor(r() * spec.vocabSize)),
);

async function both(options: GenerateOptions) {
  const runs: Record<string, number> = {};
  const e = engine(runs);
  e.reseed(5);
  const cached = await e.generate(prompts, options);
  e.reseed(5);
  const stepped = await generateByStepping((c, o) => e.sample(c, o), prompts, options);
  await e.dispose();
  return { cached, stepped, runs };
}

describe('cached decoding', () => {
  it('the window starts at 0 up to T tokens, then moves in strides of T/2', () => {
    expect([1, 6, 7, 8, 9, 10, 12, 13].map((n) => windowStart(n, 6))).toEqual([0, 0, 3, 3, 3, 6, 6, 9]);
    for (let n = 1; n < 40; n++) expect(n - windowStart(n, 6)).toBeLessThanOrEqual(6);
  });

  it('draws the same tokens as one full-window sample() per step, across slides, eos and compaction', async () => {
    const { cached, stepped, runs } = await both({ maxNewTokens: 20, eos: 0, temperature: 1 });
    expect(cached.tokens).toEqual(stepped.tokens);
    cached.logProb.flat().forEach((lp, i) => expect(lp).toBeCloseTo(stepped.logProb.flat()[i]!, 4));
    // the cached path did decode steps, slid windows and compacted its caches
    expect(runs.step).toBeGreaterThan(5);
    expect(runs.window).toBeGreaterThan(1);
    expect(runs.gather).toBeGreaterThan(0);
    // rows ended at eos or at the limit, and some rows ran long enough to slide twice
    for (const t of cached.tokens) expect(t.at(-1) === 0 || t.length === 20).toBe(true);
    expect(Math.max(...cached.tokens.map((t, i) => t.length + prompts[i]!.length))).toBeGreaterThan(12);
  });

  it('greedy and truncated sampling agree too', async () => {
    for (const o of [{ greedy: true }, { topK: 3, temperature: 0.7 }, { topP: 0.8 }]) {
      const { cached, stepped } = await both({ maxNewTokens: 14, ...o });
      expect(cached.tokens, JSON.stringify(o)).toEqual(stepped.tokens);
    }
  });

  it('a seed reproduces the tokens', async () => {
    const e = engine();
    const options = { maxNewTokens: 10, temperature: 1 };
    e.reseed(9);
    const a = await e.generate(prompts, options);
    e.reseed(9);
    const b = await e.generate(prompts, options);
    e.reseed(10);
    const c = await e.generate(prompts, options);
    await e.dispose();
    expect(b.tokens).toEqual(a.tokens);
    expect(c.tokens).not.toEqual(a.tokens);
  });

  it('an aborted signal stops the call between steps with its reason', async () => {
    const e = engine();
    const controller = new AbortController();
    let steps = 0;
    const call = e.generate(prompts, {
      maxNewTokens: 50,
      onStep: () => {
        if (++steps === 3) controller.abort(new Error('stop pressed'));
      },
      signal: controller.signal,
    });
    await expect(call).rejects.toThrow('stop pressed');
    expect(steps).toBe(3);
    // the engine still works after an aborted call
    expect((await e.generate([[1, 2]], { maxNewTokens: 2 })).tokens[0]).toHaveLength(2);
    await e.dispose();
  });

  it('batches rows with at most an eighth of padding', () => {
    expect([1, 2, 3, 5, 9, 40, 300, 513].map(batchRows)).toEqual([1, 2, 3, 5, 9, 40, 320, 576]);
    for (let n = 1; n < 3000; n += 7) expect(batchRows(n) - n).toBeLessThanOrEqual(Math.ceil(n / 8));
  });

  it('refuses bad options with a message naming them', async () => {
    const e = engine();
    await expect(e.generate([[1]], { maxNewTokens: 0 })).rejects.toThrow(/maxNewTokens must be/);
    await expect(e.generate([[1]], { maxNewTokens: 2, eos: 99 })).rejects.toThrow(/eos must be a token id/);
    await e.dispose();
  });
});
