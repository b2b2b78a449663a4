// Every chart, through its Svelte wrapper, on real records from `npm run simulate` (fixtures/), for
// screenshots: `npx vitest run test/charts/gallery.test.ts` writes test-results/charts-*.png.
import { mount, type Component } from 'svelte';
import Chart from '../../src/app/charts/Chart.svelte';
import { create as lossLine } from '../../src/charts/loss-line.ts';
import { create as metricLines } from '../../src/charts/metric-lines.ts';
import { create as perplexityHistogram } from '../../src/charts/perplexity-histogram.ts';
import { create as popularityLines } from '../../src/charts/popularity-lines.ts';
import { create as rankFrequency } from '../../src/charts/rank-frequency.ts';
import { metricPanels, popularityMetrics } from '../../src/charts/panels.ts';
import {
  metricSeries,
  perplexityHistogramsOf,
  stagesOf,
  type RunInput,
} from '../../src/charts/record-series.ts';
import { armChartOptions, armSeries } from '../../src/charts/finding-series.ts';
import { findingById } from '../../src/findings/findings.ts';
import type { RunRecord } from '../../src/sim/record.ts';
import alpha025 from '../../docs/results/runs/knowledge-collapse.alpha-0.25.seed-1.json';
import alpha05 from '../../docs/results/runs/knowledge-collapse.alpha-0.5.seed-1.json';
import alpha1 from '../../docs/results/runs/knowledge-collapse.alpha-1.seed-1.json';
import { DEFAULT_RUN, driftingRankFrequency, NGRAM_ALPHA_025, NGRAM_ALPHA_1 } from './fixtures.ts';

const gallery = document.getElementById('gallery')!;
/** Mounts one chart module through the app's Svelte wrapper, in a figure of its own. */
const place = <O, D>(
  create: (el: HTMLElement, options: O) => { update(data: D): void; destroy(): void; toSvgString(): string },
  options: O,
  data: D,
) => {
  const figure = document.createElement('figure');
  gallery.append(figure);
  mount(Chart as Component<{ create: typeof create; options: O; data: D }>, {
    target: figure,
    props: { create, options, data },
  });
};

const tiny: RunInput[] = [{ label: 'tiny GPT, α = 1', generations: DEFAULT_RUN.generations }];
const ngram: RunInput[] = [
  { label: 'α = 1', generations: NGRAM_ALPHA_1.generations },
  { label: 'α = 0.25', generations: NGRAM_ALPHA_025.generations },
];
const panel = (id: string) => metricPanels.find((p) => p.id === id)!;

for (const [id, runs] of [
  ['accuracy', tiny],
  ['quality', tiny],
  ['entropy', ngram],
  ['perplexity', tiny],
  ['diversity', ngram],
  ['calibration', tiny],
] as const) {
  const p = panel(id);
  place(metricLines, p.options, {
    series: metricSeries(runs, p.metrics(runs[0]!.generations)),
    stages: stagesOf(runs[0]!.generations),
  });
}
place(
  popularityLines,
  {},
  {
    series: metricSeries(tiny, popularityMetrics),
    stages: stagesOf(DEFAULT_RUN.generations),
  },
);
place(lossLine, {}, { generation: 0, losses: DEFAULT_RUN.generations[0]!.losses });
place(rankFrequency, {}, driftingRankFrequency(30));
place(perplexityHistogram, {}, perplexityHistogramsOf(DEFAULT_RUN.generations));

// The findings gallery's small multiples: a finding's three arms (docs/results records), one chart per metric.
const collapse = findingById('knowledge-collapse')!;
const arms = collapse.arms.map((a, i) => ({
  id: a.id,
  label: a.label,
  record: [alpha025, alpha05, alpha1][i] as unknown as RunRecord,
}));
for (const chart of collapse.charts)
  place(metricLines, armChartOptions(chart, 8), { series: armSeries(chart, arms) });

// Charts are built and draw their data in tasks of their own (Chart.svelte): ready once every one has.
const ready = () => {
  const svgs = [...gallery.querySelectorAll('svg[aria-label]')];
  if (
    svgs.length === gallery.childElementCount &&
    svgs.every((s) => !/no data yet|no steps yet/.test(s.getAttribute('aria-label')!))
  )
    requestAnimationFrame(() => (document.body.dataset.ready = 'true'));
  else setTimeout(ready, 20);
};
ready();
