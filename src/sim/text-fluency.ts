// Fluency for text without a grammar (your own corpus). Low perplexity alone cannot see collapse:
// word salad made of common words and loops of one sentence are both unsurprising to generation 0.
// So a sample counts as fluent when it reads like held-out real text on four bars, each set from the
// held-out split so that nearly all real documents clear it:
//   1. perplexity under generation 0 at most the held-out documents' high quantile (not gibberish);
//   2. the share of its word pairs found in the training text at least their low quantile (not salad);
//   3. the share of its word triples repeating an earlier one in the same document at most their high
//      quantile, and never held below REPEAT_FLOOR (not a loop);
//   4. when it ends (emits <eos>), it ends after a word some training document ends with (not cut off).
// Only what the model wrote is judged, not the real prompt it continued (and held-out text from the same
// offset). Pure: the simulation calibrates once at generation 0 and scores every generation.
import { BOS, EOS, PAD } from '../world/tokenizer.ts';
import { quantile } from './metrics.ts';

/** Share of held-out documents each bar lets through (the quantile it is set at). */
export const FLUENCY_PASS_SHARE = 0.975;
/** The repetition bar is never stricter than this: a fifth of a document's word triples may repeat. */
export const REPEAT_FLOOR = 0.2;

/** The bars a sample must clear, as the run record keeps them. */
export interface TextFluencyBars {
  /** Share of held-out documents each bar lets through. */
  quantile: number;
  /** Highest perplexity under generation 0. */
  maxPerplexity: number | null;
  /** Lowest share of word pairs (with the document's start and end) found in the training text. */
  minAttested: number | null;
  /** Highest share of word triples that repeat an earlier one in the same document. */
  maxRepeated: number | null;
}

/** What the bars read from one document. */
export interface DocumentFeatures {
  /** Share of its adjacent pairs (<bos> first, …, last <eos> when it ended) found in the training text. */
  attested: number;
  /** Share of its word triples that repeat an earlier triple of the same document (0 under 4 words). */
  repeated: number;
  /** It emitted <eos> after a word that no training document ends with. */
  badEnding: boolean;
}

const pairKey = (a: number, b: number) => a * 1_048_576 + b;

/** The word pairs and final words of the training text. */
export interface AttestedText {
  pairs: Set<number>;
  finals: Set<number>;
}

/** Without padding, and with <bos> in front when the document lacks it. */
function clean(ids: readonly number[]): number[] {
  const out = ids.filter((t) => t !== PAD);
  return out[0] === BOS ? out : [BOS, ...out];
}

/** Index the training documents (token ids, as encodeDocument writes them). */
export function attestedText(training: readonly (readonly number[])[]): AttestedText {
  const pairs = new Set<number>();
  const finals = new Set<number>();
  for (const doc of training) {
    const s = clean(doc);
    for (let i = 1; i < s.length; i++) pairs.add(pairKey(s[i - 1]!, s[i]!));
    if (s.at(-1) === EOS && s.length >= 2) finals.add(s.at(-2)!);
  }
  return { pairs, finals };
}

/**
 * The features of one document (token ids; <eos> at the end when it ended). Only what the model wrote is
 * judged: `from` is the length of the prompt it was given (<bos> included; 1 for a whole document), so
 * the pairs read start with the one from the prompt's last token into the first written one. A document
 * whose prompt was all of it is judged whole.
 */
export function documentFeatures(ids: readonly number[], text: AttestedText, from = 1): DocumentFeatures {
  const s = clean(ids);
  const start = from < s.length ? Math.max(1, from) : 1;
  let found = 0;
  for (let i = start; i < s.length; i++) if (text.pairs.has(pairKey(s[i - 1]!, s[i]!))) found++;
  const ended = s.at(-1) === EOS;
  const words = s.slice(start).filter((t) => t !== BOS && t !== EOS);
  const seen = new Set<string>();
  let repeats = 0;
  for (let i = 0; i + 3 <= words.length; i++) {
    const k = `${words[i]},${words[i + 1]},${words[i + 2]}`;
    if (seen.has(k)) repeats++;
    else seen.add(k);
  }
  const last = s.at(ended ? -2 : -1)!;
  return {
    attested: s.length > start ? found / (s.length - start) : NaN,
    repeated: words.length >= 4 ? repeats / (words.length - 2) : 0,
    badEnding: ended && (last === BOS || !text.finals.has(last)),
  };
}

const orNull = (x: number) => (Number.isFinite(x) ? x : null);

/**
 * Set the bars from held-out real documents, judged as samples are: after their first `from` tokens (the
 * run's prompt length), with `heldOutNll` their mean negative log-likelihood under generation 0 over
 * those same tokens.
 */
export function calibrateBars(
  heldOut: readonly (readonly number[])[],
  heldOutNll: readonly number[],
  text: AttestedText,
  from = 1,
  passShare = FLUENCY_PASS_SHARE,
): TextFluencyBars {
  if (heldOut.length !== heldOutNll.length)
    throw new RangeError(`calibrateBars: ${heldOut.length} documents but ${heldOutNll.length} scores`);
  const f = heldOut.map((d) => documentFeatures(d, text, from));
  return {
    quantile: passShare,
    maxPerplexity: orNull(quantile(heldOutNll.map(Math.exp), passShare)),
    minAttested: orNull(
      quantile(
        f.map((x) => x.attested),
        1 - passShare,
      ),
    ),
    maxRepeated: orNull(
      Math.max(
        REPEAT_FLOOR,
        quantile(
          f.map((x) => x.repeated),
          passShare,
        ),
      ),
    ),
  };
}

/** Whether one document clears every bar (a bar not set, null, lets everything through). */
export function clearsBars(features: DocumentFeatures, perplexity: number, bars: TextFluencyBars): boolean {
  return (
    !features.badEnding &&
    !(bars.maxPerplexity !== null && !(perplexity <= bars.maxPerplexity)) &&
    !(bars.minAttested !== null && !(features.attested >= bars.minAttested)) &&
    !(bars.maxRepeated !== null && !(features.repeated <= bars.maxRepeated))
  );
}

/**
 * Fluency of documents: the share that clear every bar (NaN for none). `nll`: each document's mean
 * negative log-likelihood under generation 0; `from`: each one's prompt length (default: whole documents).
 */
export function textFluency(
  documents: readonly (readonly number[])[],
  nll: readonly number[],
  text: AttestedText,
  bars: TextFluencyBars,
  from?: readonly number[],
): number {
  if (documents.length !== nll.length || (from && from.length !== documents.length))
    throw new RangeError(
      `textFluency: ${documents.length} documents but ${nll.length} scores and ${from?.length ?? '(no)'} prompt lengths`,
    );
  if (!documents.length) return NaN;
  let k = 0;
  documents.forEach((d, i) => {
    if (clearsBars(documentFeatures(d, text, from?.[i]), Math.exp(nll[i]!), bars)) k++;
  });
  return k / documents.length;
}

/** How fluency is judged, in one sentence for the page. */
export const TEXT_FLUENCY_RULE =
  'a sample counts as fluent when it reads like held-out text of your corpus: no more perplexing to ' +
  'generation 0, as many of its word pairs found in your text, no more repetition, and ending where your ' +
  'documents end (each bar lets through 97.5% of held-out documents)';
