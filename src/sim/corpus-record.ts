// What a run record keeps about a user corpus: its own schema, so that the record (record.ts) and the
// code that builds it (user-run.ts) share it without importing each other.
import * as v from 'valibot';
import { CORPUS_KINDS } from '../world/user-corpus.ts';

const metric = v.nullable(v.number());
const count = v.pipe(v.number(), v.integer(), v.minValue(0));

/**
 * How fluency is judged without a grammar (src/sim/text-fluency.ts): the share of a generation's samples
 * that clear four bars set on held-out real text once generation 0 is measured (null until then).
 */
const BarsFluencySchema = v.object({
  method: v.literal('held-out-bars'),
  /** Share of real documents each bar lets through. */
  quantile: v.number(),
  maxPerplexity: metric,
  minAttested: metric,
  maxRepeated: metric,
  /** Why fluency is not judged: the bars let through degenerate text made from the corpus (then null). */
  unjudged: v.optional(v.string()),
});

/**
 * Records made before the bars: the share of samples whose perplexity under generation 0 is at most
 * `threshold`, the `quantile` of held-out real text's (read, never written).
 */
const PerplexityFluencySchema = v.object({
  method: v.literal('gen0-perplexity'),
  quantile: v.number(),
  threshold: metric,
});

/** What a run record keeps about a user corpus (absent for the fact world). */
export const CorpusRecordSchema = v.object({
  kind: v.picklist(CORPUS_KINDS as [string, ...string[]]),
  name: v.string(),
  /** UTF-8 size of the text, and its SHA-256 (hex, of the text as UTF-8, without a byte-order mark). */
  bytes: count,
  sha256: v.string(),
  documents: count,
  words: count,
  vocabulary: count,
  distinctWords: count,
  unknownShare: metric,
  pairs: count,
  trainDocuments: count,
  heldOutDocuments: count,
  /** Q/A pairs asked each generation. */
  probes: count,
  /** The whole text, when at most RECORD_TEXT_LIMIT bytes: enough to run it again. */
  text: v.optional(v.string()),
  /** How fluency is measured without a grammar. */
  fluency: v.variant('method', [BarsFluencySchema, PerplexityFluencySchema]),
});

export type CorpusRecord = v.InferOutput<typeof CorpusRecordSchema>;
