// A finding's arms side by side (the lab's findings gallery): one small chart per metric the finding is
// decided by, one line per arm in the arm's own colour, and the closed form dashed in that colour where
// the finding has one. Pure: from run records, as the results page draws the same charts.
import type { FindingChart } from '../findings/types.ts';
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

/** Most arms one small chart draws: more lines than that are not read across a room. */
export const MAX_ARMS_PER_CHART = 3;

/**
 * The finding's arms in groups of at most MAX_ARMS_PER_CHART, each with the index of its first arm (for
 * its colours): all together when they fit, else in pairs in the finding's order (each pair is one
 * comparison, e.g. the general and the domain-specific loop at one α).
 */
export function armGroups<T>(arms: readonly T[]): { first: number; arms: T[] }[] {
  if (arms.length <= MAX_ARMS_PER_CHART) return [{ first: 0, arms: [...arms] }];
  const groups: { first: number; arms: T[] }[] = [];
  for (let i = 0; i < arms.length; i += 2) groups.push({ first: i, arms: arms.slice(i, i + 2) });
  return groups;
}

/**
 * The chart's lines: each arm that has generations, then its closed form when the chart has one. `first`
 * is the finding's index of the first of `arms`, so an arm keeps its colour in whichever group it is drawn.
 */
export function armSeries(chart: FindingChart, arms: readonly ArmRun[], first = 0): LineSeries[] {
  return arms.flatMap(({ id, label, record }, i) => {
    if (!record?.generations.length) return [];
    const color = armColor(first + i);
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
