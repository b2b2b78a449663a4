// Fluency for text without a grammar (your own corpus). Low perplexity alone cannot see collapse:
// word salad made of common words and loops of one sentence are both unsurprising to generation 0.
// So a sample counts as fluent when it reads like real text of the corpus on four bars, each set so
// that nearly all real documents clear it:
//   1. perplexity under generation 0 at most the held-out documents' high quantile (not gibberish);
//   2. the share of its word pairs found in the training text at least their low quantile (not salad);
//   3. the share of its word triples repeating an earlier one in the same document at most their high
//      quantile, and never held below REPEAT_FLOOR (not a loop);
//   4. when it ends (emits <eos>), it ends after a word some training document ends with (not cut off).
// Bars 2 and 3 are set on the held-out documents and on training documents judged cross-fitted (each
// against the word pairs of the other training documents, as a new document would be), so that a small
// corpus's few held-out documents are not all they rest on. The bars are then tried on degenerate text
// made from the training text (fragments stitched at random word boundaries, and word salad): when they
// let through more than DEGENERATE_PASS_LIMIT of either, the corpus is too small for word pairs to tell
// its real text from its fragments, and fluency is not judged (null, with the reason) rather than read
// high. Only what the model wrote is judged, not the real prompt it continued (and real text from the
// same offset). Pure: the simulation calibrates once at generation 0 and scores every generation.
import { BOS, EOS, PAD } from '../world/tokenizer.ts';
import type { Rng } from '../world/rng.ts';
import { quantile } from './metrics.ts';

/** Share of real documents each bar lets through (the quantile it is set at). */
export const FLUENCY_PASS_SHARE = 0.975;
/** The repetition bar is never stricter than this: a fifth of a document's word triples may repeat. */
export const REPEAT_FLOOR = 0.2;
/** Most training documents judged cross-fitted when the bars are set (evenly spaced through them). */
export const CROSS_FIT_DOCUMENTS = 2000;
/** Fluency is judged only when the bars let through at most this share of each kind of degenerate text. */
export const DEGENERATE_PASS_LIMIT = 0.2;
/** Degenerate documents of each kind built to try the bars. */
export const DEGENERATE_CHECK_DOCUMENTS = 200;

/** The bars a sample must clear, as the run record keeps them. */
export interface TextFluencyBars {
  /** Share of real documents each bar lets through. */
  quantile: number;
  /** Highest perplexity under generation 0. */
  maxPerplexity: number | null;
  /** Lowest share of word pairs (with the document's start and end) found in the training text. */
  minAttested: number | null;
  /** Highest share of word triples that repeat an earlier one in the same document. */
  maxRepeated: number | null;
  /** Why fluency is not judged (the bars cannot tell this corpus's text from its fragments); absent when it is. */
  unjudged?: string;
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

/** Which word pairs count as found in the training text when one document is judged. */
interface Found {
  pair: (key: number) => boolean;
  finals: ReadonlySet<number>;
}
const foundIn = (text: AttestedText): Found => ({ pair: (k) => text.pairs.has(k), finals: text.finals });

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
  return features(clean(ids), from, foundIn(text));
}

/** documentFeatures of a cleaned document. */
function features(s: readonly number[], from: number, found: Found): DocumentFeatures {
  const start = from < s.length ? Math.max(1, from) : 1;
  let pairs = 0;
  for (let i = start; i < s.length; i++) if (found.pair(pairKey(s[i - 1]!, s[i]!))) pairs++;
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
    attested: s.length > start ? pairs / (s.length - start) : NaN,
    repeated: words.length >= 4 ? repeats / (words.length - 2) : 0,
    badEnding: ended && (last === BOS || !found.finals.has(last)),
  };
}

/**
 * Training documents (at most CROSS_FIT_DOCUMENTS, evenly spaced), cleaned, each with its features judged
 * against the word pairs of the other training documents: a pair counts as found when at least two
 * training documents hold it, itself and another.
 */
function crossFitted(training: readonly (readonly number[])[], text: AttestedText, from: number) {
  const step = Math.max(1, training.length / CROSS_FIT_DOCUMENTS);
  const chosen: number[][] = [];
  for (let i = 0; i < training.length; i += step) chosen.push(clean(training[Math.floor(i)]!));
  // How many training documents hold each pair of the chosen ones.
  const holders = new Map<number, number>();
  for (const s of chosen) for (let i = 1; i < s.length; i++) holders.set(pairKey(s[i - 1]!, s[i]!), 0);
  for (const doc of training) {
    const s = clean(doc);
    const counted = new Set<number>();
    for (let i = 1; i < s.length; i++) {
      const k = pairKey(s[i - 1]!, s[i]!);
      const n = holders.get(k);
      if (n === undefined || counted.has(k)) continue;
      counted.add(k);
      holders.set(k, n + 1);
    }
  }
  const found: Found = { pair: (k) => holders.get(k)! >= 2, finals: text.finals };
  return chosen.map((s) => ({ s, f: features(s, from, found) }));
}

/**
 * Degenerate continuations of real prompts, as a collapsing model writes them, each as long as `lengths`
 * (picked at random) and without <eos>: `stitched`, fragments of 2 to 6 words of training documents cut
 * at random word boundaries and joined where the training text never joins them; `salad`, words drawn
 * by their frequency in the training text.
 */
export function degenerateText(
  training: readonly (readonly number[])[],
  text: AttestedText,
  lengths: readonly number[],
  rng: Rng,
  from = 1,
  count = DEGENERATE_CHECK_DOCUMENTS,
): { stitched: number[][]; salad: number[][] } {
  const docs = training.map(clean);
  const words = docs.map((s) => s.filter((t) => t !== BOS && t !== EOS)).filter((w) => w.length > 0);
  const pool = words.flat();
  const stitched: number[][] = [];
  const salad: number[][] = [];
  if (!pool.length || !lengths.length) return { stitched, salad };
  for (let d = 0; d < count; d++) {
    const prompt = rng
      .pick(docs)
      .slice(0, Math.max(1, from))
      .filter((t) => t !== EOS);
    const length = Math.max(2, rng.pick(lengths));
    const out = [...prompt];
    while (out.length < prompt.length + length) {
      let fragment: number[] = [];
      for (let tries = 0; tries < 8; tries++) {
        const w = rng.pick(words);
        const at = rng.int(Math.max(1, w.length - 1)); // two words at least, where it has two
        fragment = w.slice(at, at + 2 + rng.int(5));
        if (!text.pairs.has(pairKey(out.at(-1)!, fragment[0]!))) break;
      }
      for (const t of fragment) out.push(t);
    }
    stitched.push(out.slice(0, prompt.length + length));
    salad.push([...prompt, ...Array.from({ length }, () => rng.pick(pool))]);
  }
  return { stitched, salad };
}

const orNull = (x: number) => (Number.isFinite(x) ? x : null);

/**
 * Set the bars from real documents, judged as samples are: after their first `from` tokens (the run's
 * prompt length). The perplexity bar rests on the held-out documents, `heldOutNll` their mean negative
 * log-likelihood under generation 0 over those same tokens; the word-pair and repetition bars on them and
 * on the `training` documents judged cross-fitted. The bars are then tried on degenerate text built from
 * the training text with `rng` (degenerateText): when they let through more than DEGENERATE_PASS_LIMIT of
 * either kind, `unjudged` says so and fluency is not measured.
 */
export function calibrateBars(
  heldOut: readonly (readonly number[])[],
  heldOutNll: readonly number[],
  training: readonly (readonly number[])[],
  text: AttestedText,
  rng: Rng,
  from = 1,
  passShare = FLUENCY_PASS_SHARE,
): TextFluencyBars {
  if (heldOut.length !== heldOutNll.length)
    throw new RangeError(`calibrateBars: ${heldOut.length} documents but ${heldOutNll.length} scores`);
  const real = [
    ...heldOut.map((d) => {
      const s = clean(d);
      return { s, f: features(s, from, foundIn(text)) };
    }),
    ...crossFitted(training, text, from),
  ];
  const f = real.map((x) => x.f);
  const bars: TextFluencyBars = {
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
  // Degenerate text as long as the real text judged.
  const lengths = real
    .map(({ s }) => s.length - (from < s.length ? Math.max(1, from) : 1))
    .filter((n) => n > 0);
  const { stitched, salad } = degenerateText(training, text, lengths, rng, from);
  const passing = (docs: number[][]) =>
    docs.filter((d) => clearsBars(documentFeatures(d, text, from), NaN, { ...bars, maxPerplexity: null }))
      .length / docs.length;
  const through = [
    { kind: 'fragments of your text stitched together at random', share: passing(stitched) },
    { kind: 'word salad of your words', share: passing(salad) },
  ].sort((a, b) => b.share - a.share)[0]!;
  if (stitched.length && through.share > DEGENERATE_PASS_LIMIT)
    bars.unjudged =
      `too little text to judge fluency: word-pair bars set to let through ${+(passShare * 100).toFixed(1)}% ` +
      `of your documents also let through ${Math.round(through.share * 100)}% of ${through.kind}`;
  return bars;
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
 * Fluency of documents: the share that clear every bar (NaN for none, or when the bars are `unjudged`). `nll`: each document's mean
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
  if (!documents.length || bars.unjudged !== undefined) return NaN;
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
  'documents end (each bar lets through 97.5% of your documents: those held out, and the others each ' +
  'judged against the rest)';
