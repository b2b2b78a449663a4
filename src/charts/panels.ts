// The per-generation charts the lab shows: which metrics each draws, its title, axis and units.
import type { GenerationRecord } from '../sim/record.ts';
import type { MetricLinesOptions } from './metric-lines.ts';
import { LINE_COLORS } from './palette.ts';
import { POPULARITY_COLORS } from './popularity-lines.ts';
import { formatsOf, type MetricSpec } from './record-series.ts';

/** A metric-lines chart: its options and the metrics it draws (some depend on the run, e.g. formats). */
export interface MetricPanel {
  id: string;
  options: MetricLinesOptions;
  metrics(generations: readonly GenerationRecord[]): MetricSpec[];
  /** One sentence on what to look for, for the teaching notes. */
  explanation: string;
  /** Said after the explanation when the chart draws a closed form (n-gram runs). */
  analyticNote?: string;
}

const ANALYTIC_NOTE = 'The dashed line is the closed form for a count model.';

const [blue, orange, green, vermilion, purple, sky, , text] = LINE_COLORS as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

/** The metric panels, in the order the lab shows them. */
export const metricPanels: readonly MetricPanel[] = [
  {
    id: 'accuracy',
    options: {
      title: 'Accuracy',
      yLabel: 'accuracy (fraction of probe questions answered right)',
      yDomain: [0, 1],
      format: percent,
    },
    explanation: 'How many probe facts each generation still knows, overall and per question format.',
    metrics: (gens) => [
      { key: 'accuracy', label: 'overall', value: (g) => g.metrics.accuracy, color: text, emphasis: true },
      ...formatsOf(gens).map((f, i) => ({
        key: `format:${f}`,
        label: f,
        value: (g: GenerationRecord) => g.metrics.accuracyByFormat[f] ?? null,
        color: [blue, orange, green, purple, sky][i % 5]!,
      })),
    ],
  },
  {
    id: 'quality',
    options: {
      title: 'Fluency and errors',
      yLabel: 'rate (fraction of samples or answers)',
      yDomain: [0, 1],
      format: percent,
    },
    explanation:
      'Fluency: grammatical samples. Hallucination: samples stating false facts. Confidently wrong: wrong answers given with high probability.',
    metrics: () => [
      { key: 'fluency', label: 'fluency', value: (g) => g.metrics.fluency, color: green },
      {
        key: 'hallucination',
        label: 'hallucination',
        value: (g) => g.metrics.hallucinationRate,
        color: vermilion,
      },
      {
        key: 'confidentlyWrong',
        label: 'confidently wrong',
        value: (g) => g.metrics.confidentlyWrongRate,
        color: purple,
      },
    ],
  },
  {
    id: 'entropy',
    options: { title: 'Entropy', yLabel: 'entropy (nats per token)', includeZero: true },
    explanation: 'Falling entropy means the model and its samples concentrate on fewer words.',
    analyticNote: ANALYTIC_NOTE,
    metrics: () => [
      { key: 'model', label: 'model', value: (g) => g.metrics.modelEntropy, color: blue },
      { key: 'samples', label: 'samples', value: (g) => g.metrics.sampleEntropy, color: orange },
      { key: 'corpus', label: 'corpus', value: (g) => g.metrics.corpusEntropy, color: green },
      {
        key: 'corpus:analytic',
        label: 'corpus, closed form',
        value: (g) => g.analytic?.entropy,
        color: green,
        analytic: true,
      },
    ],
  },
  {
    id: 'perplexity',
    options: { title: 'Perplexity', yLabel: 'perplexity (log scale, lower is better)', yScale: 'log' },
    explanation:
      'Real text: how surprised the model is by held-out real documents. Samples under generation 0: how strange its own text looks to the first model.',
    metrics: () => [
      { key: 'real', label: 'real text', value: (g) => g.metrics.realPerplexity, color: blue },
      {
        key: 'gen0',
        label: 'samples under generation 0',
        value: (g) => g.metrics.gen0Perplexity.mean,
        color: orange,
      },
    ],
  },
  {
    id: 'diversity',
    options: { title: 'Diversity', yLabel: 'diversity (0 = one word, 1 = all different)', yDomain: [0, 1] },
    explanation: 'Gini–Simpson: chance two random tokens differ. Distinct-n: share of unique n-grams.',
    analyticNote: ANALYTIC_NOTE,
    metrics: () => [
      { key: 'gini', label: 'Gini–Simpson', value: (g) => g.metrics.giniSimpson, color: blue },
      {
        key: 'gini:analytic',
        label: 'Gini–Simpson, closed form',
        value: (g) => g.analytic?.giniSimpson,
        color: blue,
        analytic: true,
      },
      { key: 'distinct1', label: 'distinct-1', value: (g) => g.metrics.distinct1, color: orange },
      { key: 'distinct2', label: 'distinct-2', value: (g) => g.metrics.distinct2, color: green },
    ],
  },
  {
    id: 'calibration',
    options: { title: 'Confidence', yLabel: 'probability (0–1)', yDomain: [0, 1] },
    explanation:
      'Answer confidence: mean probability the model gives its answers. ECE: the gap between confidence and accuracy.',
    metrics: () => [
      {
        key: 'confidence',
        label: 'answer confidence',
        value: (g) => g.metrics.answerConfidence,
        color: blue,
      },
      { key: 'ece', label: 'calibration error (ECE)', value: (g) => g.metrics.ece, color: vermilion },
    ],
  },
];

/**
 * The story in one chart (the lab's primary chart, the embed's headline): overall accuracy and fluency.
 * Knowledge collapse is the first falling while the second holds.
 */
export const storyMetrics: readonly MetricSpec[] = [
  { key: 'accuracy', label: 'accuracy', value: (g) => g.metrics.accuracy, color: blue, emphasis: true },
  { key: 'fluency', label: 'fluency', value: (g) => g.metrics.fluency, color: green, emphasis: true },
];

/** The primary chart's options, less its height (set from the screen). */
export const storyOptions: MetricLinesOptions = {
  title: 'Accuracy and fluency',
  yLabel: 'share of questions right · of sentences grammatical',
  yDomain: [0, 1],
  format: percent,
};

/** Accuracy by popularity: head, torso and tail facts (for popularity-lines.ts). */
export const popularityMetrics: readonly MetricSpec[] = (['head', 'torso', 'tail'] as const).map((p) => ({
  key: `popularity:${p}`,
  label: p,
  value: (g: GenerationRecord) => g.metrics.accuracyByPopularity[p],
  color: POPULARITY_COLORS[p],
}));
