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
    explanation:
      'How many probe facts each generation still knows, overall and per question format (the same fact asked as a statement, a question, an instruction).',
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
    options: {
      title: 'Entropy, against generation 0',
      yLabel: 'share of generation 0’s entropy (100% = unchanged)',
      format: percent,
    },
    explanation:
      'Entropy: how unpredictable the next word is (in nats, natural-log units; 1 nat ≈ 1.44 bits), each line as a share of its generation-0 value. Below 100%: the model and its text concentrate on fewer words; above: they grow more random.',
    analyticNote: ANALYTIC_NOTE,
    metrics: () =>
      [
        { key: 'model', label: 'model', value: (g: GenerationRecord) => g.metrics.modelEntropy, color: blue },
        {
          key: 'samples',
          label: 'samples',
          value: (g: GenerationRecord) => g.metrics.sampleEntropy,
          color: orange,
        },
        {
          key: 'corpus',
          label: 'corpus',
          value: (g: GenerationRecord) => g.metrics.corpusEntropy,
          color: green,
        },
        {
          key: 'corpus:analytic',
          label: 'corpus, closed form',
          value: (g: GenerationRecord) => g.analytic?.entropy,
          color: green,
          analytic: true,
        },
      ].map((m) => ({ ...m, relative: true })),
  },
  {
    id: 'perplexity',
    options: { title: 'Perplexity', yLabel: 'perplexity (log scale, lower is better)', yScale: 'log' },
    explanation:
      'Perplexity: how surprised a model is by a text (the number of words it was torn between, on average). Real text: the model on held-out real documents — rising means it is losing real language. Samples under generation 0: the first model on this generation’s own text — rising means the text drifts away, falling that it grows repetitive and predictable.',
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
    options: {
      title: 'Diversity, against generation 0',
      yLabel: 'share of generation 0’s diversity (100% = unchanged)',
      format: percent,
    },
    explanation:
      'Gini–Simpson: the chance that two random words of the text differ. Distinct-n: different n-word sequences as a share of all of them. Each as a share of its generation-0 value: below 100%, the text repeats itself more.',
    analyticNote: ANALYTIC_NOTE,
    metrics: () =>
      [
        {
          key: 'gini',
          label: 'Gini–Simpson',
          value: (g: GenerationRecord) => g.metrics.giniSimpson,
          color: blue,
        },
        {
          key: 'gini:analytic',
          label: 'Gini–Simpson, closed form',
          value: (g: GenerationRecord) => g.analytic?.giniSimpson,
          color: blue,
          analytic: true,
        },
        {
          key: 'distinct1',
          label: 'distinct-1',
          value: (g: GenerationRecord) => g.metrics.distinct1,
          color: orange,
        },
        {
          key: 'distinct2',
          label: 'distinct-2',
          value: (g: GenerationRecord) => g.metrics.distinct2,
          color: green,
        },
      ].map((m) => ({ ...m, relative: true })),
  },
  {
    id: 'calibration',
    options: { title: 'Confidence', yLabel: 'probability (0–1)', yDomain: [0, 1] },
    explanation:
      'Answer confidence: the mean probability the model gives its own answers. Calibration error (ECE): how far that confidence is from how often it is right — rising means confidently wrong.',
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
