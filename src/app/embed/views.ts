// What the embed can show, one chart at a time: the paper's headline (accuracy falls while fluency
// holds) first, then rare facts, entropy, diversity (with the closed forms for count models) and word
// frequencies. Pure: the data of each view comes from run records.
import { metricPanels, popularityMetrics } from '../../charts/panels.ts';
import { LINE_COLORS } from '../../charts/palette.ts';
import {
  metricSeries,
  rankFrequenciesOf,
  stagesOf,
  type MetricSpec,
  type RunInput,
} from '../../charts/record-series.ts';
import type { MetricLinesData, MetricLinesOptions } from '../../charts/metric-lines.ts';
import type { RankFrequency } from '../../charts/rank-frequency.ts';
import type { GenerationRecord } from '../../sim/record.ts';

export type ViewId = 'story' | 'popularity' | 'entropy' | 'diversity' | 'rank-frequency';

export interface View {
  id: ViewId;
  /** Label of the view's button. */
  label: string;
  explanation: string;
}

export const views: readonly View[] = [
  {
    id: 'story',
    label: 'Accuracy vs fluency',
    explanation:
      'Accuracy: share of probe questions answered right. Fluency: share of generated sentences that are grammatical. Knowledge collapse is accuracy falling while fluency holds.',
  },
  {
    id: 'popularity',
    label: 'Rare facts',
    explanation:
      'Accuracy on facts about the most (head), middling (torso) and least (tail) mentioned entities: rare facts are forgotten first.',
  },
  {
    id: 'entropy',
    label: 'Entropy',
    explanation: metricPanels.find((p) => p.id === 'entropy')!.explanation,
  },
  {
    id: 'diversity',
    label: 'Diversity',
    explanation: metricPanels.find((p) => p.id === 'diversity')!.explanation,
  },
  {
    id: 'rank-frequency',
    label: 'Word frequencies',
    explanation:
      'Each generation’s words by how common they are (log–log): the curve shortens as rare words vanish.',
  },
];

const [blue, , green] = LINE_COLORS as [string, string, string];

/** The headline: overall accuracy and fluency of each run. */
const storyMetrics: MetricSpec[] = [
  { key: 'accuracy', label: 'accuracy', value: (g) => g.metrics.accuracy, color: blue, emphasis: true },
  { key: 'fluency', label: 'fluency', value: (g) => g.metrics.fluency, color: green },
];

const panelOptions = (id: string) => metricPanels.find((p) => p.id === id)!.options;
/** Options of the views drawn by the metric-lines chart (constants: a chart is re-created when they change). */
export const lineOptions: Readonly<Record<'story' | 'entropy' | 'diversity', MetricLinesOptions>> = {
  story: { title: 'Accuracy and fluency', yLabel: 'share (0–1)', yDomain: [0, 1] },
  entropy: panelOptions('entropy'),
  diversity: panelOptions('diversity'),
};
export const popularityOptions: Partial<MetricLinesOptions> = {};

/** Data of a per-generation view: the run on screen (stages shaded) and, for the headline, its peer. */
export function viewData(
  id: Exclude<ViewId, 'rank-frequency'>,
  main: RunInput,
  compare: RunInput | null,
): MetricLinesData {
  const stages = stagesOf(main.generations);
  if (id === 'story') {
    const runs = compare?.generations.length ? [main, compare] : [main];
    return { series: metricSeries(runs, storyMetrics), stages };
  }
  if (id === 'popularity') return { series: metricSeries([main], popularityMetrics), stages };
  const panel = metricPanels.find((p) => p.id === id)!;
  return { series: metricSeries([main], panel.metrics(main.generations)), stages };
}

export const rankData = (generations: readonly GenerationRecord[]): RankFrequency[] =>
  rankFrequenciesOf(generations);
