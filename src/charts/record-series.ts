// Pure adapters from run records to the charts' data (no DOM: testable in Node).
import type { GenerationRecord } from '../sim/record.ts';
import type { LineSeries, StagePoint } from './metric-lines.ts';
import type { PerplexityHistogram } from './perplexity-histogram.ts';
import type { RankFrequency } from './rank-frequency.ts';

/** A run as the charts see it: a label for legends and its generations so far. */
export interface RunInput {
  /** e.g. 'α = 0.25' or the run's name. */
  label: string;
  generations: readonly GenerationRecord[];
}

/** One metric to draw: how to read it from a generation. */
export interface MetricSpec {
  /** Stable id, e.g. 'accuracy' or 'format:qa'. */
  key: string;
  label: string;
  /** The value; null when not measured, undefined when the metric does not apply to this run. */
  value: (g: GenerationRecord) => number | null | undefined;
  analytic?: boolean;
  color?: string;
  emphasis?: boolean;
  /** Drawn as a share of the run's first measured value (1 = unchanged), so small drifts are visible. */
  relative?: boolean;
}

/**
 * One series per run and metric, one point per generation. A metric that does not apply to a run at
 * all (e.g. the n-gram closed forms for a GPT run) gives no series for that run.
 */
export function metricSeries(runs: readonly RunInput[], metrics: readonly MetricSpec[]): LineSeries[] {
  return runs.flatMap((run, i) =>
    metrics.flatMap((m) => {
      let values = run.generations.map((g) => m.value(g));
      if (run.generations.length && values.every((v) => v === undefined)) return [];
      if (m.relative) {
        const base = values.find((v): v is number => typeof v === 'number' && Number.isFinite(v) && v !== 0);
        values = values.map((v) => (typeof v === 'number' && base !== undefined ? v / base : null));
      }
      return [
        {
          key: `${i}/${m.key}`,
          label: m.label,
          run: run.label,
          points: run.generations.map((g, j) => ({ generation: g.generation, value: values[j] ?? null })),
          ...(m.analytic ? { analytic: true } : {}),
          ...(m.color ? { color: m.color } : {}),
          ...(m.emphasis ? { emphasis: true } : {}),
        },
      ];
    }),
  );
}

/** The stage of every generation of a run. */
export const stagesOf = (generations: readonly GenerationRecord[]): StagePoint[] =>
  generations.map((g) => ({ generation: g.generation, stage: g.stage }));

/** Each generation's histogram of its samples' perplexity under generation 0. */
export const perplexityHistogramsOf = (generations: readonly GenerationRecord[]): PerplexityHistogram[] =>
  generations.map((g) => ({
    generation: g.generation,
    edges: g.metrics.gen0Perplexity.histogram.edges,
    counts: g.metrics.gen0Perplexity.histogram.counts,
    mean: g.metrics.gen0Perplexity.mean,
  }));

/** Question formats measured in a run, in the order they first appear. */
export const formatsOf = (generations: readonly GenerationRecord[]): string[] => [
  ...new Set(generations.flatMap((g) => Object.keys(g.metrics.accuracyByFormat))),
];

/** One RankFrequency per generation record, so a chart sees the same object for the same generation. */
const rankFrequencies = new WeakMap<GenerationRecord, RankFrequency>();

/**
 * Each generation's word counts, for the rank-frequency chart (generations recorded without them are
 * left out). The same generation always gives the same object, so the chart prepares each one once.
 */
export const rankFrequenciesOf = (generations: readonly GenerationRecord[]): RankFrequency[] =>
  generations.flatMap((g) => {
    if (!g.rankFrequency) return [];
    let r = rankFrequencies.get(g);
    if (!r) rankFrequencies.set(g, (r = { generation: g.generation, frequencies: g.rankFrequency }));
    return [r];
  });
