// The engine over any onnxruntime flavour (onnxruntime-node, onnxruntime-web WASM or WebGPU).
// Parameters and AdamW moments are graph inputs; a train step's updated ones are its outputs and
// become the next step's inputs. On WebGPU those outputs stay in GPU buffers: only the two-number
// `stats` (loss, gradient norm) and sampled ids are read back.
import type * as OrtCommon from 'onnxruntime-common';
import {
  buildEvalGraph,
  buildGatherGraph,
  buildSampleGraph,
  buildStepGraph,
  buildTrainGraph,
  type BuiltGraph,
} from '../model/graphs.ts';
import { cacheNames, FEED, OUTPUT } from '../model/io-names.ts';
import { windowStart } from '../model/window.ts';
import { drawRows } from './draw.ts';
import { decode, headOutputs, readHead, type DecodeHost } from './ort-decode.ts';
import {
  flatLayout,
  numel,
  paramList,
  validateSpec,
  type FlatLayout,
  type ModelSpec,
} from '../model/spec.ts';
import { deriveRng, type Rng } from '../world/rng.ts';
import type {
  BackendName,
  Contexts,
  Engine,
  EvalResult,
  GenerateOptions,
  GenerateResult,
  SampleOptions,
  SampleResult,
  TokenBatch,
  TrainOptions,
  TrainResult,
  Weights,
} from './types.ts';
import { DivergenceError } from './types.ts';
import * as check from './validate.ts';

/** The slice of an onnxruntime module the engine needs (node and web both provide it). */
export interface OrtModule {
  InferenceSession: typeof OrtCommon.InferenceSession;
  Tensor: typeof OrtCommon.Tensor;
}
type OrtTensor = OrtCommon.Tensor;
type Session = OrtCommon.InferenceSession;

export interface OrtEngineOptions {
  ort: OrtModule;
  backend: BackendName;
  backendReason: string;
  spec: ModelSpec;
  seed: number;
  sessionOptions: OrtCommon.InferenceSession.SessionOptions;
  /** Keep train-step outputs on the GPU (WebGPU). */
  gpuResident: boolean;
}

/** Seeded initial parameters for `spec` (same values on every backend). */
export function initialParams(spec: ModelSpec, seed: number): Record<string, Float32Array> {
  const rng = deriveRng(seed, 'init');
  const out: Record<string, Float32Array> = {};
  for (const p of paramList(spec)) {
    const a = new Float32Array(numel(p.shape));
    if (p.init.kind === 'ones') a.fill(1);
    else if (p.init.kind === 'normal') for (let i = 0; i < a.length; i++) a[i] = rng.normal(0, p.init.std);
    out[p.name] = a;
  }
  return out;
}

/** Sample graphs are built for batch sizes that are powers of two, so a handful of sessions serve any count. */
const SAMPLE_BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256];

export class OrtEngine implements Engine {
  readonly backend: BackendName;
  readonly backendReason: string;
  readonly spec: ModelSpec;
  private readonly ort: OrtModule;
  private readonly layout: FlatLayout;
  private readonly sessions = new Map<string, Promise<Session>>();
  /** The flat parameter vector and its AdamW moments, [N] each (flatLayout order). */
  private params!: OrtTensor;
  private m!: OrtTensor;
  private v!: OrtTensor;
  private step = 0;
  private random: Rng;
  private disposed = false;
  /** Serialises calls: onnxruntime sessions must not run concurrently on shared state. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: OrtEngineOptions) {
    validateSpec(o.spec);
    this.ort = o.ort;
    this.backend = o.backend;
    this.backendReason = o.backendReason;
    this.spec = { ...o.spec };
    this.layout = flatLayout(o.spec);
    this.random = deriveRng(o.seed, 'sample');
    this.load({ params: initialParams(o.spec, o.seed) });
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('engine has been disposed'));
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private session(kind: 'train' | 'eval' | 'sample' | 'step', B: number): Promise<Session> {
    const build: Record<typeof kind, (spec: ModelSpec, B: number) => BuiltGraph> = {
      train: buildTrainGraph,
      eval: buildEvalGraph,
      sample: buildSampleGraph,
      // GPU-resident caches are written by the graph; CPU ones in place by the decoder.
      step: (spec, B) => buildStepGraph(spec, B, this.o.gpuResident ? 'graph' : 'caller'),
    };
    return this.cachedSession(`${kind}:${B}`, () => build[kind](this.spec, B));
  }

  private cachedSession(key: string, graph: () => BuiltGraph): Promise<Session> {
    let s = this.sessions.get(key);
    if (!s) {
      const options = { ...this.o.sessionOptions };
      // Window passes, decode steps and compactions are many small kernels: on one intra-op thread
      // generate ran twice as fast as on two (onnxruntime-node, tiny, 256 rows × 64 tokens: 30k
      // against 15k tokens/s at load 2.6), the threads' hand-offs costing more than they share.
      if (options.intraOpNumThreads !== undefined && /^(sample|step|gather):/.test(key))
        options.intraOpNumThreads = 1;
      if (this.o.gpuResident) {
        // Weights, moments and decoding caches stay in GPU buffers; everything else is read back.
        const gpu = key.startsWith('train:')
          ? [OUTPUT.newParams, OUTPUT.newM, OUTPUT.newV]
          : cacheNames(this.spec, 'present');
        options.preferredOutputLocation = Object.fromEntries(gpu.map((name) => [name, 'gpu-buffer']));
      }
      s = this.ort.InferenceSession.create(graph().bytes, options);
      this.sessions.set(key, s);
    }
    return s;
  }

  private tensor(data: Float32Array | Int32Array, dims: readonly number[]): OrtTensor {
    return data instanceof Int32Array
      ? new this.ort.Tensor('int32', data, dims)
      : new this.ort.Tensor('float32', data, dims);
  }

  private scalar(v: number): OrtTensor {
    return this.tensor(new Float32Array([v]), []);
  }

  private paramFeeds(): Record<string, OrtTensor> {
    return { [FEED.params]: this.params };
  }

  /** One flat CPU tensor from per-parameter arrays (zeros where one is missing). */
  private flatten(arrays: Record<string, Float32Array> | undefined): OrtTensor {
    const flat = new Float32Array(this.layout.total);
    for (const e of this.layout.entries) {
      const a = arrays?.[e.name];
      if (a) flat.set(a, e.offset);
    }
    return this.tensor(flat, [this.layout.total]);
  }

  /** Replace the state with CPU tensors built from arrays (releasing GPU-resident ones). */
  private load(w: Weights): void {
    this.releaseState();
    this.params = this.flatten(w.params);
    this.m = this.flatten(w.optimizer?.m);
    this.v = this.flatten(w.optimizer?.v);
    this.step = w.optimizer?.step ?? 0;
  }

  private releaseState(): void {
    for (const t of [this.params, this.m, this.v]) if (t?.location === 'gpu-buffer') t.dispose();
  }

  async trainStep(batch: TokenBatch, options: TrainOptions = {}): Promise<TrainResult> {
    check.checkBatch(this.spec, batch);
    const { lr, gamma } = check.checkTrainOptions(this.spec, options);
    return this.serial(async () => {
      const session = await this.session('train', batch.batchSize);
      const t = this.step + 1;
      const { contextLength: T, beta1, beta2 } = this.spec;
      const feeds: Record<string, OrtTensor> = {
        [FEED.ids]: this.tensor(batch.inputs, [batch.batchSize, T]),
        [FEED.targets]: this.tensor(batch.targets, [batch.batchSize, T]),
        [FEED.gamma]: this.scalar(gamma),
        [FEED.lr]: this.scalar(lr),
        [FEED.weightDecay]: this.scalar(this.spec.weightDecay),
        [FEED.clip]: this.scalar(this.spec.gradClip),
        [FEED.biasCorrection1]: this.scalar(1 - beta1 ** t),
        [FEED.biasCorrection2]: this.scalar(1 - beta2 ** t),
        [FEED.params]: this.params,
        [FEED.m]: this.m,
        [FEED.v]: this.v,
      };
      const out = await session.run(feeds);
      const stats = (await out[OUTPUT.stats]!.getData()) as Float32Array;
      const loss = stats[0]!;
      const gradNorm = stats[1]!;
      if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
        for (const [name, tensor] of Object.entries(out))
          if (name !== OUTPUT.stats && tensor.location === 'gpu-buffer') tensor.dispose();
        throw new DivergenceError(t, loss, gradNorm);
      }
      this.releaseState();
      this.params = out[OUTPUT.newParams]!;
      this.m = out[OUTPUT.newM]!;
      this.v = out[OUTPUT.newV]!;
      this.step = t;
      return { loss, gradNorm };
    });
  }

  async evaluate(batch: TokenBatch): Promise<EvalResult> {
    check.checkBatch(this.spec, batch);
    return this.serial(async () => {
      const session = await this.session('eval', batch.batchSize);
      const dims = [batch.batchSize, this.spec.contextLength];
      const out = await session.run({
        [FEED.ids]: this.tensor(batch.inputs, dims),
        [FEED.targets]: this.tensor(batch.targets, dims),
        ...this.paramFeeds(),
      });
      return {
        logProb: (await out[OUTPUT.logProb]!.getData()) as Float32Array,
        entropy: (await out[OUTPUT.entropy]!.getData()) as Float32Array,
      };
    });
  }

  async sample(contexts: Contexts, options: SampleOptions = {}): Promise<SampleResult> {
    check.checkContexts(this.spec, contexts);
    const plan = check.checkSampleOptions(this.spec, options);
    return this.serial(async () => {
      const n = contexts.length;
      const tokens = new Int32Array(n);
      const logProb = new Float32Array(n);
      const T = this.spec.contextLength;
      const maxB = SAMPLE_BATCHES.at(-1)!;
      for (let start = 0; start < n; start += maxB) {
        const count = Math.min(maxB, n - start);
        const B = SAMPLE_BATCHES.find((b) => b >= count)!;
        const ids = new Int32Array(B * T);
        const last = new Int32Array(B);
        for (let r = 0; r < count; r++) {
          const ctx = contexts[start + r]!;
          const window = ctx.slice(windowStart(ctx.length, T));
          ids.set(window, r * T);
          last[r] = window.length - 1;
        }
        const session = await this.session('sample', B);
        const out = await session.run(
          {
            [FEED.ids]: this.tensor(ids, [B, T]),
            [FEED.last]: this.tensor(last, [B]),
            [FEED.invTemperature]: this.scalar(plan.invTemperature),
            ...this.paramFeeds(),
          },
          headOutputs(plan.greedy),
        );
        const head = await readHead(out, plan.greedy);
        const r = drawRows(head, this.spec.vocabSize, count, plan, () => this.random.next());
        tokens.set(r.tokens, start);
        logProb.set(r.logProb, start);
      }
      return { tokens, logProb };
    });
  }

  async generate(prompts: Contexts, options: GenerateOptions): Promise<GenerateResult> {
    check.checkContexts(this.spec, prompts);
    const plan = check.checkGenerateOptions(this.spec, options);
    return this.serial(() => decode(this.decodeHost(), prompts, options, plan));
  }

  private decodeHost(): DecodeHost {
    return {
      spec: this.spec,
      session: (kind, B) => this.session(kind, B),
      gatherSession: (Bin, Bout) =>
        this.cachedSession(`gather:${Bin}:${Bout}`, () => buildGatherGraph(this.spec, Bin, Bout)),
      tensor: (data, dims) => this.tensor(data, dims),
      scalar: (v) => this.scalar(v),
      paramFeeds: () => this.paramFeeds(),
      uniform: () => this.random.next(),
      cachesInGraph: this.o.gpuResident,
    };
  }

  reseed(seed: number): void {
    this.random = deriveRng(seed, 'sample');
  }

  async reset(seed: number): Promise<void> {
    return this.serial(async () => this.load({ params: initialParams(this.spec, seed) }));
  }

  getWeights(includeOptimizer = false): Promise<Weights> {
    return this.serial(async () => {
      const read = async (t: OrtTensor) => {
        // getData(true) on a GPU tensor downloads it, frees its buffer and turns it into a CPU
        // tensor; the next train step uploads it once and returns fresh GPU-resident outputs.
        const flat = (await t.getData(true)) as Float32Array;
        const out: Record<string, Float32Array> = {};
        for (const e of this.layout.entries) out[e.name] = flat.slice(e.offset, e.offset + e.size);
        return out;
      };
      const w: Weights = { params: await read(this.params) };
      if (includeOptimizer) w.optimizer = { m: await read(this.m), v: await read(this.v), step: this.step };
      return w;
    });
  }

  async setWeights(weights: Weights): Promise<void> {
    check.checkWeights(this.spec, weights);
    return this.serial(async () => this.load(weights));
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.queue;
    this.disposed = true;
    this.releaseState();
    for (const s of this.sessions.values()) await (await s).release();
    this.sessions.clear();
  }
}
