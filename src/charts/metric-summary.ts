// The text a screen reader hears for a metric chart (its aria-label): each series' first and last value
// and the stages.
import type { Stage } from '../sim/stages.ts';
import type { LineSeries, MetricLinesOptions } from './metric-lines-types.ts';

/** The chart's accessible summary: what it shows, each line's first and last value, and the stages. */
export function summary(
  o: MetricLinesOptions,
  series: readonly LineSeries[],
  spans: readonly { stage: Stage; first: number; last: number }[],
  fmt: (v: number) => string,
  /** What each stage is called, said after its letter. */
  names: Readonly<Record<Stage, string>>,
): string {
  if (!series.length) return `${o.title}: no data yet.`;
  const parts = series.slice(0, 12).map((s) => {
    const pts = s.points.filter((p) => p.value !== null && Number.isFinite(p.value));
    const name = s.run ? `${s.label} (${s.run})` : s.label;
    if (!pts.length) return `${name}: not measured`;
    const a = pts[0]!;
    const b = pts.at(-1)!;
    return `${name}: ${fmt(a.value!)} at generation ${a.generation}, ${fmt(b.value!)} at generation ${b.generation}`;
  });
  const stages = spans.map(
    (s) =>
      `${s.stage} (${names[s.stage]}) ${s.first === s.last ? `at ${s.first}` : `from ${s.first} to ${s.last}`}`,
  );
  return `${o.title}, ${o.yLabel}, by generation. ${parts.join('; ')}.${stages.length ? ` Stages: ${stages.join(', ')}.` : ''}`;
}
