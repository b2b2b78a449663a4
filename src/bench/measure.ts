// The timed loops of `npm run bench`, shared by Node and the browser worker (no Node imports here).
// Training: `warmup` untimed steps, then `rounds` rounds of `steps` timed engine.trainStep calls on
// random-token batches (tokens = B·T per step). Sampling: engine.sample on `sampleBatch` contexts of
// T−1 tokens, the window sliding by the drawn token, `sampleSteps` calls per round (tokens =
// contexts × calls; each call is one full forward over the [B, T] window, as in the PyTorch peer).
// Generation (the cached path the simulation writes with): one untimed engine.generate, then
// `rounds` timed ones, each continuing `generateRows` prompts of min(8, T) random tokens by
// `generateTokens` tokens (no eos, so every row runs to the end and its window slides).
// Best round and median are both reported; ratios use the best round, like the peer.
import { deriveRng, Rng } from '../world/rng.ts';
import type { Engine, TokenBatch } from '../engine/types.ts';

export interface MeasureSettings {
  /** Untimed training steps before the timed rounds (session creation, first-run allocations). */
  warmup: number;
  /**
   * Keep warming up (training, then sampling) until this many seconds have passed as well: V8
   * compiles WASM with a baseline compiler first and tiers up in the background, which takes
   * seconds on two busy cores.
   */
  warmupMinSeconds: number;
  /** Timed training steps per round. */
  steps: number;
  /** Timed rounds of training and of sampling; best and median are reported. */
  rounds: number;
  /** Contexts per engine.sample call. */
  sampleBatch: number;
  /** Untimed sample calls before the timed rounds. */
  sampleWarmup: number;
  /** Timed engine.sample calls per round. */
  sampleSteps: number;
  /** Prompts per timed engine.generate call. */
  generateRows: number;
  /** Tokens each prompt is continued by. */
  generateTokens: number;
  /** Seed for the random batches and contexts. */
  seed: number;
}

export interface Measurement {
  trainTokensPerSec: number;
  trainTokensPerSecMedian: number;
  trainRounds: number[];
  sampleTokensPerSec: number;
  sampleTokensPerSecMedian: number;
  sampleRounds: number[];
  generateTokensPerSec: number;
  generateTokensPerSecMedian: number;
  generateRounds: number[];
  /** Seconds spent in warm-up (training + sampling), mostly building sessions. */
  warmupSeconds: number;
  /** Untimed training steps and sample calls actually run (≥ warmup, sampleWarmup). */
  warmupSteps: number;
  sampleWarmupCalls: number;
  finalLoss: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const largest = (xs: number[]): number => xs.reduce((a, b) => Math.max(a, b), -Infinity);
const r1 = (x: number) => Math.round(x * 10) / 10;

/** A few random-token batches to cycle through (next-token targets, like real training data). */
export function randomBatches(V: number, T: number, B: number, count: number, seed: number): TokenBatch[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const seq = Int32Array.from({ length: B * (T + 1) }, () => rng.int(V));
    const inputs = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      inputs.set(seq.subarray(b * (T + 1), b * (T + 1) + T), b * T);
      targets.set(seq.subarray(b * (T + 1) + 1, (b + 1) * (T + 1)), b * T);
    }
    return { inputs, targets, batchSize: B };
  });
}

/** Train and sample on `engine`, timing with performance.now(). */
export async function measureEngine(engine: Engine, s: MeasureSettings): Promise<Measurement> {
  const { vocabSize: V, contextLength: T, batchSize: B } = engine.spec;
  const batches = randomBatches(V, T, B, 8, s.seed);
  let loss = NaN;
  const t0 = performance.now();
  let k = 0;
  while (k < s.warmup || (performance.now() - t0) / 1000 < s.warmupMinSeconds)
    loss = (await engine.trainStep(batches[k++ % batches.length]!)).loss;
  const warmupSteps = k;
  let warmupMs = performance.now() - t0;
  const trainRounds: number[] = [];
  for (let r = 0; r < s.rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < s.steps; i++) loss = (await engine.trainStep(batches[k++ % batches.length]!)).loss;
    trainRounds.push((s.steps * B * T) / ((performance.now() - start) / 1000));
  }

  const rng = deriveRng(s.seed, 'contexts');
  let contexts = Array.from({ length: s.sampleBatch }, () => Array.from({ length: T - 1 }, () => rng.int(V)));
  const step = async () => {
    const { tokens } = await engine.sample(contexts);
    contexts = contexts.map((c, i) => [...c.slice(1), tokens[i]!]);
  };
  const w0 = performance.now();
  let sampleWarmupCalls = 0;
  while (sampleWarmupCalls < s.sampleWarmup || (performance.now() - w0) / 1000 < s.warmupMinSeconds / 3) {
    await step();
    sampleWarmupCalls++;
  }
  warmupMs += performance.now() - w0;
  const sampleRounds: number[] = [];
  for (let r = 0; r < s.rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < s.sampleSteps; i++) await step();
    sampleRounds.push((s.sampleSteps * s.sampleBatch) / ((performance.now() - start) / 1000));
  }
  const prompts = Array.from({ length: s.generateRows }, () =>
    Array.from({ length: Math.min(8, T) }, () => rng.int(V)),
  );
  const generate = () => engine.generate(prompts, { maxNewTokens: s.generateTokens });
  const g0 = performance.now();
  await generate();
  warmupMs += performance.now() - g0;
  const generateRounds: number[] = [];
  for (let r = 0; r < s.rounds; r++) {
    const start = performance.now();
    await generate();
    generateRounds.push((s.generateRows * s.generateTokens) / ((performance.now() - start) / 1000));
  }
  return {
    trainTokensPerSec: r1(largest(trainRounds)),
    trainTokensPerSecMedian: r1(median(trainRounds)),
    trainRounds: trainRounds.map(r1),
    sampleTokensPerSec: r1(largest(sampleRounds)),
    sampleTokensPerSecMedian: r1(median(sampleRounds)),
    sampleRounds: sampleRounds.map(r1),
    generateTokensPerSec: r1(largest(generateRounds)),
    generateTokensPerSecMedian: r1(median(generateRounds)),
    generateRounds: generateRounds.map(r1),
    warmupSeconds: Math.round(warmupMs) / 1000,
    warmupSteps,
    sampleWarmupCalls,
    finalLoss: loss,
  };
}
