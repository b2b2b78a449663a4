import type { EngineSpec } from '../model/spec.ts';

/** Where the engine runs. `node` = onnxruntime-node (CPU); `wasm` = onnxruntime-web's WASM EP; `ngram` = count-based model. */
export type BackendName = 'webgpu' | 'wasm' | 'node' | 'ngram';
export type BackendRequest = BackendName | 'auto';

/** Token ids are int32. Targets use -1 for "no target here" (padding): such positions are ignored. */
export const IGNORE_TARGET = -1;

/** A batch of B sequences of length T, row-major [B, T]. */
export interface TokenBatch {
  inputs: Int32Array;
  targets: Int32Array;
  /** Number of sequences B (rows); T = inputs.length / B must equal the model's context length. */
  batchSize: number;
}

export interface TrainOptions {
  /** Learning rate for this step (defaults to spec.learningRate). */
  learningRate?: number;
  /** Loss: plain cross-entropy, or truncated cross-entropy (ForTIFAI) that drops targets with p > gamma. */
  loss?: 'ce' | 'tce';
  /** TCE threshold γ (default 0.99). */
  tceGamma?: number;
}

/** A train step whose loss or gradient is not finite; the weights are left as they were before it. */
export class DivergenceError extends Error {
  override name = 'DivergenceError';
  constructor(
    readonly step: number,
    readonly loss: number,
    readonly gradNorm: number,
  ) {
    super(`training diverged at step ${step}: loss ${loss}, gradient norm ${gradNorm}`);
  }
}

export interface TrainResult {
  /** Mean loss over all non-ignored target positions (before the update). */
  loss: number;
  /** Global L2 norm of the gradient (before clipping). */
  gradNorm: number;
}

export interface EvalResult {
  /** log p(target | prefix) per position [B, T]; 0 where the target is ignored. */
  logProb: Float32Array;
  /** Entropy (nats) of the next-token distribution per position [B, T]. */
  entropy: Float32Array;
}

export interface SampleOptions {
  /** Softmax temperature; 0 means greedy. Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens (0 = no limit). */
  topK?: number;
  /** Keep the smallest set of tokens whose probability reaches p (1 = no limit). */
  topP?: number;
  /** Greedy decoding (argmax); same as temperature 0. */
  greedy?: boolean;
}

/** Contexts for sampling: one token sequence per row (any length ≥ 1; only the last T tokens are used). */
export type Contexts = readonly (readonly number[] | Int32Array)[];

export interface SampleResult {
  /** The next token for each context. */
  tokens: Int32Array;
  /** log-probability of each chosen token under the untempered model distribution. */
  logProb: Float32Array;
}

export interface GenerateOptions extends SampleOptions {
  /** Most tokens to add to each prompt. */
  maxNewTokens: number;
  /** A row stops once it emits this token (kept as its last token). */
  eos?: number;
  /** Called after each decode step with (rows finished, rows in all). */
  onStep?: (finished: number, total: number) => void;
  /**
   * Cancels a long call: tested before every decode step; once aborted, generate rejects with the
   * signal's reason (an AbortError unless given another) and keeps nothing of the call.
   */
  signal?: AbortSignal;
}

export interface GenerateResult {
  /** Each prompt's continuation (without the prompt): at most maxNewTokens, ending at eos if drawn. */
  tokens: number[][];
  /** log-probability of each continuation token under the untempered model distribution. */
  logProb: number[][];
}

/** A checkpoint: parameter arrays by name, plus (optionally) AdamW state. */
export interface Weights {
  params: Record<string, Float32Array>;
  /** AdamW moments and step; absent when only the parameters are wanted. */
  optimizer?: { m: Record<string, Float32Array>; v: Record<string, Float32Array>; step: number };
}

/** The one interface the simulation uses, whatever runs underneath. */
export interface Engine {
  readonly backend: BackendName;
  /** Human-readable reason the backend was chosen (e.g. the WebGPU adapter, or why WASM). */
  readonly backendReason: string;
  readonly spec: EngineSpec;
  trainStep(batch: TokenBatch, options?: TrainOptions): Promise<TrainResult>;
  evaluate(batch: TokenBatch): Promise<EvalResult>;
  /** Next token for each context, drawn with the engine's seeded PRNG. */
  sample(contexts: Contexts, options?: SampleOptions): Promise<SampleResult>;
  /**
   * Continue every prompt token by token: the same draws as calling `sample` once per step on the
   * unfinished rows (one uniform per unfinished row per step, in prompt order), computed
   * incrementally where the backend can (GPT: a key/value cache; see model/window.ts).
   */
  generate(prompts: Contexts, options: GenerateOptions): Promise<GenerateResult>;
  /** Reseed the sampling PRNG. */
  reseed(seed: number): void;
  /** Fresh untrained weights (seeded as at creation with `seed`) and cleared optimiser state. */
  reset(seed: number): Promise<void>;
  getWeights(includeOptimizer?: boolean): Promise<Weights>;
  setWeights(weights: Weights): Promise<void>;
  dispose(): Promise<void>;
}

export interface EngineOptions {
  backend?: BackendRequest;
  /** A GPT spec, or an n-gram spec (whatever the backend request: the count model needs no onnxruntime). */
  spec: EngineSpec;
  /** Seeds parameter initialisation and sampling. */
  seed: number;
}
