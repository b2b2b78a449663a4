// A count-based n-gram model (unigram..trigram, add-k smoothing) behind the same Engine interface as
// the GPT backends; the engine factories (node.ts, browser.ts) build it from an NgramSpec.
//
// Model: p(w | h) = (c(h, w) + k) / (c(h) + k·V), with h the last n−1 tokens of the same row. When h
// was never seen (or the row has fewer than n−1 tokens so far) it backs off to the longest shorter
// history that was seen, down to the unigram; an empty unigram table is uniform.
// Training adds counts, so "continuing" a count model on new data is the same as accumulating all
// the data it has seen; a refit on one generation's data alone is `reset()` (or a new engine) then
// training (init 'scratch'). The learning rate is ignored, and each epoch adds the counts again.
// TCE analogue: targets the model already gives probability > γ are not counted (and add 0 to the
// mean loss, as in ForTIFAI).
import type { NgramSpec } from '../model/spec.ts';
import { deriveRng, type Rng } from '../world/rng.ts';
import type {
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
import { IGNORE_TARGET } from './types.ts';
import { decodeCounts, encodeCounts, type Table } from './ngram-counts.ts';
import { drawTruncated, nthUnseen, temper } from './ngram-sample.ts';
import { generateByStepping } from './stepping.ts';
import * as check from './validate.ts';

export interface NgramOptions {
  spec: NgramSpec;
  /** Seeds sampling (a count model has no weights to initialise). */
  seed: number;
}

/** A count n-gram language model implementing Engine (backend 'ngram'). */
export class NgramEngine implements Engine {
  readonly backend = 'ngram' as const;
  readonly backendReason = 'count-based n-gram model (no neural network)';
  readonly spec: NgramSpec;
  readonly order: number;
  readonly addK: number;
  /** tables[m − 1] maps a history of m − 1 tokens (as a number) to its counts. */
  private tables: Map<number, Table>[] = [];
  private random: Rng;
  private steps = 0;

  constructor(o: NgramOptions) {
    const { vocabSize: V, contextLength: T } = o.spec;
    if (!(Number.isInteger(V) && V >= 2 && V <= 1 << 20))
      throw new RangeError(`ngram: vocabSize must be an integer in [2, 1048576], got ${V}`);
    if (!(Number.isInteger(T) && T >= 1))
      throw new RangeError(`ngram: contextLength must be an integer ≥ 1, got ${T}`);
    this.order = o.spec.order;
    if (![1, 2, 3].includes(this.order))
      throw new RangeError(`ngram: order must be 1, 2 or 3, got ${this.order}`);
    this.addK = o.spec.addK;
    if (!(Number.isFinite(this.addK) && this.addK >= 0))
      throw new RangeError(`ngram: addK must be a finite number ≥ 0, got ${this.addK}`);
    this.spec = o.spec;
    this.random = deriveRng(o.seed, 'sample');
    this.clear();
  }

  /** Forgets all counts: a fresh, untrained model (the seed only matters to trained-from-noise models). */
  async reset(_seed?: number): Promise<void> {
    this.clear();
  }

  private clear(): void {
    this.tables = Array.from({ length: this.order }, () => new Map<number, Table>());
    this.steps = 0;
  }

  /** The table predicting the token after row[start..end), backing off to shorter histories. */
  private table(row: ArrayLike<number>, start: number, end: number): Table | undefined {
    const V = this.spec.vocabSize;
    for (let m = Math.min(this.order, end - start + 1); m >= 1; m--) {
      let key = 0;
      for (let i = end - m + 1; i < end; i++) key = key * V + row[i]!;
      const t = this.tables[m - 1]!.get(key);
      if (t && t.total > 0) return t;
    }
    return undefined;
  }

  /** p(w | table): add-k smoothed; with no table at all (nothing counted yet) uniform. */
  private prob(t: Table | undefined, w: number): number {
    const V = this.spec.vocabSize;
    const k = this.addK;
    if (!t) return 1 / V;
    return ((t.next.get(w) ?? 0) + k) / (t.total + k * V);
  }

  private sortedOf(t: Table): NonNullable<Table['sorted']> {
    if (t.sorted) return t.sorted;
    const entries = [...t.next].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const V = this.spec.vocabSize;
    const Z = t.total + this.addK * V;
    let entropy = 0;
    for (const [, c] of entries) entropy -= ((c + this.addK) / Z) * Math.log((c + this.addK) / Z);
    const pu = this.addK / Z;
    if (pu > 0) entropy -= (V - entries.length) * pu * Math.log(pu);
    t.sorted = {
      ids: Int32Array.from(entries, (e) => e[0]),
      counts: Float64Array.from(entries, (e) => e[1]),
      ascending: Int32Array.from(entries, (e) => e[0]).sort(),
      entropy,
    };
    return t.sorted;
  }

  private add(row: ArrayLike<number>, start: number, end: number, w: number): void {
    const V = this.spec.vocabSize;
    for (let m = 1; m <= Math.min(this.order, end - start + 1); m++) {
      let key = 0;
      for (let i = end - m + 1; i < end; i++) key = key * V + row[i]!;
      const tables = this.tables[m - 1]!;
      let t = tables.get(key);
      if (!t) tables.set(key, (t = { total: 0, next: new Map() }));
      t.total++;
      t.next.set(w, (t.next.get(w) ?? 0) + 1);
      t.sorted = undefined;
    }
  }

  /** Loss under the counts before this batch, then adds the batch's counts (ignored targets skipped). */
  async trainStep(batch: TokenBatch, options: TrainOptions = {}): Promise<TrainResult> {
    check.checkBatch(this.spec, batch);
    // The learning rate is validated but unused; γ is 2 (masks nothing) unless loss is 'tce'.
    const { gamma } = check.checkTrainOptions(this.spec, options);
    const T = this.spec.contextLength;
    const keep: number[] = [];
    let nll = 0;
    let n = 0;
    for (let i = 0; i < batch.targets.length; i++) {
      const w = batch.targets[i]!;
      if (w === IGNORE_TARGET) continue;
      const start = i - (i % T);
      const p = this.prob(this.table(batch.inputs, start, i + 1), w);
      n++;
      if (p > gamma) continue;
      nll -= Math.log(p);
      keep.push(i);
    }
    for (const i of keep) this.add(batch.inputs, i - (i % T), i + 1, batch.targets[i]!);
    this.steps++;
    return { loss: n ? nll / n : 0, gradNorm: 0 };
  }

  /** log p(target) per position (0 where ignored) and the next-token entropy per position. */
  async evaluate(batch: TokenBatch): Promise<EvalResult> {
    check.checkBatch(this.spec, batch);
    const T = this.spec.contextLength;
    const logProb = new Float32Array(batch.targets.length);
    const entropy = new Float32Array(batch.targets.length);
    for (let i = 0; i < batch.targets.length; i++) {
      const t = this.table(batch.inputs, i - (i % T), i + 1);
      entropy[i] = t ? this.sortedOf(t).entropy : Math.log(this.spec.vocabSize);
      const w = batch.targets[i]!;
      if (w !== IGNORE_TARGET) logProb[i] = Math.log(this.prob(t, w));
    }
    return { logProb, entropy };
  }

  /**
   * Next token per context, as the GPT sampler does: temperature, then keep rank < topK and exclusive
   * cumulative probability < topP in descending order (always the top token), then draw among them.
   * Runs in O(seen tokens) per context: unseen tokens share one probability and rank last, by id.
   */
  async sample(contexts: Contexts, options: SampleOptions = {}): Promise<SampleResult> {
    check.checkContexts(this.spec, contexts);
    const plan = check.checkSampleOptions(this.spec, options);
    const V = this.spec.vocabSize;
    const tokens = new Int32Array(contexts.length);
    const logProb = new Float32Array(contexts.length);
    contexts.forEach((ctx, r) => {
      const u = this.random.next();
      const t = this.table(ctx, Math.max(0, ctx.length - this.spec.contextLength), ctx.length);
      let tok = 0;
      if (t && plan.greedy) tok = this.sortedOf(t).ids[0]!;
      else if (t) {
        const s = this.sortedOf(t);
        const Z = t.total + this.addK * V;
        // One tempered view per table, rebuilt when the temperature changes.
        if (s.tempered?.invTemperature !== plan.invTemperature) {
          const pSeen = s.counts.map((c) => (c + this.addK) / Z);
          s.tempered = temper(pSeen, V - s.ids.length, this.addK / Z, plan.invTemperature);
        }
        const ids = s.ids;
        tok = drawTruncated(
          s.tempered,
          V - ids.length,
          plan,
          u,
          (i) => ids[i]!,
          (j) => nthUnseen(s.ascending, j),
        );
      } else if (!plan.greedy) {
        // Nothing counted yet: uniform over the vocabulary.
        tok = drawTruncated(
          temper(new Float64Array(0), V, 1 / V, 1),
          V,
          plan,
          u,
          () => 0,
          (j) => j,
        );
      }
      tokens[r] = tok;
      logProb[r] = Math.log(this.prob(t, tok));
    });
    return { tokens, logProb };
  }

  async generate(prompts: Contexts, options: GenerateOptions): Promise<GenerateResult> {
    check.checkContexts(this.spec, prompts);
    check.checkGenerateOptions(this.spec, options);
    return generateByStepping((c, o) => this.sample(c, o), prompts, options);
  }

  /** Reseeds the sampling stream (same derivation as the GPT engines). */
  reseed(seed: number): void {
    this.random = deriveRng(seed, 'sample');
  }

  /** Counts as Float32Arrays (see ngram-counts.ts); no optimizer state, only the step count. */
  async getWeights(includeOptimizer = false): Promise<Weights> {
    const w: Weights = { params: encodeCounts(this.tables, this.spec.vocabSize) };
    if (includeOptimizer) w.optimizer = { m: {}, v: {}, step: this.steps };
    return w;
  }

  /** Replaces all counts; missing orderM arrays mean empty tables (so `{ params: {} }` resets). */
  async setWeights(weights: Weights): Promise<void> {
    this.tables = decodeCounts(weights?.params, this.order, this.spec.vocabSize);
    this.steps = weights.optimizer?.step ?? 0;
  }

  /** Frees the counts. */
  async dispose(): Promise<void> {
    this.clear();
  }
}
