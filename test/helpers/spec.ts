import type { TokenBatch } from '../../src/engine/types.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import { Rng } from '../../src/world/rng.ts';

/** A small spec for exact checks; override fields as needed. */
export const testSpec = (over: Partial<ModelSpec> = {}): ModelSpec => ({
  name: 'test',
  vocabSize: 11,
  contextLength: 5,
  layers: 2,
  dModel: 8,
  heads: 2,
  dFF: 12,
  batchSize: 3,
  tieEmbeddings: false,
  beta1: 0.9,
  beta2: 0.99,
  eps: 1e-8,
  learningRate: 0.01,
  weightDecay: 0.01,
  gradClip: 1,
  initStd: 0.3,
  ...over,
});

/** A batch of `spec.batchSize` rows of token ids drawn uniformly with seed `seed` (the inputs, then the targets). */
export function randomBatch(spec: ModelSpec, seed: number): TokenBatch {
  const r = new Rng(seed);
  const n = spec.batchSize * spec.contextLength;
  const inputs = Int32Array.from({ length: n }, () => Math.floor(r.next() * spec.vocabSize));
  const targets = Int32Array.from({ length: n }, () => Math.floor(r.next() * spec.vocabSize));
  return { inputs, targets, batchSize: spec.batchSize };
}
