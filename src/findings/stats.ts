// Pure statistics behind the findings (src/findings/findings.ts): summaries over seeds, per-seed effects
// read from run records, and the verdict rule. No Node imports: the app loads this too.
import type { GenerationRecord, RunRecord } from '../sim/record.ts';

/** Whether a published finding shows at this scale. */
export type Verdict = 'holds' | 'does not hold' | 'mixed';

/** Mean and spread of one quantity over seeds (non-finite values left out). */
export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  sd: number;
  /** Standard error of the mean: sd / √n. */
  se: number;
  min: number;
  max: number;
  values: number[];
}

export function summarize(values: readonly (number | null)[]): Summary {
  const xs = values.filter((x): x is number => x !== null && Number.isFinite(x));
  const n = xs.length;
  const mean = n ? xs.reduce((a, b) => a + b, 0) / n : NaN;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : n ? 0 : NaN;
  return {
    n,
    mean,
    sd,
    se: n ? sd / Math.sqrt(n) : NaN,
    min: n ? xs.reduce((a, b) => Math.min(a, b)) : NaN,
    max: n ? xs.reduce((a, b) => Math.max(a, b)) : NaN,
    values: xs,
  };
}

/** "1.23 ± 0.05" (mean ± sd over seeds), with a sign when asked. */
export function formatSummary(s: Summary, digits = 2, signed = false): string {
  if (!s.n) return 'n/a';
  const m = s.mean.toFixed(digits);
  return `${signed && s.mean >= 0 ? '+' : ''}${m} ± ${s.sd.toFixed(digits)}`;
}

/** A one-lever comparison: per-seed effects, signed so that positive is the paper's direction. */
export interface Comparison {
  /** A direction with a margin, or a measurement against a closed form (residual within 3 SE). */
  kind: 'direction' | 'closed-form';
  /** What is compared, e.g. "real-text perplexity, replace − accumulate". */
  label: string;
  effect: Summary;
  /** Seeds whose effect is positive (the paper's direction). */
  wins: number;
  /** The smallest mean effect that counts as the paper's effect (closed form: 3 standard errors). */
  margin: number;
  verdict: Verdict;
}

/** Share of seeds that must show the paper's direction for "holds". */
export const CONSISTENT_SHARE = 0.8;

/** The rule, in words, for the results page. */
export const VERDICT_RULE =
  'holds when the mean effect over seeds is at least the margin and at least 80% of seeds show the ' +
  "paper's direction; does not hold when the mean effect is below half the margin or at most half " +
  'the seeds show the direction; mixed otherwise.';

/** Applies VERDICT_RULE to per-seed effects (positive = the paper's direction). */
export function compare(label: string, effects: readonly (number | null)[], margin: number): Comparison {
  const effect = summarize(effects);
  const wins = effect.values.filter((x) => x > 0).length;
  let verdict: Verdict = 'mixed';
  if (!effect.n || effect.mean < margin / 2 || wins <= effect.n / 2) verdict = 'does not hold';
  else if (effect.mean >= margin && wins >= Math.ceil(CONSISTENT_SHARE * effect.n)) verdict = 'holds';
  return { kind: 'direction', label, effect, wins, margin, verdict };
}

/** Standard errors within which a mean residual agrees with its closed form. */
export const CLOSED_FORM_SE = 3;

/**
 * Per-seed residuals (measured − closed form): holds when their mean is within 3 standard errors of 0
 * (and at least 2 seeds give a standard error), else does not hold. `wins` counts seeds with residual ≥ 0.
 */
export function closeTo(label: string, residuals: readonly (number | null)[]): Comparison {
  const effect = summarize(residuals);
  const margin = CLOSED_FORM_SE * effect.se;
  const ok = effect.n >= 2 && Math.abs(effect.mean) <= margin;
  const wins = effect.values.filter((x) => x >= 0).length;
  return { kind: 'closed-form', label, effect, wins, margin, verdict: ok ? 'holds' : 'does not hold' };
}

/** All hold → holds; none holds → does not hold; otherwise mixed. */
export function combineVerdicts(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.length && verdicts.every((v) => v === 'holds')) return 'holds';
  if (verdicts.every((v) => v === 'does not hold')) return 'does not hold';
  return 'mixed';
}

/** A metric read from one generation. */
export type MetricGetter = (g: GenerationRecord) => number | null;

/** The metric at generation 0. */
export const first = (r: RunRecord, get: MetricGetter): number | null =>
  r.generations[0] ? get(r.generations[0]) : null;

/** The metric at the run's last completed generation. */
export const last = (r: RunRecord, get: MetricGetter): number | null => {
  const g = r.generations.at(-1);
  return g ? get(g) : null;
};

/** Last minus first (null when either is missing). */
export function change(r: RunRecord, get: MetricGetter): number | null {
  const a = first(r, get);
  const b = last(r, get);
  return a === null || b === null ? null : b - a;
}

/** Generations until a condition first holds (g ≥ 1), or, censored, one past the last generation. */
export interface Onset {
  generation: number;
  censored: boolean;
}

export function onset(r: RunRecord, test: (g: GenerationRecord, gen0: GenerationRecord) => boolean): Onset {
  const gen0 = r.generations[0];
  const hit = gen0 ? r.generations.find((g) => g.generation > 0 && test(g, gen0)) : undefined;
  return hit
    ? { generation: hit.generation, censored: false }
    : { generation: r.config.generations + 1, censored: true };
}

/** Accuracy below (1 − stageBAccuracyDrop) × generation 0's: the stage-B accuracy threshold. */
export const accuracyCollapsed =
  (r: RunRecord, get: MetricGetter = (g) => g.metrics.accuracy) =>
  (g: GenerationRecord, gen0: GenerationRecord): boolean => {
    const a = get(g);
    const a0 = get(gen0);
    return a !== null && a0 !== null && a < (1 - r.config.stageBAccuracyDrop) * a0;
  };

/** Onset as a summary line: "3.0 ± 1.0 (2 of 3 seeds never within 6)". */
export function formatOnsets(onsets: readonly Onset[], generations: number): string {
  const s = summarize(onsets.map((o) => o.generation));
  const censored = onsets.filter((o) => o.censored).length;
  if (censored === onsets.length) return `none within ${generations}`;
  const tail = censored
    ? ` (${censored} of ${onsets.length} seeds: none within ${generations}, counted ${generations + 1})`
    : '';
  return `${formatSummary(s, 1)}${tail}`;
}

/**
 * The runs of two arms paired by seed (only seeds both have, in seed order): paired effects remove
 * what one seed's world and generation 0 share across arms.
 */
export function pairBySeed(a: readonly RunRecord[], b: readonly RunRecord[]): [RunRecord, RunRecord][] {
  const bySeed = new Map(b.map((r) => [r.config.seed, r]));
  return [...a]
    .sort((x, y) => x.config.seed - y.config.seed)
    .flatMap((r) =>
      bySeed.has(r.config.seed) ? [[r, bySeed.get(r.config.seed)!] as [RunRecord, RunRecord]] : [],
    );
}

/** The mean over seeds of a metric at each generation: [generation, mean] (null where none measured). */
export function meanSeries(
  records: readonly RunRecord[],
  get: (g: GenerationRecord, run: RunRecord) => number | null,
): [number, number | null][] {
  const G = records.reduce((n, r) => Math.max(n, r.generations.length), 0);
  return Array.from({ length: G }, (_, g) => {
    const s = summarize(records.map((r) => (r.generations[g] ? get(r.generations[g], r) : null)));
    return [g, s.n ? s.mean : null];
  });
}
