// A finding's arms side by side (the lab's findings gallery): one small chart per metric the finding is
// decided by, one line per arm in the arm's own colour, and the closed form dashed in that colour where
// the finding has one. Pure: from run records, as the results page draws the same charts.
import type { FindingChart } from '../sim/finding-types.ts';
import type { RunRecord } from '../sim/record.ts';
import type { LineSeries, MetricLinesOptions } from './metric-lines.ts';
import { LINE_COLORS } from './palette.ts';

/** One arm: its label and its run so far (null: not run yet). */
export interface ArmRun {
  id: string;
  label: string;
  record: RunRecord | null;
}

/** The colour of the finding's i-th arm: fixed by its place in the finding, whichever arms have run. */
export const armColor = (i: number): string => LINE_COLORS[i % LINE_COLORS.length]!;

/** The chart's lines: each arm that has generations, then its closed form when the chart has one. */
export function armSeries(chart: FindingChart, arms: readonly ArmRun[]): LineSeries[] {
  return arms.flatMap(({ id, label, record }, i) => {
    if (!record?.generations.length) return [];
    const color = armColor(i);
    const measured: LineSeries = {
      key: `${id}/${chart.key}`,
      label,
      points: record.generations.map((g) => ({ generation: g.generation, value: chart.get(g) })),
      color,
    };
    const analytic = chart.analytic;
    if (!analytic) return [measured];
    return [
      measured,
      {
        key: `${id}/${chart.key}:closed-form`,
        label: arms.length > 1 ? `${label}: closed form` : 'closed form',
        points: record.generations.map((g) => ({ generation: g.generation, value: analytic(g, record) })),
        color,
        analytic: true,
      },
    ];
  });
}

/**
 * The options of a chart of arms: the metric as its title (a parenthesis in it, e.g. what the dashed line
 * is, goes on the line below, so a small chart's title fits), the generations of the finding's runs.
 */
export function armChartOptions(chart: FindingChart, generations: number): MetricLinesOptions {
  const [, name = chart.title, note = ''] = /^(.*?)\s*(?:\((.*)\))?$/.exec(chart.title) ?? [];
  return {
    title: name.charAt(0).toUpperCase() + name.slice(1),
    yLabel: note,
    xDomain: [0, generations],
    plotHeight: 140,
  };
}
