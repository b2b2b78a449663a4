// The data and options of the per-generation line chart (metric-lines.ts), apart from its drawing so
// that the modules it draws with (marks.ts, metric-summary.ts) can name them without importing it.
import type { Stage } from '../sim/stages.ts';

/** A metric's value at one generation; null where it was not measured. */
export interface MetricPoint {
  generation: number;
  value: number | null;
}

/** One line: a metric of one run. */
export interface LineSeries {
  /** Unique and stable across updates, e.g. 'α = 0.25/accuracy'. */
  key: string;
  /** What is measured, e.g. 'accuracy (qa)'. */
  label: string;
  /** The run it belongs to, when several runs are overlaid (e.g. 'α = 0.25'). */
  run?: string;
  points: readonly MetricPoint[];
  /** A closed-form prediction, drawn dashed beside its measurement. */
  analytic?: boolean;
  /** Stroke colour (default: Okabe–Ito, by the order labels first appear). */
  color?: string;
  /** A thicker line (e.g. overall accuracy among its parts). */
  emphasis?: boolean;
}

/** The stage one generation was labelled with. */
export interface StagePoint {
  generation: number;
  stage: Stage;
}

export interface MetricLinesData {
  series: readonly LineSeries[];
  /** Stages of one run, shaded behind the lines. */
  stages?: readonly StagePoint[];
}

export interface MetricLinesOptions {
  title: string;
  /** What the y axis measures, with its units, e.g. 'accuracy (fraction of probe questions)'. */
  yLabel: string;
  xLabel?: string;
  /**
   * Generations the x axis spans at least (default: those in the data). A replay fixes them from its
   * first frame, so its lines grow across the frame instead of the axis stretching under them.
   */
  xDomain?: readonly [number, number];
  /** Fixed y domain (default: the data's extent, padded to nice values). */
  yDomain?: readonly [number, number];
  yScale?: 'linear' | 'log';
  /** Extend an automatic y domain down to 0. */
  includeZero?: boolean;
  /** Formats values in the read-out (default: 3 significant digits). */
  format?: (value: number) => string;
  /** Height of the plot area (default: from the width, 150–240 px). */
  plotHeight?: number;
  /** Show what the stages mean in the legend (default true when stages are given). */
  stageLegend?: boolean;
  /** Label each line at its last point, besides the legend. */
  directLabels?: boolean;
}
