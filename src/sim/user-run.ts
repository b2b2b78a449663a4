// A run on your own corpus: its tokenizer, the training / held-out split, the probes from its Q/A pairs,
// and what the run record keeps about it. The fact world's settings (entitiesPerKind, zipfExponent,
// factShare, realDocuments, heldOutDocuments, evalDomain) do not apply; probeFacts caps the pairs asked.
import { deriveRng } from '../world/rng.ts';
import { sha256 } from '../world/sha256.ts';
import { vocabularyTokenizer, type Tokenizer } from '../world/tokenizer.ts';
import { CORPUS_LIMITS, qaPrompt, splitText, type UserCorpus } from '../world/user-corpus.ts';
import type { Config } from './config.ts';
import type { TrainingDocument } from './data.ts';
import type { CorpusRecord } from './corpus-record.ts';
import type { EvalProbe } from './evaluate.ts';
import { attestedText, calibrateBars, TEXT_FLUENCY_RULE, type TextFluencyBars } from './text-fluency.ts';

/** Share of the documents held out (never trained on) for real-text perplexity and the fluency threshold. */
export const HELD_OUT_SHARE = 0.1;
/** Most held-out documents. */
export const MAX_HELD_OUT = 500;
/** Inputs up to this many bytes are kept whole in the run record, so the run can be repeated from it. */
export const RECORD_TEXT_LIMIT = 1_000_000;

export interface UserRunData {
  tokenizer: Tokenizer;
  real: TrainingDocument[];
  heldOut: number[][];
  probes: EvalProbe[];
  record: CorpusRecord;
}

/** Split, tokenise and probe a user corpus for a run with `config` (the split and probe choice follow its seed). */
export function userRunData(corpus: UserCorpus, config: Config): UserRunData {
  const tokenizer = vocabularyTokenizer(corpus.vocabulary, splitText);
  const n = corpus.documents.length;
  const held = Math.min(MAX_HELD_OUT, Math.max(1, Math.round(n * HELD_OUT_SHARE)));
  const order = deriveRng(config.seed, 'user-corpus:split').shuffle(Array.from({ length: n }, (_, i) => i));
  const heldSet = new Set(order.slice(0, held));
  const real: TrainingDocument[] = [];
  const heldOut: number[][] = [];
  corpus.documents.forEach((words, i) => {
    const ids = tokenizer.encodeDocument(words);
    if (heldSet.has(i)) heldOut.push(ids);
    else real.push({ ids, provenance: 'real', generation: 0 });
  });
  // Q/A pairs trained on, with short answers the vocabulary holds, a seeded subset of probeFacts.
  const vocab = new Set(corpus.vocabulary);
  const askable = corpus.pairs
    .map((p, i) => ({ p, i }))
    .filter(
      ({ p, i }) =>
        !heldSet.has(i) &&
        p.answer.length <= CORPUS_LIMITS.maxAnswerWords &&
        p.answer.every((w) => vocab.has(w)),
    );
  const chosen = new Set(
    deriveRng(config.seed, 'user-corpus:probes')
      .shuffle(askable.map((a) => a.i))
      .slice(0, config.probeFacts),
  );
  const probes: EvalProbe[] = askable
    .filter((a) => chosen.has(a.i))
    .map(({ p }) => ({
      factId: `line ${p.line}`,
      format: 'qa',
      promptWords: qaPrompt(p.question),
      answer: p.answer.join(' '),
      answerWords: p.answer,
    }));
  const s = corpus.summary;
  const record: CorpusRecord = {
    kind: s.kind,
    name: corpus.name,
    bytes: s.bytes,
    sha256: sha256(corpus.text),
    documents: s.documents,
    words: s.words,
    vocabulary: s.vocabulary,
    distinctWords: s.distinctWords,
    unknownShare: s.unknownShare,
    pairs: s.pairs,
    trainDocuments: real.length,
    heldOutDocuments: heldOut.length,
    probes: probes.length,
    ...(s.bytes <= RECORD_TEXT_LIMIT ? { text: corpus.text } : {}),
    fluency: { method: 'held-out-bars', ...fluencyBars(real, heldOut, config) },
  };
  return { tokenizer, real, heldOut, probes, record };
}

/** Where the text judged for fluency starts: after the run's prompt (<bos> alone when unconditional). */
export const judgedFrom = (config: Config): number =>
  config.promptSource === 'unconditional' ? 1 : config.promptTokens;

/**
 * The fluency bars of a run on a user corpus (src/sim/text-fluency.ts). Whether its fluency can be judged
 * at all depends on its text alone, so the run record says so from the start: set up before generation 0
 * without the perplexity bar (no `heldOutNll`), then again with generation 0's scores of `heldOut`.
 */
export function fluencyBars(
  real: readonly TrainingDocument[],
  heldOut: readonly (readonly number[])[],
  config: Config,
  heldOutNll: readonly number[] = heldOut.map(() => NaN),
): TextFluencyBars {
  const training = real.map((d) => d.ids);
  const rng = deriveRng(config.seed, 'fluency:check');
  return calibrateBars(heldOut, heldOutNll, training, attestedText(training), rng, judgedFrom(config));
}

/** Below this many held-out documents the page says the fluency bars are rough. */
export const FEW_HELD_OUT = 20;

/** What the charts measure on a user corpus, in two or three sentences for the page. */
export function corpusNote(corpus: CorpusRecord): string {
  const f = corpus.fluency;
  const fluency =
    f.method === 'held-out-bars'
      ? f.unjudged !== undefined
        ? `Fluency is not measured (–): ${f.unjudged}, so no stage marks its collapse.`
        : `Fluency: ${TEXT_FLUENCY_RULE}.`
      : `Fluency: the share of samples at most as perplexing to generation 0 as the ${Math.round(f.quantile * 100)}th percentile of held-out text.`;
  const what =
    corpus.kind === 'text'
      ? 'it is plain text, so facts are not probed: there is no accuracy, and the stage follows fluency alone (A while fluent, C once fluency collapses).'
      : 'accuracy is over its Q/A pairs.';
  const few =
    f.method === 'held-out-bars' && f.unjudged === undefined && corpus.heldOutDocuments < FEW_HELD_OUT
      ? ` Only ${corpus.heldOutDocuments} ${corpus.heldOutDocuments === 1 ? 'document is' : 'documents are'} held out, so the bars are rough: more text makes them firmer.`
      : '';
  return `Your corpus (${corpus.name}): ${what} ${fluency}${few} Hallucination and accuracy by popularity need the fact world and are not measured (–).`;
}
