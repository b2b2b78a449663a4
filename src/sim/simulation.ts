// The recursive-training loop. Generation 0 trains on real text; every later generation trains on
// a set built by the data mode from real documents and text the previous generation wrote.
// The same code runs in the browser worker and in the Node CLI; only `createEngine` differs.
import { explosion, GenerationDiverged, GenerationExploded, RunDiverged } from './divergence.ts';
import { DivergenceError, IGNORE_TARGET, type Engine, type Weights } from '../engine/types.ts';
import type { EngineSpec } from '../model/spec.ts';
import { deriveRng, deriveSeed } from '../world/rng.ts';
import { BOS, EOS, PAD } from '../world/tokenizer.ts';
import type { Config } from './config.ts';
import {
  batches,
  composeTrainingSet,
  packWindows,
  realNeeded,
  scoringBatches,
  syntheticNeeded,
  type TrainingDocument,
} from './data.ts';
import {
  analyseSamples,
  askProbes,
  measure,
  probeRecords,
  sampleWords,
  scoreDocuments,
  trainingConfidence,
} from './evaluate.ts';
import { expectedGiniSimpson, expectedPluginEntropy } from './closed-forms.ts';
import { generateDocuments } from './generate.ts';
import { countValues } from './metrics.ts';
import { createRecord, type GenerationRecord, type RunEnvironment, type RunRecord } from './record.ts';
import { sampleRecords } from './samples.ts';
import { freshRealDocuments, setupRun, type RunSetup } from './setup.ts';
import { ConfigRefused, zeroStepProblem } from './preflight.ts';
import { labelStage } from './stages.ts';
import { attestedText, type AttestedText } from './text-fluency.ts';
import { fluencyBars, judgedFrom } from './user-run.ts';
import type { UserCorpus } from '../world/user-corpus.ts';

export type Phase = 'train' | 'sample' | 'evaluate';

export type SimulationEvent =
  | { type: 'phase'; generation: number; phase: Phase; done: number; total: number }
  | { type: 'step'; generation: number; step: number; loss: number }
  | { type: 'generation'; generation: GenerationRecord };

export interface SimulationOptions {
  config: Config;
  /** Makes the engine for a spec (a GPT on a Node or browser backend, or the n-gram model). */
  createEngine: (spec: EngineSpec, seed: number) => Promise<Engine>;
  /** Versions and the like for the record; backend fields are filled from the engine. */
  environment?: Partial<RunEnvironment>;
  onEvent?: (e: SimulationEvent) => void;
  /** Run on this corpus (src/world/user-corpus.ts) instead of the fact world. */
  corpus?: UserCorpus;
}

/** Documents whose own-model and generation-0 scores feed the sample metrics. */
const METRIC_SAMPLES = 256;

export class Simulation {
  readonly record: RunRecord;
  readonly setup: RunSetup;
  /** Aborted by stop(); its signal goes down to every chunked engine loop of the generation. */
  private stopping = new AbortController();
  private synthetic: TrainingDocument[] = []; // written by the latest generation, filtered
  private pastSynthetic: TrainingDocument[] = [];
  private gen0Weights?: Weights;
  private gen0Engine?: Engine;
  private gen0Metrics?: { accuracy: number; fluency: number };
  /** A user corpus's training text, indexed for its fluency bars. */
  private attested?: AttestedText;
  /** Π (1 − 1/N) over the refits so far: the expected Gini-Simpson decay. */
  private giniFactor = 1;
  /** A count model's word-token targets counted since its counts were last cleared, by token id. */
  private trainedWords = new Map<number, number>();

  private constructor(
    private o: SimulationOptions,
    private engine: Engine,
    setup: RunSetup,
  ) {
    this.setup = setup;
    this.record = createRecord(o.config, {
      backend: engine.backend,
      backendReason: engine.backendReason,
      versions: {},
      ...o.environment,
    } as RunEnvironment);
    if (setup.corpus) this.record.corpus = structuredClone(setup.corpus);
  }

  static async create(o: SimulationOptions): Promise<Simulation> {
    const setup = setupRun(o.config, o.corpus);
    const refused = zeroStepProblem(o.config, setup);
    if (refused) throw new ConfigRefused(refused);
    return new Simulation(o, await o.createEngine(setup.spec, deriveSeed(o.config.seed, 'model')), setup);
  }

  /**
   * A count model (the n-gram spec): it has no optimiser to restart and no weights to measure a
   * distance on, cannot explode, and its diversity has closed forms to draw beside it.
   */
  private get countModel(): boolean {
    return this.setup.spec.kind === 'ngram';
  }

  /** Generations finished so far (generation 0 included). */
  get completed(): number {
    return this.record.generations.length;
  }

  get finished(): boolean {
    return this.completed > this.o.config.generations || this.record.status !== 'running';
  }

  /** Ask the current generation to stop at its next step; completed generations are kept. */
  stop(): void {
    this.stopping.abort(new StopRequested());
  }

  /** The model's weights and optimiser state now: a checkpoint to start a generation again from. */
  modelWeights(): Promise<Weights> {
    return this.engine.getWeights(true);
  }

  /**
   * Makes a halted run runnable again from the start of the generation it was in: a record that
   * nextGeneration marked stopped goes back to running, and the model to `weights` (from modelWeights
   * as that generation began) where given.
   */
  async rewind(weights?: Weights): Promise<void> {
    if (this.record.status === 'stopped') this.record.status = 'running';
    if (weights) await this.engine.setWeights(weights);
  }

  /** Train, sample and evaluate the next generation. Returns its record, or null if stopped or failed. */
  async nextGeneration(): Promise<GenerationRecord | null> {
    if (this.finished) return null;
    this.stopping = new AbortController();
    const g = this.completed;
    try {
      return await this.generation(g);
    } catch (e) {
      if (e instanceof StopRequested) {
        this.record.status = 'stopped';
        return null;
      }
      this.record.status = 'failed';
      this.record.error =
        e instanceof RunDiverged ? e.message : `Generation ${g} failed: ${(e as Error).message}`;
      throw e;
    }
  }

  private emit(e: SimulationEvent): void {
    this.o.onEvent?.(e);
  }

  private checkStop(): void {
    this.stopping.signal.throwIfAborted();
  }

  private trainingSet(g: number): TrainingDocument[] {
    const c = this.o.config;
    if (g === 0) return this.setup.real;
    const anchorSource = c.domainSpecific ? this.setup.domainReal : this.setup.real;
    return composeTrainingSet(
      {
        mode: c.dataMode,
        syntheticFraction: c.syntheticFraction,
        documentsPerGeneration: c.documentsPerGeneration,
        anchor: anchorSource,
        allReal: anchorSource,
        freshReal:
          c.dataMode === 'fresh'
            ? freshRealDocuments(this.setup, c, g, realNeeded(c.syntheticFraction, c.documentsPerGeneration))
            : [],
        newSynthetic: this.synthetic,
        pastSynthetic: this.pastSynthetic,
      },
      deriveRng(c.seed, `mix:${g}`),
    );
  }

  private async train(g: number, docs: TrainingDocument[]): Promise<number[]> {
    const c = this.o.config;
    const { contextLength: T, batchSize: B } = this.engine.spec;
    const rng = deriveRng(c.seed, `shuffle:${g}`);
    const losses: number[] = [];
    const perEpoch = Math.ceil(packWindows(docs, T).length / B);
    // Checked before the run where it can be (src/sim/preflight.ts); a generation that still gets too
    // little text fails rather than counting as trained.
    if (perEpoch === 0)
      throw new Error(
        `its ${docs.length} training documents hold fewer than ${T + 1} tokens, one training window, so it would train zero steps; raise documentsPerGeneration`,
      );
    const epochs = g === 0 ? c.gen0Epochs : c.epochs;
    const total = perEpoch * epochs;
    // A count model counts every target it trains on; a refit from scratch starts from none.
    if (this.countModel && (g === 0 || c.init === 'scratch')) this.trainedWords.clear();
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (const batch of batches(packWindows(rng.shuffle([...docs]), T), B, T)) {
        this.checkStop();
        let loss: number;
        try {
          ({ loss } = await this.engine.trainStep(batch, {
            learningRate: c.learningRate,
            loss: c.loss,
            tceGamma: c.tceGamma,
          }));
        } catch (e) {
          // The engine counts steps over the whole run; the user needs this generation's.
          if (e instanceof DivergenceError) throw new GenerationDiverged(g, losses.length + 1, total, e, c);
          throw e;
        }
        losses.push(loss);
        if (this.countModel)
          for (const id of batch.targets)
            if (id !== IGNORE_TARGET && id !== BOS && id !== EOS && id !== PAD)
              this.trainedWords.set(id, (this.trainedWords.get(id) ?? 0) + 1);
        this.emit({ type: 'step', generation: g, step: losses.length, loss });
        this.emit({ type: 'phase', generation: g, phase: 'train', done: losses.length, total });
      }
    }
    return losses;
  }

  private prompts(g: number, count: number): number[][] {
    const c = this.o.config;
    if (c.promptSource === 'unconditional') return Array.from({ length: count }, () => [BOS]);
    const source = g > 0 && c.domainSpecific ? this.setup.domainReal : this.setup.real;
    const rng = deriveRng(c.seed, `prompts:${g}`);
    return Array.from({ length: count }, () => rng.pick(source).ids.slice(0, c.promptTokens));
  }

  private async generation(g: number): Promise<GenerationRecord> {
    const c = this.o.config;
    const t0 = performance.now();
    if (g > 0) {
      // scratch: a freshly initialised model; continue: keep the weights, restart the optimiser.
      if (c.init === 'scratch') await this.engine.reset(deriveSeed(c.seed, `init:${g}`));
      else if (!this.countModel)
        await this.engine.setWeights({ params: (await this.engine.getWeights()).params });
    }
    const training = this.trainingSet(g);
    const losses = await this.train(g, training);
    const t1 = performance.now();

    // This generation's writing: enough for the next generation's training set (before the
    // surplexity filter keeps a share q of it) and for the sample metrics.
    const needed =
      g < c.generations ? syntheticNeeded(c.dataMode, c.syntheticFraction, c.documentsPerGeneration) : 0;
    const filtered = c.surplexityFilter !== 'off';
    const toWrite = Math.max(
      filtered ? Math.ceil(needed / c.surplexityKeep) : needed,
      Math.min(METRIC_SAMPLES, c.documentsPerGeneration),
    );
    this.engine.reseed(deriveSeed(c.seed, `sample:${g}`));
    const prompts = this.prompts(g, toWrite);
    const written = await generateDocuments(this.engine, prompts, {
      maxNewTokens: c.maxNewTokens,
      eos: EOS,
      temperature: c.temperature,
      topK: c.topK,
      topP: c.topP,
      onProgress: (done, total) => this.emit({ type: 'phase', generation: g, phase: 'sample', done, total }),
      signal: this.stopping.signal,
    });
    this.checkStop();
    const t2 = performance.now();

    if (g === 0) {
      this.gen0Weights = await this.engine.getWeights();
      this.gen0Engine = await this.o.createEngine(this.engine.spec, 0);
      await this.gen0Engine.setWeights(this.gen0Weights);
    }
    const evaluation = await this.evaluate(
      g,
      written,
      prompts.map((p) => p.length),
    );
    evaluation.metrics.confidentTargets = await trainingConfidence(
      this.engine,
      training.slice(0, METRIC_SAMPLES),
      c.tceGamma,
    );
    const next = await this.selectSynthetic(g, written, needed);
    // Only the accumulating modes train on past generations' text; the others must not hoard it
    // (a 200-generation run would keep every document ever written).
    if (c.dataMode.startsWith('accumulate')) for (const d of this.synthetic) this.pastSynthetic.push(d);
    this.synthetic = next;
    const t3 = performance.now();

    const metrics = evaluation.metrics;
    // A GPT generation worse than guessing stops the run as diverged, as a NaN loss does.
    const exploded = this.countModel
      ? null
      : explosion({
          realPerplexity: metrics.realPerplexity ?? NaN,
          heldOutDocuments: this.setup.heldOut.length,
          lastLoss: losses.at(-1),
          vocabSize: this.engine.spec.vocabSize,
        });
    if (exploded) throw new GenerationExploded(g, exploded, c);
    const point = { accuracy: metrics.accuracy ?? NaN, fluency: metrics.fluency ?? NaN };
    this.gen0Metrics ??= point;
    const generation: GenerationRecord = {
      generation: g,
      // Stages describe change from generation 0, so generation 0 is the reference: stage A.
      stage: g === 0 ? 'A' : labelStage(this.gen0Metrics, point, c),
      metrics,
      ...(this.countModel ? { analytic: this.analytic(g, training, metrics, evaluation.rankFrequency) } : {}),
      losses,
      rankFrequency: evaluation.rankFrequency,
      samples: sampleRecords(this.setup, written.slice(0, c.recordSamples), evaluation.checks),
      probes: evaluation.probes,
      timings: { trainMs: t1 - t0, sampleMs: t2 - t1, evalMs: t3 - t2 },
    };
    this.record.generations.push(generation);
    if (g === c.generations) this.record.status = 'done';
    this.emit({ type: 'generation', generation });
    return generation;
  }

  private async evaluate(g: number, written: number[][], promptLengths: number[]) {
    const c = this.o.config;
    const { contextLength: T, batchSize: B } = this.engine.spec;
    const progress = (done: number) =>
      this.emit({ type: 'phase', generation: g, phase: 'evaluate', done, total: 4 });
    const signal = this.stopping.signal;
    const answers = await askProbes(this.engine, this.setup.tokenizer, this.setup.probes, signal);
    progress(1);
    // A user corpus's fluency judges text after a prompt's length: held-out text from the same offset.
    const promptLength = judgedFrom(c);
    const real = await scoreDocuments(
      this.engine,
      scoringBatches(this.setup.heldOut, B, T),
      this.setup.heldOut.length,
      { from: this.setup.corpus ? this.setup.heldOut.map(() => promptLength) : undefined, signal },
    );
    progress(2);
    const own = written.slice(0, METRIC_SAMPLES);
    const ownScoring = scoringBatches(own, B, T);
    const ownScores = await scoreDocuments(this.engine, ownScoring, own.length, { signal });
    const from = promptLengths.slice(0, own.length);
    const gen0Scores = await scoreDocuments(this.gen0Engine ?? this.engine, ownScoring, own.length, {
      from: this.setup.corpus ? from : undefined,
      signal,
    });
    progress(3);
    // Without the world's grammar, fluency is judged against held-out real text: its bars are set at
    // g = 0, when `real` is scored by generation 0 (src/sim/text-fluency.ts).
    const corpus = this.record.corpus;
    if (corpus && g === 0) {
      this.attested = attestedText(this.setup.real.map((d) => d.ids));
      const bars = fluencyBars(this.setup.real, this.setup.heldOut, c, real.writtenNll!);
      corpus.fluency = { ...bars, method: 'held-out-bars' };
    }
    const samples = corpus ? sampleWords(own) : analyseSamples(this.setup.world, this.setup.tokenizer, own);
    const weights =
      this.countModel || !this.gen0Weights
        ? undefined
        : { current: await this.engine.getWeights(), gen0: this.gen0Weights };
    const metrics = measure({
      answers,
      confidenceThreshold: c.confidenceThreshold,
      real,
      own: ownScores,
      gen0: gen0Scores,
      samples,
      ...(weights ? { weights } : {}),
      ...(corpus?.fluency.method === 'held-out-bars' && this.attested
        ? {
            textFluency: {
              documents: own,
              from,
              nll: gen0Scores.writtenNll!,
              text: this.attested,
              bars: corpus.fluency,
            },
          }
        : {}),
    });
    if (g === 0 && weights) metrics.weightDistance = 0;
    progress(4);
    const rankFrequency = [...countValues(samples.words.flat()).values()].sort((a, b) => b - a);
    return {
      metrics,
      checks: samples.checks,
      probes: probeRecords(this.setup.tokenizer, answers),
      rankFrequency,
    };
  }

  /** The surplexity filter (Gambetta et al.): keep the most or least surprising share q, or a random one. */
  private async selectSynthetic(g: number, written: number[][], needed: number): Promise<TrainingDocument[]> {
    const c = this.o.config;
    let chosen = written.slice(0, needed);
    if (c.surplexityFilter !== 'off' && needed > 0) {
      const { contextLength: T, batchSize: B } = this.engine.spec;
      const pool = written.slice(0, Math.ceil(needed / c.surplexityKeep));
      const scoring = scoringBatches(pool, B, T);
      const { nll } = await scoreDocuments(this.engine, scoring, pool.length, {
        signal: this.stopping.signal,
      });
      const order = pool.map((_, i) => i);
      if (c.surplexityFilter === 'random') deriveRng(c.seed, `surplexity:${g}`).shuffle(order);
      else
        order.sort(
          (a, b) => (c.surplexityFilter === 'highest' ? nll[b]! - nll[a]! : nll[a]! - nll[b]!) || a - b,
        );
      chosen = order.slice(0, needed).map((i) => pool[i]!);
    }
    return chosen.map((ids) => ({ ids, provenance: 'synthetic', generation: g }));
  }

  /**
   * Closed forms for a count model beside its measurements (SCIENCE.md). Gini-Simpson decays by
   * (1 − 1/N) per fully synthetic refit on N tokens, N = synthetic word tokens trained on, as the
   * sample metrics count them (not <bos>, <eos> or padding, which a count model samples mid-document).
   * Entropy from generation 1 on is the exact expected plug-in entropy of the M words measured
   * (`rankFrequency`) drawn i.i.d. from the word targets this model counted: exact for the unigram
   * model with add-k 0, temperature 1, no top-k/top-p, cross-entropy loss and unconditional prompts,
   * whose word tokens are then, given their number, i.i.d. draws from those counts (<bos>, <eos>,
   * padding and the length limit only decide how many there are).
   */
  private analytic(
    g: number,
    training: readonly TrainingDocument[],
    metrics: GenerationRecord['metrics'],
    rankFrequency: readonly number[],
  ) {
    let N = 0;
    for (const d of training)
      if (d.provenance === 'synthetic')
        for (const id of d.ids) if (id !== BOS && id !== EOS && id !== PAD) N++;
    if (g > 0 && N > 0) this.giniFactor *= expectedGiniSimpson(1, N, 1);
    const first = this.record.generations[0]?.metrics ?? metrics;
    const gini = first.giniSimpson === null ? null : first.giniSimpson * this.giniFactor;
    const M = rankFrequency.reduce((a, b) => a + b, 0);
    const expected = expectedPluginEntropy(this.trainedWords.values(), M);
    const entropy = g === 0 ? metrics.corpusEntropy : Number.isFinite(expected) ? expected : null;
    return { giniSimpson: gini, entropy };
  }

  /**
   * Moves the run onto engines from `createEngine` (WASM after the GPU was lost): the model restarts
   * from `weights` — its state when the interrupted generation began — and generation 0's frozen copy
   * from generation 0's weights. A failed run becomes runnable again from that generation.
   */
  async moveTo(createEngine: SimulationOptions['createEngine'], weights: Weights): Promise<void> {
    const old = [this.engine, this.gen0Engine];
    this.o = { ...this.o, createEngine };
    const spec = this.engine.spec;
    this.engine = await createEngine(spec, deriveSeed(this.o.config.seed, 'model'));
    await this.engine.setWeights(weights);
    if (this.gen0Weights) {
      this.gen0Engine = await createEngine(spec, 0);
      await this.gen0Engine.setWeights(this.gen0Weights);
    }
    // The lost engines' buffers are gone with their device; releasing them may fail, harmlessly.
    for (const e of old) await e?.dispose().catch(() => {});
    this.record.environment.backend = this.engine.backend;
    this.record.environment.backendReason = this.engine.backendReason;
    if (this.record.status === 'failed') this.record.status = 'running';
    delete this.record.error;
  }

  async dispose(): Promise<void> {
    await this.engine.dispose();
    await this.gen0Engine?.dispose();
  }
}

/** Thrown inside a generation when stop() was called; caught by nextGeneration. */
class StopRequested extends Error {
  constructor() {
    super('stopped');
  }
}
