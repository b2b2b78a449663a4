// Exposes the chart modules and their adapters on window.charts for the browser tests to drive.
import { svgToPngBlob } from '../../src/charts/export.ts';
import { create as lossLine } from '../../src/charts/loss-line.ts';
import { create as metricLines } from '../../src/charts/metric-lines.ts';
import { metricPanels, popularityMetrics } from '../../src/charts/panels.ts';
import { create as perplexityHistogram } from '../../src/charts/perplexity-histogram.ts';
import { create as popularityLines } from '../../src/charts/popularity-lines.ts';
import { create as rankFrequency } from '../../src/charts/rank-frequency.ts';
import { metricSeries, perplexityHistogramsOf, stagesOf } from '../../src/charts/record-series.ts';
import * as inspect from './inspect.ts';

export const charts = {
  metricLines,
  popularityLines,
  lossLine,
  rankFrequency,
  perplexityHistogram,
  svgToPngBlob,
  metricSeries,
  stagesOf,
  perplexityHistogramsOf,
  metricPanels,
  popularityMetrics,
  inspect,
};
export type Charts = typeof charts;

declare global {
  interface Window {
    charts: Charts;
    /** Empties the mount point and returns a fresh container `width` pixels wide. */
    newMount(width?: number): HTMLDivElement;
  }
}

window.charts = charts;
window.newMount = (width = 640) => {
  const mount = document.getElementById('mount')!;
  mount.replaceChildren();
  mount.style.width = `${width}px`;
  const div = document.createElement('div');
  mount.append(div);
  return div;
};
document.body.dataset.ready = 'true';
