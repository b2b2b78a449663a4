// Measuring one generation: factual probes, perplexity and entropy on real text, diversity and
// grammar of its own samples, and how its samples look to the generation-0 model.
import type { Engine, EvalResult, Weights } from '../engine/types.ts';
import { checkDocument, type DocumentCheck } from '../world/checker.ts';
import { BOS, EOS, PAD, type Tokenizer } from '../world/tokenizer.ts';
import type { Bucket, World } from '../world/world.ts';
import { scoringBatches, type ScoringBatches } from './data.ts';
import * as m from './metrics.ts';
import { finiteOrNull, type GenerationMetrics, type ProbeRecord } from './record.ts';
import { textFluency, type AttestedText, type TextFluencyBars } from './text-fluency.ts';

/** Histogram edges (perplexity) for generated text scored by generation 0: geometric, 1 … 1000. */
export const GEN0_PERPLEXITY_EDGES = m.geometricEdges(1, 1000, 24);

/**
 * A probe: feed `promptWords`, the greedy answer should be `answer` (one word), or `answerWords`
 * (several, answered greedily one after another). The fact world's probes are one-word; a user
 * corpus's Q/A pairs may have longer answers and no popularity bucket.
 */
export interface EvalProbe {
  factId: number | string;
  format: string;
  bucket?: Bucket;
  promptWords: string[];
  answer: string;
  answerWords?: string[];
}

export interface ProbeAnswer {
  probe: EvalProbe;
  /** The first token of the model's answer (the whole answer is `answerIds`). */
  answerId: number;
  expectedId: number;
  answerIds?: number[];
  correct: boolean;
  /** Probability the model gives its greedy answer (the product over its tokens). */
  probability: number;
}

/**
 * Ask every probe: the greedy continuation after its prompt, as long as the expected answer, and the
 * probability the model gives it: one engine.generate call for all probes. An aborted `signal` rejects it
 * between decode steps.
 */
export async function askProbes(
  engine: Engine,
  tokenizer: Tokenizer,
  probes: readonly EvalProbe[],
  signal?: AbortSignal,
): Promise<ProbeAnswer[]> {
  if (probes.length === 0) return [];
  const expected = probes.map((p) =>
    p.answerWords ? tokenizer.encode(p.answerWords) : [tokenizer.id(p.answer)],
  );
  const contexts = probes.map((p) => [BOS, ...tokenizer.encode(p.promptWords)]);
  // Greedy, so rows that need fewer tokens than the longest answer just have theirs cut.
  const r = await engine.generate(contexts, {
    greedy: true,
    maxNewTokens: expected.reduce((n, e) => Math.max(n, e.length), 0),
    signal,
  });
  const answers = r.tokens.map((t, i) => t.slice(0, expected[i]!.length));
  const logProb = r.logProb.map((lp, i) => lp.slice(0, expected[i]!.length).reduce((a, b) => a + b, 0));
  return probes.map((probe, i) => {
    const want = expected[i]!;
    const got = answers[i]!;
    return {
      probe,
      answerId: got[0]!,
      expectedId: want[0]!,
      ...(probe.answerWords ? { answerIds: got } : {}),
      correct: got.every((t, k) => t === want[k]),
      probability: Math.exp(logProb[i]!),
    };
  });
}

/**
 * Per-document mean negative log-likelihood and mean next-token entropy from scoring batches. With
 * `from` (each document's prompt length), also `writtenNll`: the mean over the tokens at positions ≥ from
 * (what a model wrote after its prompt; the whole document's where it wrote nothing). An aborted
 * `signal` throws its reason before the next batch.
 */
export async function scoreDocuments(
  engine: Engine,
  scoring: ScoringBatches,
  documents: number,
  { from, signal }: { from?: readonly number[]; signal?: AbortSignal } = {},
): Promise<{ nll: number[]; entropy: number[]; tokens: number[]; writtenNll?: number[] }> {
  const nll = new Array<number>(documents).fill(0);
  const entropy = new Array<number>(documents).fill(0);
  const tokens = new Array<number>(documents).fill(0);
  const written = new Array<number>(documents).fill(0);
  const writtenTokens = new Array<number>(documents).fill(0);
  const rowsSeen = new Array<number>(documents).fill(0);
  for (let b = 0; b < scoring.batches.length; b++) {
    signal?.throwIfAborted();
    const batch = scoring.batches[b]!;
    const r: EvalResult = await engine.evaluate(batch);
    const T = batch.inputs.length / batch.batchSize;
    scoring.rowDocument[b]!.forEach((doc, row) => {
      if (doc < 0) return;
      // A document's rows come in order, row j predicting its tokens jT + 1 … jT + T.
      const offset = rowsSeen[doc]!++ * T;
      for (let t = 0; t < T; t++) {
        const k = row * T + t;
        if (batch.targets[k]! < 0) continue;
        nll[doc]! -= r.logProb[k]!;
        entropy[doc]! += r.entropy[k]!;
        tokens[doc]!++;
        if (from && offset + t + 1 >= from[doc]!) {
          written[doc]! -= r.logProb[k]!;
          writtenTokens[doc]!++;
        }
      }
    });
  }
  for (let d = 0; d < documents; d++) {
    nll[d]! /= Math.max(1, tokens[d]!);
    entropy[d]! /= Math.max(1, tokens[d]!);
    written[d] = writtenTokens[d] ? written[d]! / writtenTokens[d]! : nll[d]!;
  }
  return { nll, entropy, tokens, ...(from ? { writtenNll: written } : {}) };
}

/** γ values at which the share of confidently predicted training targets is recorded. */
export const TARGET_GAMMAS = [0.5, 0.9, 0.99] as const;

/**
 * Share of the targets of `scoring` that the model predicts with probability > γ, for each γ (keys are
 * the γ as written by String): what truncated cross-entropy with that γ drops from its loss.
 */
export async function confidentTargets(
  engine: Engine,
  scoring: ScoringBatches,
  gammas: readonly number[],
): Promise<Record<string, number>> {
  const above = gammas.map(() => 0);
  const logGamma = gammas.map(Math.log);
  let n = 0;
  for (const batch of scoring.batches) {
    const r = await engine.evaluate(batch);
    for (let k = 0; k < batch.targets.length; k++) {
      if (batch.targets[k]! < 0) continue;
      n++;
      logGamma.forEach((lg, i) => {
        if (r.logProb[k]! > lg) above[i]!++;
      });
    }
  }
  return Object.fromEntries(gammas.map((g, i) => [String(g), n ? above[i]! / n : NaN]));
}

/**
 * What TCE masks (or would mask) of a generation's training documents after its training: the share
 * of their targets predicted with p > γ, at TARGET_GAMMAS and the run's γ (the record's confidentTargets).
 */
export async function trainingConfidence(
  engine: Engine,
  training: readonly { ids: readonly number[] }[],
  tceGamma: number,
): Promise<Record<string, number | null>> {
  const { contextLength: T, batchSize: B } = engine.spec;
  const gammas = [...new Set([...TARGET_GAMMAS, tceGamma])].sort((a, b) => a - b);
  const shares = await confidentTargets(
    engine,
    scoringBatches(
      training.map((d) => d.ids),
      B,
      T,
    ),
    gammas,
  );
  return Object.fromEntries(Object.entries(shares).map(([k, x]) => [k, finiteOrNull(x)]));
}

/** Token-weighted mean of per-document values. */
const weighted = (values: number[], weights: number[]) => {
  let s = 0;
  let w = 0;
  values.forEach((v, i) => {
    s += v * weights[i]!;
    w += weights[i]!;
  });
  return w ? s / w : NaN;
};

export interface SampleAnalysis {
  checks: DocumentCheck[];
  /** Word tokens (specials removed) of every sample, per document. */
  words: number[][];
}

/** Word tokens of generated documents (specials removed), with no checker verdicts (no grammar known). */
export function sampleWords(samples: readonly number[][]): SampleAnalysis {
  return { checks: [], words: samples.map((d) => d.filter((id) => id !== BOS && id !== EOS && id !== PAD)) };
}

/** Run the exact checker over generated documents. */
export function analyseSamples(
  world: World,
  tokenizer: Tokenizer,
  samples: readonly number[][],
): SampleAnalysis {
  const words = samples.map((d) => d.filter((id) => id !== BOS && id !== EOS && id !== PAD));
  return { checks: samples.map((d) => checkDocument(world, d, tokenizer)), words };
}

export interface MeasureInput {
  answers: ProbeAnswer[];
  confidenceThreshold: number;
  /** Held-out real text scored by this generation's model. */
  real: { nll: number[]; entropy: number[]; tokens: number[] };
  /** This generation's own samples scored by its model (entropy) and by generation 0 (perplexity). */
  own: { entropy: number[]; tokens: number[] };
  gen0: { nll: number[] };
  samples: SampleAnalysis;
  weights?: { current: Weights; gen0: Weights };
  /**
   * With no grammar to check against (a user corpus): fluency is the share of these samples (token ids,
   * scored by generation 0 in `gen0`) that clear the bars set on held-out text (src/sim/text-fluency.ts).
   */
  textFluency?: {
    documents: readonly (readonly number[])[];
    /** Each sample's prompt length: only what the model wrote after it is judged. */
    from: readonly number[];
    /** Mean negative log-likelihood under generation 0 of what each sample's model wrote. */
    nll: readonly number[];
    text: AttestedText;
    bars: TextFluencyBars;
  };
}

/** Every per-generation metric of the run record, from measured inputs. */
export function measure(x: MeasureInput): GenerationMetrics {
  const f = finiteOrNull;
  const conf = x.answers.map((a) => a.probability);
  const correct = x.answers.map((a) => a.correct);
  const byFormat = m.accuracyBy(x.answers, (a) => a.probe.format);
  const byBucket = m.accuracyBy(x.answers, (a) => a.probe.bucket ?? 'none');
  const allWords = x.samples.words.flat();
  let sentences = 0;
  let grammatical = 0;
  let factSentences = 0;
  let falseFacts = 0;
  for (const c of x.samples.checks) {
    sentences += c.counts.sentences;
    grammatical += c.counts.sentences - c.counts.invalid;
    factSentences += c.counts.facts;
    falseFacts += c.counts.falseFacts;
  }
  const gen0Ppl = x.gen0.nll.map((n) => Math.exp(n));
  const num = (v: number | undefined) => f(v ?? NaN);
  return {
    accuracy: f(m.accuracy(x.answers)),
    accuracyByFormat: Object.fromEntries(Object.entries(byFormat).map(([k, v]) => [k, f(v)])),
    accuracyByPopularity: { head: num(byBucket.head), torso: num(byBucket.torso), tail: num(byBucket.tail) },
    answerConfidence: f(m.mean(conf)),
    confidentlyWrongRate: f(m.confidentlyWrongRate(conf, correct, x.confidenceThreshold)),
    ece: f(m.ece(conf, correct)),
    realPerplexity: f(Math.exp(weighted(x.real.nll, x.real.tokens))),
    modelEntropy: f(weighted(x.real.entropy, x.real.tokens)),
    sampleEntropy: f(weighted(x.own.entropy, x.own.tokens)),
    corpusEntropy: f(m.unigramEntropy(allWords)),
    distinct1: f(m.distinctN(x.samples.words, 1)),
    distinct2: f(m.distinctN(x.samples.words, 2)),
    typeTokenRatio: f(m.typeTokenRatio(allWords)),
    giniSimpson: f(m.giniSimpson(allWords)),
    supportSize: f(m.supportSize(allWords)),
    fluency: f(
      x.textFluency
        ? textFluency(
            x.textFluency.documents,
            x.textFluency.nll,
            x.textFluency.text,
            x.textFluency.bars,
            x.textFluency.from,
          )
        : sentences
          ? grammatical / sentences
          : NaN,
    ),
    hallucinationRate: f(factSentences ? falseFacts / factSentences : NaN),
    gen0Perplexity: {
      mean: f(m.mean(gen0Ppl)),
      histogram: { edges: GEN0_PERPLEXITY_EDGES, counts: m.histogram(gen0Ppl, GEN0_PERPLEXITY_EDGES, true) },
    },
    weightDistance: x.weights ? f(m.l2Distance(x.weights.current.params, x.weights.gen0.params)) : null,
  };
}

/** The record form of probe answers. */
export function probeRecords(tokenizer: Tokenizer, answers: readonly ProbeAnswer[]): ProbeRecord[] {
  return answers.map((a) => ({
    factId: String(a.probe.factId),
    format: a.probe.format,
    question: a.probe.promptWords.join(' '),
    answer: tokenizer.tokens(a.answerIds ?? [a.answerId], true).join(' '),
    expected: a.probe.answer,
    correct: a.correct,
    probability: finiteOrNull(a.probability),
    ...(a.probe.bucket ? { popularity: a.probe.bucket } : {}),
  }));
}
