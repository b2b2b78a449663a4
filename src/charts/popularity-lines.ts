// Accuracy by how often an entity is mentioned (head, torso, tail) across generations: the tail's
// facts are seen least, so they die first. A metric-lines chart with its own axis and end labels.
import {
  create as createMetricLines,
  type MetricLinesChart,
  type MetricLinesOptions,
} from './metric-lines.ts';
import { PALETTE } from './palette.ts';

/** Colours of the popularity groups: dark blue for the head, orange for the torso, vermilion for the tail. */
export const POPULARITY_COLORS = { head: PALETTE[0], torso: PALETTE[1], tail: PALETTE[3] } as const;

export type PopularityLinesOptions = Partial<MetricLinesOptions>;

/**
 * Creates the chart inside `el`. Its data is a metric-lines chart's: one series per popularity group
 * and run (metricSeries of popularityMetrics, panels.ts), and the stages.
 */
export function create(el: HTMLElement, options: PopularityLinesOptions = {}): MetricLinesChart {
  return createMetricLines(el, {
    title: 'Accuracy by popularity',
    yLabel: 'accuracy (fraction of probe facts answered right)',
    yDomain: [0, 1],
    directLabels: true,
    ...options,
  });
}
