// The longer evaluations of src/findings/findings.ts: knowledge collapse (stages and formats), the count
// model's drift against its closed forms, and the generation-0-scored perplexity histograms.
import {
  accuracyCollapsed,
  change,
  closeTo,
  combineVerdicts,
  compare,
  first,
  formatOnsets,
  formatSummary,
  last,
  onset,
  pairBySeed,
  summarize,
  type Comparison,
  type MetricGetter,
  type Onset,
  type Summary,
} from './stats.ts';
import type { Config } from '../sim/config.ts';
import type { ArmRuns, FindingArm, FindingChart, FindingOutcome } from './types.ts';
import type { GenerationRecord, RunRecord } from '../sim/record.ts';

/** Metrics the findings read. */
export const acc: MetricGetter = (g) => g.metrics.accuracy;
export const ppl: MetricGetter = (g) => g.metrics.realPerplexity;
export const fluency: MetricGetter = (g) => g.metrics.fluency;
export const distinct2: MetricGetter = (g) => g.metrics.distinct2;
export const charts = {
  accuracy: { key: 'accuracy', title: 'factual accuracy', get: acc },
  perplexity: { key: 'realPerplexity', title: 'perplexity on held-out real text', get: ppl },
  fluency: { key: 'fluency', title: 'fluency (share grammatical)', get: fluency },
  distinct2: { key: 'distinct2', title: 'distinct-2 of samples', get: distinct2 },
  entropy: {
    key: 'corpusEntropy',
    title: 'unigram entropy of samples (nats)',
    get: (g: GenerationRecord) => g.metrics.corpusEntropy,
  },
} satisfies Record<string, FindingChart>;

export const arm = (id: string, label: string, settings: Partial<Config>): FindingArm => ({
  id,
  label,
  settings,
});

/** Per-seed effect of arm b's metric minus arm a's (at the last generation), signed by `sign`. */
export function pairedLast(
  runs: ArmRuns,
  a: string,
  b: string,
  get: MetricGetter,
  sign = 1,
): (number | null)[] {
  return pairBySeed(runs[a] ?? [], runs[b] ?? []).map(([ra, rb]) => {
    const x = last(ra, get);
    const y = last(rb, get);
    return x === null || y === null ? null : sign * (y - x);
  });
}

/** "name: 1.23 ± 0.04" for each arm's metric at the last generation. */
export function lastByArm(f: { arms: FindingArm[] }, runs: ArmRuns, get: MetricGetter, digits = 2): string {
  return f.arms
    .map(
      (a) => `${a.label}: ${formatSummary(summarize((runs[a.id] ?? []).map((r) => last(r, get))), digits)}`,
    )
    .join('; ');
}

export function onsets(
  runs: readonly RunRecord[],
  test: (r: RunRecord) => (g: GenerationRecord, g0: GenerationRecord) => boolean,
): Onset[] {
  return [...runs].sort((a, b) => a.config.seed - b.config.seed).map((r) => onset(r, test(r)));
}

/** Accuracy lost over the run (generation 0 − last). */
const drop = (r: RunRecord): number | null => {
  const d = change(r, acc);
  return d === null ? null : -d;
};

/** Where comparisons do not all hold: what each shows. */
export function reasonOf(comparisons: readonly Comparison[]): string | undefined {
  const failing = comparisons.filter((c) => c.verdict !== 'holds');
  if (!failing.length) return undefined;
  return failing
    .map((c) =>
      c.kind === 'closed-form'
        ? `${c.label}: mean residual ${formatSummary(c.effect, 4, true)}, ${(Math.abs(c.effect.mean) / c.effect.se).toFixed(1)} standard errors from 0 (allowed: 3)`
        : `${c.label}: mean effect ${formatSummary(c.effect, 3, true)} against a margin of ${c.margin}, ` +
          `the paper's direction in ${c.wins} of ${c.effect.n} seeds`,
    )
    .join('; ');
}

/** An outcome from comparisons: their verdicts combined, a reason where they do not all hold. */
export function outcome(measured: string, comparisons: Comparison[], details: string[] = []): FindingOutcome {
  const reason = reasonOf(comparisons);
  return {
    verdict: combineVerdicts(comparisons.map((c) => c.verdict)),
    measured,
    comparisons,
    ...(reason ? { reason } : {}),
    details,
  };
}

const ARMS = ['alpha-0.25', 'alpha-0.5', 'alpha-1'] as const;
const ALPHA: Record<(typeof ARMS)[number], string> = {
  'alpha-0.25': 'α = 0.25',
  'alpha-0.5': 'α = 0.5',
  'alpha-1': 'α = 1',
};

/** Keisha et al.: accuracy drop by α, the stages reached, and when each format's accuracy collapses. */
export function evaluateKnowledgeCollapse(runs: ArmRuns): FindingOutcome {
  const low = runs['alpha-0.25'] ?? [];
  const high = runs['alpha-1'] ?? [];
  const pairs = pairBySeed(low, high);
  const c = compare(
    'accuracy drop, α = 1 − α = 0.25',
    pairs.map(([a, b]) => {
      const x = drop(a);
      const y = drop(b);
      return x === null || y === null ? null : y - x;
    }),
    0.05,
  );
  const drops = ARMS.map(
    (id) => `${ALPHA[id]} ${formatSummary(summarize((runs[id] ?? []).map(drop)), 2)}`,
  ).join(', ');
  const lastAcc = ARMS.map(
    (id) => `${ALPHA[id]} ${formatSummary(summarize((runs[id] ?? []).map((r) => last(r, acc))), 2)}`,
  ).join(', ');
  const measured = `Accuracy drop over the run: ${drops} (last accuracy ${lastAcc}).`;
  const details: string[] = [];
  for (const id of ARMS) {
    const rs = runs[id] ?? [];
    if (!rs.length) continue;
    const reached = (test: (s: string) => boolean) =>
      rs.filter((r) => r.generations.some((g) => test(g.stage))).length;
    const G = rs[0]!.config.generations;
    const b = rs.map((r) => onset(r, (g) => g.stage !== 'A'));
    const cc = rs.map((r) => onset(r, (g) => g.stage === 'C'));
    const seq = rs.map((r) => r.generations.map((g) => g.stage).join('')).join(', ');
    details.push(
      `${ALPHA[id]}: stage B or later reached in ${reached((s) => s !== 'A')} of ${rs.length} seeds ` +
        `(first at generation ${formatOnsets(b, G)}), stage C in ${reached((s) => s === 'C')} (first at ${formatOnsets(cc, G)}); stages per seed: ${seq}.`,
    );
  }
  if (high.length) {
    const formats = [
      ...new Set(high.flatMap((r) => Object.keys(r.generations[0]?.metrics.accuracyByFormat ?? {}))),
    ];
    const G = high[0]!.config.generations;
    const parts = formats.map((f) => {
      const get: MetricGetter = (g) => g.metrics.accuracyByFormat[f] ?? null;
      const first = summarize(high.map((r) => (r.generations[0] ? get(r.generations[0]) : null)));
      const end = summarize(high.map((r) => last(r, get)));
      const on = high.map((r) => onset(r, accuracyCollapsed(r, get)));
      return `${f} ${first.mean.toFixed(2)} → ${end.mean.toFixed(2)}, below 70% of its start at generation ${formatOnsets(on, G)}`;
    });
    details.push(`Accuracy by instruction format at α = 1 (mean over seeds): ${parts.join('; ')}.`);
  }
  return outcome(measured, [c], details);
}

/**
 * Entropy predicted from generation 0 on: H₀ less the sum of each step's predicted loss
 * (the record's closed form is one step, given the model refit on the previous generation's samples,
 * so it alone hides the drift).
 */
export function cumulativeEntropy(g: GenerationRecord, run: RunRecord): number | null {
  let h = run.generations[0]?.metrics.corpusEntropy ?? null;
  for (let k = 1; k <= g.generation && h !== null; k++) {
    const prev = run.generations[k - 1]?.metrics.corpusEntropy ?? null;
    const next = run.generations[k]?.analytic?.entropy ?? null;
    h = prev === null || next === null ? null : h - (prev - next);
  }
  return h;
}

/** Seddik et al.: the unigram model's Gini-Simpson and entropy against their closed forms. */
export function evaluateDrift(rs: readonly RunRecord[]): FindingOutcome {
  const gini = rs.map((r) => {
    const g = r.generations.at(-1);
    return g?.analytic && g.metrics.giniSimpson !== null && g.analytic.giniSimpson !== null
      ? g.metrics.giniSimpson - g.analytic.giniSimpson
      : null;
  });
  // Entropy's closed form is one step from the previous measurement: the residual sums each step's
  // measured minus predicted entropy, i.e. predicted minus measured total loss.
  const entropy = rs.map((r) => {
    let s = 0;
    for (const g of r.generations.slice(1)) {
      if (g.metrics.corpusEntropy === null || !g.analytic || g.analytic.entropy === null) return null;
      s += g.metrics.corpusEntropy - g.analytic.entropy;
    }
    return s;
  });
  const cs = [
    closeTo('Gini-Simpson at the last generation, measured − closed form', gini),
    closeTo('entropy, total predicted − measured loss', entropy),
  ];
  const G = rs[0]?.config.generations ?? 0;
  const lastGini = summarize(rs.map((r) => r.generations.at(-1)?.metrics.giniSimpson ?? null));
  const lastPred = summarize(rs.map((r) => r.generations.at(-1)?.analytic?.giniSimpson ?? null));
  const loss = summarize(
    rs.map((r) => {
      const d = change(r, (g) => g.metrics.corpusEntropy);
      return d === null ? null : -d;
    }),
  );
  const predicted = summarize(
    rs.map((r, i) => {
      const d = change(r, (g) => g.metrics.corpusEntropy);
      return d === null || entropy[i] === null ? null : -d + entropy[i]!;
    }),
  );
  const measured =
    `After ${G} generations (${rs.length} seeds): Gini-Simpson ${formatSummary(lastGini, 4)} against the closed form ` +
    `${formatSummary(lastPred, 4)}; entropy lost ${formatSummary(loss, 3)} nats against a predicted ${formatSummary(predicted, 3)}.`;
  return outcome(measured, cs, [
    `Residuals (mean ± standard error): Gini-Simpson ${cs[0]!.effect.mean.toFixed(4)} ± ${cs[0]!.effect.se.toFixed(4)}, entropy ${cs[1]!.effect.mean.toFixed(3)} ± ${cs[1]!.effect.se.toFixed(3)} nats.`,
  ]);
}

/**
 * Why the bigram and trigram count models have no closed form here, for the page. Within one history h
 * the refit is Wright–Fisher drift on the n_h tokens that followed h in the samples, so each row's
 * Gini-Simpson decays by (1 − 1/n_h) in expectation; but n_h is itself random and set by the chain, the
 * sampled tokens are dependent (not N independent draws), and the word frequencies the metrics measure
 * are the chain's stationary distribution, a nonlinear function of all rows. So neither E[Gini-Simpson]
 * nor the entropy loss of the samples reduces to a function of N and K alone.
 */
export const NO_CLOSED_FORM =
  'Why the bigram and trigram arms have no closed form: within each history h the refit is Wright–Fisher ' +
  'drift on the n_h tokens that followed h, so that row alone loses Gini-Simpson by (1 − 1/n_h) per ' +
  'generation; but n_h is random and set by the chain itself, the sampled tokens are not independent, and ' +
  'the word frequencies measured are the chain’s stationary distribution, a nonlinear function of every ' +
  'row. The dashed lines beside them are the unigram closed forms (N independent draws), drawn to show how ' +
  'far the dependence moves the drift, not as a prediction.';

/**
 * A higher-order count model's drift beside the unigram closed forms the record carries: the residuals
 * (measured − closed form) at the last generation, in standard errors over seeds. Not a verdict.
 */
export function driftBeside(label: string, rs: readonly RunRecord[]): string {
  const c = evaluateDrift(rs).comparisons;
  const sd = (x: Comparison) =>
    x.effect.se > 0 ? `${(Math.abs(x.effect.mean) / x.effect.se).toFixed(1)} standard errors` : 'n/a';
  const lastGini = summarize(rs.map((r) => r.generations.at(-1)?.metrics.giniSimpson ?? null));
  const pred = summarize(rs.map((r) => r.generations.at(-1)?.analytic?.giniSimpson ?? null));
  return (
    `Beside it, not deciding: ${label}: Gini-Simpson ${formatSummary(lastGini, 4)} against the unigram form ` +
    `${formatSummary(pred, 4)} (residual ${formatSummary(c[0]!.effect, 4, true)}, ${sd(c[0]!)} from 0); entropy, ` +
    `total predicted − measured loss ${formatSummary(c[1]!.effect, 3, true)} nats (${sd(c[1]!)}).`
  );
}

/** A histogram pooled over seeds: counts summed per bin. */
function pooled(
  rs: readonly RunRecord[],
  which: 'first' | 'last',
): { edges: number[]; counts: number[] } | null {
  const hs = rs.flatMap((r) => {
    const g = which === 'first' ? r.generations[0] : r.generations.at(-1);
    return g ? [g.metrics.gen0Perplexity.histogram] : [];
  });
  if (!hs.length) return null;
  const counts = hs[0]!.counts.map((_, i) => hs.reduce((s, h) => s + (h.counts[i] ?? 0), 0));
  return { edges: hs[0]!.edges, counts };
}

/** Share of a histogram's mass in bins [from, to). */
const share = (counts: readonly number[], from: number, to: number): number => {
  const total = counts.reduce((a, b) => a + b, 0);
  return total ? counts.slice(from, to).reduce((a, b) => a + b, 0) / total : NaN;
};

/** The first bin whose cumulative share of `counts` reaches q. */
function quantileBin(counts: readonly number[], q: number): number {
  const total = counts.reduce((a, b) => a + b, 0);
  let s = 0;
  for (let i = 0; i < counts.length; i++) {
    s += counts[i]!;
    if (s >= q * total) return i;
  }
  return counts.length - 1;
}

/**
 * Shumailov et al.'s histograms in numbers, pooled over seeds: the share of samples below generation
 * 0's median bin (mass piling at low perplexity) and at or above its 95th-percentile bin (error tail).
 */
export function gen0Histograms(arms: readonly FindingArm[], runs: ArmRuns): string[] {
  return arms.flatMap((a) => {
    const rs = runs[a.id] ?? [];
    const h0 = pooled(rs, 'first');
    const h1 = pooled(rs, 'last');
    if (!h0 || !h1) return [];
    const mid = quantileBin(h0.counts, 0.5);
    const tail = quantileBin(h0.counts, 0.95) + 1;
    const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
    const mean = (which: 'first' | 'last') =>
      summarize(
        rs.map(
          (r) =>
            (which === 'first' ? r.generations[0] : r.generations.at(-1))?.metrics.gen0Perplexity.mean ??
            null,
        ),
      );
    return [
      `${a.label}: perplexity of the samples under generation 0 ${formatSummary(mean('first'), 2)} → ${formatSummary(mean('last'), 2)}; ` +
        `share below generation 0's median bin (< ${h0.edges[mid]!.toFixed(1)}) ${pct(share(h0.counts, 0, mid))} → ${pct(share(h1.counts, 0, mid))}, ` +
        `share beyond its 95th-percentile bin (≥ ${(h0.edges[tail] ?? Infinity).toFixed(1)}) ${pct(share(h0.counts, tail, h0.counts.length))} → ${pct(share(h1.counts, tail, h1.counts.length))}.`,
    ];
  });
}

const head: MetricGetter = (g) => g.metrics.accuracyByPopularity.head;
const tail: MetricGetter = (g) => g.metrics.accuracyByPopularity.tail;

/** Generations until a popularity bucket's accuracy falls below 70% of its generation-0 value; null
 * where generation 0 answered none of the bucket (nothing to fall from). */
function bucketOnset(r: RunRecord, get: MetricGetter): Onset | null {
  const a0 = r.generations[0] ? get(r.generations[0]) : null;
  return a0 === null || a0 <= 0 ? null : onset(r, accuracyCollapsed(r, get));
}

/**
 * Shumailov et al.'s tails: per seed, generations until head accuracy collapses minus until tail
 * accuracy does (positive: the tail goes first; a bucket that never collapses counts one past the run).
 */
export function evaluateRareFacts(rs: readonly RunRecord[]): FindingOutcome {
  const sorted = [...rs].sort((a, b) => a.config.seed - b.config.seed);
  const heads = sorted.map((r) => bucketOnset(r, head));
  const tails = sorted.map((r) => bucketOnset(r, tail));
  const c = compare(
    'generations until collapse, head − tail',
    heads.map((h, i) => (h === null || tails[i] === null ? null : h.generation - tails[i]!.generation)),
    1,
  );
  const G = sorted[0]?.config.generations ?? 0;
  const known = (os: (Onset | null)[]) => os.filter((o): o is Onset => o !== null);
  const at0 = (get: MetricGetter) => formatSummary(summarize(sorted.map((r) => first(r, get))), 2);
  const atEnd = (get: MetricGetter) => formatSummary(summarize(sorted.map((r) => last(r, get))), 2);
  const measured =
    `Generations until accuracy < 70% of its generation-0 value: tail facts ${formatOnsets(known(tails), G)}, ` +
    `head facts ${formatOnsets(known(heads), G)}. Accuracy on tail facts ${at0(tail)} → ${atEnd(tail)}, ` +
    `on head facts ${at0(head)} → ${atEnd(head)}.`;
  const none = tails.filter((t) => t === null).length;
  return outcome(
    measured,
    [c],
    none ? [`${none} of ${sorted.length} seeds answered no tail fact at generation 0: left out.`] : [],
  );
}

/**
 * Keisha et al.'s "confidently wrong": over the run, accuracy falls more than the confidence of the
 * answers does (the model stays as sure while it is right less often), and the share of answers that
 * are wrong yet given with probability ≥ confidenceThreshold rises.
 */
export function evaluateConfidentlyWrong(rs: readonly RunRecord[]): FindingOutcome {
  const sorted = [...rs].sort((a, b) => a.config.seed - b.config.seed);
  const conf: MetricGetter = (g) => g.metrics.answerConfidence;
  const wrong: MetricGetter = (g) => g.metrics.confidentlyWrongRate;
  const cs = [
    compare(
      'accuracy drop − confidence drop',
      sorted.map((r) => {
        const a = change(r, acc);
        const p = change(r, conf);
        return a === null || p === null ? null : p - a;
      }),
      0.05,
    ),
    compare(
      'rise in the confidently-wrong rate',
      sorted.map((r) => change(r, wrong)),
      0.05,
    ),
  ];
  const trend = (get: MetricGetter) =>
    `${formatSummary(summarize(sorted.map((r) => first(r, get))), 2)} → ${formatSummary(summarize(sorted.map((r) => last(r, get))), 2)}`;
  const threshold = sorted[0]?.config.confidenceThreshold ?? NaN;
  const measured =
    `Over the run: accuracy ${trend(acc)}, mean confidence in the answers ${trend(conf)}, ` +
    `share of answers wrong with probability ≥ ${threshold} ${trend(wrong)}.`;
  return outcome(measured, cs);
}

/**
 * What TCE masks: per arm, the share of training targets predicted with probability > γ after each
 * generation's training (the record's confidentTargets), averaged over generations, then over seeds.
 */
export function maskedTargets(arms: readonly FindingArm[], runs: ArmRuns): string {
  const gammas = [0.99, 0.9];
  const pct = (s: Summary) => (s.n ? `${(100 * s.mean).toFixed(1)}%` : 'n/a');
  const parts = arms.map((a) => {
    const shares = gammas.map((gamma) =>
      summarize(
        (runs[a.id] ?? []).map((r) => {
          const xs = r.generations.map((g) => g.metrics.confidentTargets?.[String(gamma)] ?? null);
          return summarize(xs).n ? summarize(xs).mean : null;
        }),
      ),
    );
    return `${a.label}: ${gammas.map((g, i) => `${pct(shares[i]!)} at γ = ${g}`).join(', ')}`;
  });
  return `Training targets the model predicts with p > γ after training (what TCE with that γ masks), mean over generations and seeds: ${parts.join('; ')}.`;
}
