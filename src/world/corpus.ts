/**
 * Real documents: a few sentences mixing fact statements (fact ∝ popularity, format uniform) with filler,
 * each with provenance (which facts, which domains, where each sentence sits).
 */
import { fillerSentence } from './filler.ts';
import { FORMATS, renderFact, type Format } from './formats.ts';
import { cumulative, deriveRng, type Rng } from './rng.ts';
import type { Domain } from './schema.ts';
import { factsIn, type Fact, type World } from './world.ts';

/** Where one sentence of a document sits and what it says. */
export interface SentenceInfo {
  kind: 'fact' | 'filler';
  /** Token span [start, end) in the document's words ("." included). */
  start: number;
  end: number;
  factId?: number;
  format?: Format;
}

/** A document: its words (no bos/eos) and provenance. */
export interface Document {
  words: string[];
  sentences: SentenceInfo[];
  /** Fact ids stated, in order (repeats kept). */
  factIds: number[];
  /** Domains of the stated facts, sorted, without repeats. */
  domains: Domain[];
}

/** Options of `realDocuments`. */
export interface CorpusOptions {
  /** Number of documents. */
  count: number;
  /** Probability that a sentence states a fact rather than filler. Default 0.6 (1 when filler is off). */
  factShare?: number;
  /** Only state facts of these domains; also turns filler off unless `filler` says otherwise. */
  domains?: readonly Domain[];
  /** Include filler sentences. Default: true without `domains`, false with. */
  filler?: boolean;
  /** Sentences per document, inclusive range. Default 3-6. */
  minSentences?: number;
  maxSentences?: number;
  /** Upper bound on a document's tokens (before bos/eos). Default 60. */
  maxTokens?: number;
  /** Formats facts are stated in. Default all. */
  formats?: readonly Format[];
}

/** Default share of fact sentences. */
export const DEFAULT_FACT_SHARE = 0.6;

/** Generate `count` real documents from `rng`. */
export function realDocuments(world: World, rng: Rng, opts: CorpusOptions): Document[] {
  const filler = opts.filler ?? opts.domains === undefined;
  const factShare = filler ? (opts.factShare ?? DEFAULT_FACT_SHARE) : 1;
  const minS = opts.minSentences ?? 3;
  const maxS = Math.max(minS, opts.maxSentences ?? 6);
  const maxTokens = opts.maxTokens ?? 60;
  const formats = opts.formats ?? FORMATS;
  const facts = factsIn(world, opts.domains);
  if (factShare > 0 && facts.length === 0) throw new Error('no facts in the requested domains');
  if (formats.length === 0) throw new Error('no formats');
  const cum = cumulative(facts.map((f) => f.weight));

  const docs: Document[] = [];
  for (let d = 0; d < opts.count; d++) {
    const target = rng.range(minS, maxS);
    const words: string[] = [];
    const sentences: SentenceInfo[] = [];
    const stated: Fact[] = [];
    for (let s = 0; s < target; s++) {
      let sentence: string[];
      let info: Omit<SentenceInfo, 'start' | 'end'>;
      if (rng.next() < factShare) {
        const fact = facts[rng.sampleCumulative(cum)]!;
        const format = rng.pick(formats);
        sentence = renderFact(fact, format);
        info = { kind: 'fact', factId: fact.id, format };
        stated.push(fact);
      } else {
        sentence = fillerSentence(rng);
        info = { kind: 'filler' };
      }
      // Stop before overflowing the token budget (a document always keeps its first sentence).
      if (sentences.length > 0 && words.length + sentence.length > maxTokens) {
        if (info.kind === 'fact') stated.pop();
        break;
      }
      sentences.push({ ...info, start: words.length, end: words.length + sentence.length });
      for (const w of sentence) words.push(w);
    }
    const domains = [...new Set(stated.map((f) => f.domain))].sort();
    docs.push({ words, sentences, factIds: stated.map((f) => f.id), domains });
  }
  return docs;
}

/** The stream training documents are drawn from. */
export function trainingRng(world: World, label = 'train'): Rng {
  return deriveRng(world.options.seed, `corpus:${label}`);
}

/** The stream held-out documents are drawn from (independent of the training stream). */
export function heldOutRng(world: World): Rng {
  return deriveRng(world.options.seed, 'corpus:heldout');
}

/** Real training documents from the world's training stream. */
export function trainingDocuments(world: World, opts: CorpusOptions): Document[] {
  return realDocuments(world, trainingRng(world), opts);
}

/** Held-out real documents, from a stream independent of the training one. */
export function heldOutDocuments(world: World, opts: CorpusOptions): Document[] {
  return realDocuments(world, heldOutRng(world), opts);
}

/** Mean number of words per document. */
export function meanDocumentLength(docs: readonly Document[]): number {
  return docs.length === 0 ? 0 : docs.reduce((n, d) => n + d.words.length, 0) / docs.length;
}
