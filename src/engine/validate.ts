// Checks on everything handed to an engine, so bad input fails with a message that names the
// problem instead of an error from deep inside onnxruntime.
import type { EngineSpec, ModelSpec } from '../model/spec.ts';
import { paramList, numel } from '../model/spec.ts';
import {
  IGNORE_TARGET,
  type Contexts,
  type GenerateOptions,
  type SampleOptions,
  type TokenBatch,
  type TrainOptions,
  type Weights,
} from './types.ts';

export class EngineInputError extends Error {
  override name = 'EngineInputError';
}

/** What the token checks need of any model's spec. */
type Shape = Pick<EngineSpec, 'vocabSize' | 'contextLength'>;

const fail = (msg: string): never => {
  throw new EngineInputError(msg);
};

function checkIds(ids: Int32Array, what: string, min: number, V: number): void {
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    if (v < min || v >= V)
      fail(`${what}[${i}] = ${v} is out of range [${min}, ${V - 1}] (vocabulary size ${V})`);
  }
}

export function checkBatch(spec: Shape, b: TokenBatch): void {
  const T = spec.contextLength;
  if (!(b.inputs instanceof Int32Array) || !(b.targets instanceof Int32Array))
    fail('batch inputs and targets must be Int32Array');
  if (!Number.isInteger(b.batchSize) || b.batchSize < 1 || b.batchSize > 4096)
    fail(`batchSize must be an integer in [1, 4096], got ${b.batchSize}`);
  if (b.inputs.length !== b.batchSize * T)
    fail(`inputs has ${b.inputs.length} ids; expected batchSize × contextLength = ${b.batchSize} × ${T}`);
  if (b.targets.length !== b.inputs.length)
    fail(`targets has ${b.targets.length} ids; expected ${b.inputs.length} (same shape as inputs)`);
  checkIds(b.inputs, 'inputs', 0, spec.vocabSize);
  checkIds(b.targets, 'targets', IGNORE_TARGET, spec.vocabSize);
}

/** A learning rate left out is the spec's; an n-gram model has none and ignores it. */
export function checkTrainOptions(spec: EngineSpec, o: TrainOptions): { lr: number; gamma: number } {
  const lr = o.learningRate ?? (spec.kind === 'ngram' ? 0 : spec.learningRate);
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0 || lr > 10)
    fail(`learningRate must be a finite number in [0, 10], got ${String(lr)}`);
  const loss = o.loss ?? 'ce';
  if (loss !== 'ce' && loss !== 'tce') fail(`loss must be 'ce' or 'tce', got ${String(loss)}`);
  const gamma = o.tceGamma ?? 0.99;
  if (!(gamma > 0 && gamma <= 1)) fail(`tceGamma must be in (0, 1], got ${String(gamma)}`);
  // γ above 1 masks nothing: plain cross-entropy runs through the same graph.
  return { lr, gamma: loss === 'tce' ? gamma : 2 };
}

export function checkContexts(spec: Shape, contexts: Contexts): void {
  if (!Array.isArray(contexts) || contexts.length === 0) fail('sample needs at least one context');
  if (contexts.length > 1_000_000)
    fail(`sample takes at most 1,000,000 contexts at once, got ${contexts.length}`);
  contexts.forEach((c, i) => {
    if (c.length === 0) fail(`context ${i} is empty: give at least one token (e.g. <bos>)`);
    for (const id of c)
      if (!Number.isInteger(id) || id < 0 || id >= spec.vocabSize)
        fail(`context ${i} holds token id ${id}, outside [0, ${spec.vocabSize - 1}]`);
  });
}

export interface SamplePlan {
  greedy: boolean;
  invTemperature: number;
  topK: number;
  topP: number;
}

export function checkSampleOptions(spec: Shape, o: SampleOptions): SamplePlan {
  const temperature = o.temperature ?? 1;
  if (!(Number.isFinite(temperature) && temperature >= 0 && temperature <= 100))
    fail(`temperature must be a finite number in [0, 100], got ${String(temperature)}`);
  const topK = o.topK ?? 0;
  if (!(Number.isInteger(topK) && topK >= 0))
    fail(`topK must be an integer ≥ 0 (0 = off), got ${String(topK)}`);
  const topP = o.topP ?? 1;
  if (!(topP > 0 && topP <= 1)) fail(`topP must be in (0, 1], got ${String(topP)}`);
  const greedy = o.greedy === true || temperature === 0;
  return { greedy, invTemperature: greedy ? 1 : 1 / temperature, topK: Math.min(topK, spec.vocabSize), topP };
}

/** The sampling plan of a generate call, after checking its length, eos and signal. */
export function checkGenerateOptions(spec: Shape, o: GenerateOptions): SamplePlan {
  if (!o || typeof o !== 'object') fail('generate needs options with at least maxNewTokens');
  if (!(Number.isInteger(o.maxNewTokens) && o.maxNewTokens >= 1 && o.maxNewTokens <= 1_000_000))
    fail(`maxNewTokens must be an integer in [1, 1000000], got ${String(o.maxNewTokens)}`);
  if (o.eos !== undefined && !(Number.isInteger(o.eos) && o.eos >= 0 && o.eos < spec.vocabSize))
    fail(`eos must be a token id in [0, ${spec.vocabSize - 1}], got ${String(o.eos)}`);
  if (o.signal !== undefined && typeof o.signal?.aborted !== 'boolean') fail('signal must be an AbortSignal');
  return checkSampleOptions(spec, o);
}

export function checkWeights(spec: ModelSpec, w: Weights): void {
  if (!w || typeof w !== 'object' || !w.params) fail('weights must be an object with a params record');
  const infos = paramList(spec);
  const groups: [string, Record<string, Float32Array>][] = [['params', w.params]];
  if (w.optimizer) groups.push(['optimizer.m', w.optimizer.m], ['optimizer.v', w.optimizer.v]);
  for (const [group, rec] of groups) {
    for (const name of Object.keys(rec ?? {}))
      if (!infos.some((p) => p.name === name)) fail(`${group}: unknown parameter ${name}`);
    for (const p of infos) {
      const a = rec?.[p.name];
      if (!(a instanceof Float32Array)) fail(`${group}.${p.name} is missing or not a Float32Array`);
      if (a!.length !== numel(p.shape))
        fail(`${group}.${p.name} has ${a!.length} values; expected ${numel(p.shape)} (shape [${p.shape}])`);
      for (let i = 0; i < a!.length; i++)
        if (!Number.isFinite(a![i]!)) fail(`${group}.${p.name}[${i}] is not finite`);
    }
  }
  if (w.optimizer && !(Number.isInteger(w.optimizer.step) && w.optimizer.step >= 0))
    fail(`optimizer.step must be an integer ≥ 0, got ${String(w.optimizer.step)}`);
}
