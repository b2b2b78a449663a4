// Measuring one generation: factual probes, perplexity and entropy on real text, diversity and
// grammar of its own samples, and how its samples look to the generation-0 model.
import type { Engine, EvalResult, Weights } from '../engine/types.ts';
import { checkDocument, type DocumentCheck } from '../world/checker.ts';
import { BOS, EOS, PAD, type Tokenizer } from '../world/tokenizer.ts';
import type { Bucket, World } from '../world/world.ts';
import type { ScoringBatches } from './data.ts';
import * as m from './metrics.ts';
import { finiteOrNull, type GenerationMetrics, type ProbeRecord } from './record.ts';

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
 * probability the model gives it: one engine.generate call for all probes.
 */
export async function askProbes(
  engine: Engine,
  tokenizer: Tokenizer,
  probes: readonly EvalProbe[],
): Promise<ProbeAnswer[]> {
  if (probes.length === 0) return [];
  const expected = probes.map((p) =>
    p.answerWords ? tokenizer.encode(p.answerWords) : [tokenizer.id(p.answer)],
  );
  const contexts = probes.map((p) => [BOS, ...tokenizer.encode(p.promptWords)]);
  // Greedy, so rows that need fewer tokens than the longest answer just have theirs cut.
  const r = await engine.generate(contexts, {
    greedy: true,
    maxNewTokens: Math.max(...expected.map((e) => e.length)),
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

/** Per-document mean negative log-likelihood and mean next-token entropy from scoring batches. */
export async function scoreDocuments(
  engine: Engine,
  scoring: ScoringBatches,
  documents: number,
): Promise<{ nll: number[]; entropy: number[]; tokens: number[] }> {
  const nll = new Array<number>(documents).fill(0);
  const entropy = new Array<number>(documents).fill(0);
  const tokens = new Array<number>(documents).fill(0);
  for (let b = 0; b < scoring.batches.length; b++) {
    const batch = scoring.batches[b]!;
    const r: EvalResult = await engine.evaluate(batch);
    const T = batch.inputs.length / batch.batchSize;
    scoring.rowDocument[b]!.forEach((doc, row) => {
      if (doc < 0) return;
      for (let t = 0; t < T; t++) {
        const k = row * T + t;
        if (batch.targets[k]! < 0) continue;
        nll[doc]! -= r.logProb[k]!;
        entropy[doc]! += r.entropy[k]!;
        tokens[doc]!++;
      }
    });
  }
  for (let d = 0; d < documents; d++) {
    nll[d]! /= Math.max(1, tokens[d]!);
    entropy[d]! /= Math.max(1, tokens[d]!);
  }
  return { nll, entropy, tokens };
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
   * With no grammar to check against (a user corpus): fluency is the share of samples whose perplexity
   * under generation 0 is at most this (the 95th percentile of held-out real text's under generation 0).
   */
  fluencyThreshold?: number;
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
      x.fluencyThreshold === undefined
        ? sentences
          ? grammatical / sentences
          : NaN
        : m.shareAtMost(gen0Ppl, x.fluencyThreshold),
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
