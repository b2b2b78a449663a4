// Every chart, through its Svelte wrapper, on real records from `npm run simulate` (fixtures/), for
// screenshots: `npx vitest run test/charts/gallery.test.ts` writes test-results/charts-*.png.
import { mount, type Component } from 'svelte';
import LossChart from '../../src/app/charts/LossChart.svelte';
import MetricLinesChart from '../../src/app/charts/MetricLinesChart.svelte';
import PerplexityHistogramChart from '../../src/app/charts/PerplexityHistogramChart.svelte';
import PopularityChart from '../../src/app/charts/PopularityChart.svelte';
import RankFrequencyChart from '../../src/app/charts/RankFrequencyChart.svelte';
import { metricPanels, popularityMetrics } from '../../src/charts/panels.ts';
import {
  metricSeries,
  perplexityHistogramsOf,
  stagesOf,
  type RunInput,
} from '../../src/charts/record-series.ts';
import { DEFAULT_RUN, driftingRankFrequency, NGRAM_ALPHA_025, NGRAM_ALPHA_1 } from './fixtures.ts';

const gallery = document.getElementById('gallery')!;
const place = <P extends Record<string, unknown>>(component: Component<P>, props: P) => {
  const figure = document.createElement('figure');
  gallery.append(figure);
  mount(component, { target: figure, props });
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
  place(MetricLinesChart, {
    options: p.options,
    data: {
      series: metricSeries(runs, p.metrics(runs[0]!.generations)),
      stages: stagesOf(runs[0]!.generations),
    },
  });
}
place(PopularityChart, {
  data: { series: metricSeries(tiny, popularityMetrics), stages: stagesOf(DEFAULT_RUN.generations) },
});
place(LossChart, { data: { generation: 0, losses: DEFAULT_RUN.generations[0]!.losses } });
place(RankFrequencyChart, { data: driftingRankFrequency(30) });
place(PerplexityHistogramChart, { data: perplexityHistogramsOf(DEFAULT_RUN.generations) });

requestAnimationFrame(() => requestAnimationFrame(() => (document.body.dataset.ready = 'true')));
