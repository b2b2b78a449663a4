import { csvFormatRows } from 'd3';
import * as v from 'valibot';
import { clip, ConfigSchema, parseConfig, show, type Config } from './config.ts';
import { CorpusRecordSchema } from './corpus-record.ts';

/** The record's schema name and the version this build writes and reads. */
export const RECORD_SCHEMA = 'ouroboros-run';
export const RECORD_VERSION = 1;

/** A metric value; null means "not measured" or not finite (JSON has no NaN or Infinity). */
const metric = v.nullable(v.number());
const count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** Everything measured about one generation (see src/sim/metrics.ts for the definitions). */
export const MetricsSchema = v.object({
  accuracy: metric,
  /** Accuracy per question format, e.g. { qa: 0.4, cloze: 0.5 }. */
  accuracyByFormat: v.record(v.string(), metric),
  /** Accuracy by entity popularity: most, middling and least mentioned. */
  accuracyByPopularity: v.object({ head: metric, torso: metric, tail: metric }),
  /** Mean probability the model gives its own answers. */
  answerConfidence: metric,
  confidentlyWrongRate: metric,
  ece: metric,
  /** Perplexity on held-out real documents. */
  realPerplexity: metric,
  /** Mean entropy (nats) of the model's next-token distribution on real text. */
  modelEntropy: metric,
  /** Unigram entropy (nats) of this generation's synthetic samples. */
  sampleEntropy: metric,
  /** Unigram entropy (nats) of this generation's training corpus. */
  corpusEntropy: metric,
  distinct1: metric,
  distinct2: metric,
  typeTokenRatio: metric,
  giniSimpson: metric,
  supportSize: metric,
  fluency: metric,
  hallucinationRate: metric,
  /** Perplexity of the samples under the generation-0 model: mean and histogram. */
  gen0Perplexity: v.object({
    mean: metric,
    histogram: v.object({ edges: v.array(v.number()), counts: v.array(count) }),
  }),
  /** L2 distance of the weights from generation 0's (null for the n-gram model). */
  weightDistance: metric,
  /**
   * Share of this generation's training targets its model predicts with probability > γ after training,
   * keyed by γ (the run's tceGamma and 0.5, 0.9, 0.99): what truncated cross-entropy with that γ masks.
   * Measured on up to 256 training documents; absent in records made before it.
   */
  confidentTargets: v.optional(v.record(v.string(), metric)),
});

const ProbeSchema = v.object({
  factId: v.string(),
  format: v.string(),
  question: v.string(),
  answer: v.string(),
  expected: v.string(),
  correct: v.boolean(),
  /** Probability the model gives its answer. */
  probability: metric,
  popularity: v.optional(v.picklist(['head', 'torso', 'tail'])),
});

/** A highlighted character range [start, end) of a sample, e.g. a true or a wrong fact. */
const SpanSchema = v.object({
  start: count,
  end: count,
  kind: v.string(),
  factId: v.optional(v.string()),
});

const GenerationSchema = v.object({
  generation: count,
  stage: v.picklist(['A', 'B', 'C']),
  metrics: MetricsSchema,
  /** Closed-form predictions for a count model (src/sim/closed-forms.ts), beside the measurements. */
  analytic: v.optional(v.object({ giniSimpson: metric, entropy: metric })),
  losses: v.array(metric),
  /** Word counts of this generation's samples, most frequent first (the rank-frequency curve). */
  rankFrequency: v.optional(v.array(count)),
  samples: v.array(v.object({ text: v.string(), spans: v.optional(v.array(SpanSchema)) })),
  probes: v.array(ProbeSchema),
  timings: v.object({ trainMs: v.number(), sampleMs: v.number(), evalMs: v.number() }),
});

const EnvironmentSchema = v.object({
  backend: v.picklist(['webgpu', 'wasm', 'node', 'ngram']),
  backendReason: v.string(),
  /** Versions of the app and its runtimes, e.g. { ouroboros: '0.1.0', 'onnxruntime-web': '1.30.0' }. */
  versions: v.record(v.string(), v.string()),
  userAgent: v.optional(v.string()),
});

/** The valibot schema of a run record (version 1). */
export const RunRecordSchema = v.object({
  schema: v.literal(RECORD_SCHEMA),
  version: v.literal(RECORD_VERSION),
  config: ConfigSchema,
  environment: EnvironmentSchema,
  generations: v.array(GenerationSchema),
  /** ISO 8601 time the run started. */
  createdAt: v.string(),
  status: v.picklist(['running', 'done', 'stopped', 'failed']),
  error: v.optional(v.string()),
  /** The user corpus the run trained on instead of the fact world (absent: the fact world). */
  corpus: v.optional(CorpusRecordSchema),
});

/** A whole run: config, environment and one entry per generation. */
export type RunRecord = v.InferOutput<typeof RunRecordSchema>;
/** One generation of a run. */
export type GenerationRecord = RunRecord['generations'][number];
/** The metrics of one generation. */
export type GenerationMetrics = v.InferOutput<typeof MetricsSchema>;
/** One probe question and the model's answer. */
export type ProbeRecord = GenerationRecord['probes'][number];
/** Where the run executed. */
export type RunEnvironment = RunRecord['environment'];
/** Lifecycle of a run. */
export type RunStatus = RunRecord['status'];

/** A number as stored in a record: NaN and ±Infinity become null. */
export const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** A new, empty record of a run that is starting. */
export function createRecord(
  config: Config,
  environment: RunEnvironment,
  createdAt: string = new Date().toISOString(),
): RunRecord {
  return {
    schema: RECORD_SCHEMA,
    version: RECORD_VERSION,
    config,
    environment,
    generations: [],
    createdAt,
    status: 'running',
  };
}

/** A problem in a record: the dotted path of the bad value and what is wrong with it. */
export interface RecordError {
  path: string;
  message: string;
}

/** Validates a parsed JSON value as a run record, with one message per bad value. */
export function parseRecord(
  input: unknown,
): { ok: true; record: RunRecord } | { ok: false; errors: RecordError[] } {
  const fail = (path: string, message: string) => ({ ok: false as const, errors: [{ path, message }] });
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return fail(
      '',
      `not a run record: expected an object, got ${Array.isArray(input) ? 'an array' : input === null ? 'null' : typeof input}`,
    );
  const { schema, version } = input as Record<string, unknown>;
  if (schema !== RECORD_SCHEMA)
    return fail(
      'schema',
      `not an Ouroboros run record: schema is ${show(schema)}, expected '${RECORD_SCHEMA}'`,
    );
  if (version !== RECORD_VERSION)
    return fail(
      'version',
      `unsupported record version ${show(version)}: this build reads version ${RECORD_VERSION}`,
    );
  const r = v.safeParse(RunRecordSchema, input);
  if (r.success) {
    const errors = valueErrors(r.output);
    return errors.length ? { ok: false, errors } : { ok: true, record: r.output };
  }
  // The config's own parser names each bad field's allowed range or options.
  const c = parseConfig((input as { config?: unknown }).config);
  const errors: RecordError[] = c.ok
    ? []
    : c.errors.map((e) =>
        e.field === 'config'
          ? { path: 'config', message: e.message }
          : { path: `config.${e.field}`, message: `config.${e.message}` },
      );
  for (const issue of r.issues) {
    const keys = (issue.path ?? []).map((p) => clip(String(p.key), 40));
    if (keys[0] === 'config') continue;
    const path = keys.join('.') || '(record)';
    const missing = issue.type === 'object' && issue.received === 'undefined';
    const message = missing
      ? `${path}: missing`
      : `${path}: expected ${issue.expected}, got ${clip(issue.received)}`;
    errors.push({ path, message });
  }
  return { ok: false, errors };
}

/**
 * Largest perplexity a record may hold: e^69, a mean loss of 69 nats a token, six times the loss of a
 * uniform guess over a 100,000-word vocabulary. Only a diverged model gets there; values past it (1e300)
 * overflow the charts' arithmetic.
 */
export const MAX_PERPLEXITY = 1e30;
/** Rounding slack on bounds: a share computed as 1.0000000000000002 is still a share. */
const SLACK = 1e-9;

type Bound = 'share' | 'nonNegative' | 'perplexity' | 'finite';
const BOUNDS: Record<Bound, [number, number, string]> = {
  share: [0, 1, 'a share, from 0 to 1'],
  nonNegative: [0, Infinity, 'at least 0'],
  perplexity: [1, MAX_PERPLEXITY, `a perplexity, from 1 to ${MAX_PERPLEXITY}`],
  finite: [-Infinity, Infinity, 'a finite number'],
};
const METRIC_BOUNDS: Record<
  Exclude<
    keyof GenerationMetrics,
    'accuracyByFormat' | 'accuracyByPopularity' | 'gen0Perplexity' | 'confidentTargets'
  >,
  Bound
> = {
  accuracy: 'share',
  answerConfidence: 'share',
  confidentlyWrongRate: 'share',
  ece: 'share',
  realPerplexity: 'perplexity',
  modelEntropy: 'nonNegative',
  sampleEntropy: 'nonNegative',
  corpusEntropy: 'nonNegative',
  distinct1: 'share',
  distinct2: 'share',
  typeTokenRatio: 'share',
  giniSimpson: 'share',
  supportSize: 'nonNegative',
  fluency: 'share',
  hallucinationRate: 'share',
  weightDistance: 'nonNegative',
};

/**
 * Values the schema's types allow but no run can produce: a metric outside its range (accuracy −5,
 * perplexity 1e300), a non-finite number (1e999 in JSON reads as Infinity), and generation numbers that
 * repeat, skip or run out of order (generation i must be numbered i). One message per bad value, naming it.
 */
function valueErrors(record: RunRecord): RecordError[] {
  const errors: RecordError[] = [];
  const check = (path: string, x: number | null | undefined, bound: Bound) => {
    if (x === null || x === undefined) return;
    const [lo, hi, what] = BOUNDS[bound];
    if (!Number.isFinite(x) || x < lo - SLACK || x > hi * (1 + SLACK))
      errors.push({ path, message: `${path}: ${x} is out of range (expected ${what})` });
  };
  const seen = new Set<number>();
  record.generations.forEach((g, i) => {
    const at = `generations.${i}`;
    const duplicate = seen.has(g.generation);
    seen.add(g.generation);
    if (g.generation !== i)
      errors.push({
        path: `${at}.generation`,
        message:
          `${at}.generation: generation ${i} of the record is numbered ${g.generation}` +
          (duplicate ? ', a duplicate' : '') +
          ' (generations must be numbered 0, 1, 2, … in order)',
      });
    const m = g.metrics;
    for (const [key, bound] of Object.entries(METRIC_BOUNDS))
      check(`${at}.metrics.${key}`, m[key as keyof typeof METRIC_BOUNDS], bound);
    for (const [format, x] of Object.entries(m.accuracyByFormat))
      check(`${at}.metrics.accuracyByFormat.${clip(format, 40)}`, x, 'share');
    for (const [part, x] of Object.entries(m.accuracyByPopularity))
      check(`${at}.metrics.accuracyByPopularity.${part}`, x, 'share');
    for (const [gamma, x] of Object.entries(m.confidentTargets ?? {}))
      check(`${at}.metrics.confidentTargets.${clip(gamma, 40)}`, x, 'share');
    check(`${at}.metrics.gen0Perplexity.mean`, m.gen0Perplexity.mean, 'perplexity');
    const { edges, counts } = m.gen0Perplexity.histogram;
    edges.forEach((x, j) => check(`${at}.metrics.gen0Perplexity.histogram.edges.${j}`, x, 'nonNegative'));
    if (edges.length && counts.length !== edges.length - 1)
      errors.push({
        path: `${at}.metrics.gen0Perplexity.histogram`,
        message: `${at}.metrics.gen0Perplexity.histogram: ${edges.length} edges but ${counts.length} counts (expected one count between each two edges)`,
      });
    if (g.analytic) {
      check(`${at}.analytic.giniSimpson`, g.analytic.giniSimpson, 'share');
      check(`${at}.analytic.entropy`, g.analytic.entropy, 'nonNegative');
    }
    g.losses.forEach((x, j) => check(`${at}.losses.${j}`, x, 'finite'));
    g.probes.forEach((p, j) => check(`${at}.probes.${j}.probability`, p.probability, 'share'));
    for (const [key, x] of Object.entries(g.timings)) check(`${at}.timings.${key}`, x, 'nonNegative');
  });
  return errors;
}

/** The record without wall-clock fields (timings, createdAt), for comparing two runs for determinism. */
export function recordWithoutTimings(record: RunRecord): Omit<RunRecord, 'createdAt' | 'generations'> & {
  generations: Omit<GenerationRecord, 'timings'>[];
} {
  const { createdAt: _createdAt, generations, ...rest } = record;
  return { ...rest, generations: generations.map(({ timings: _timings, ...g }) => g) };
}

function flatten(prefix: string, value: unknown, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, x] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, x, out);
  } else if (!Array.isArray(value)) out.set(prefix, value);
}

/**
 * One CSV row per generation: generation, stage, then every scalar metric with nested names flattened
 * (accuracyByFormat.qa, gen0Perplexity.mean), analytic.*, loss.mean, loss.last and timings.*.
 * Arrays (histograms, samples, probes) are left out; columns appear in first-seen order.
 */
export function metricsToCsv(record: RunRecord): string {
  const rows = record.generations.map((g) => {
    const row = new Map<string, unknown>([
      ['generation', g.generation],
      ['stage', g.stage],
    ]);
    flatten('', g.metrics, row);
    if (g.analytic) flatten('analytic', g.analytic, row);
    const losses = g.losses.filter((x): x is number => x !== null);
    row.set('loss.mean', losses.length ? losses.reduce((a, b) => a + b, 0) / losses.length : null);
    row.set('loss.last', losses.at(-1) ?? null);
    flatten('timings', g.timings, row);
    return row;
  });
  const columns = [...new Set(rows.flatMap((r) => [...r.keys()]))];
  if (!columns.length) columns.push('generation', 'stage');
  // Missing values are empty cells; d3-dsv quotes what needs quoting.
  const cells = rows.map((r) => columns.map((c) => String(r.get(c) ?? '')));
  return csvFormatRows([columns, ...cells]) + '\n';
}
