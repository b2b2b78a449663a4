// The charts' DOM-free parts in Node: adapters from records, panels, downsampling, outlines, palettes,
// and the CLI's SVG string renderer.
import { describe, expect, it } from 'vitest';
import { downsample } from '../../src/charts/loss-line.ts';
import { stageSpans } from '../../src/charts/marks.ts';
import {
  contrastRatio,
  generationColor,
  isLightColor,
  LINE_COLORS,
  PALETTE,
  relativeLuminance,
  STAGE_COLORS,
  STAGE_CONTRAST,
} from '../../src/charts/palette.ts';
import { metricPanels, popularityMetrics } from '../../src/charts/panels.ts';
import { histogramOutline } from '../../src/charts/perplexity-histogram.ts';
import { pickEvenly } from '../../src/charts/pick-evenly.ts';
import { nearestIndex } from '../../src/charts/readout.ts';
import {
  formatsOf,
  metricSeries,
  perplexityHistogramsOf,
  rankFrequenciesOf,
  stagesOf,
  type MetricSpec,
} from '../../src/charts/record-series.ts';
import { lineChartSvg } from '../../src/charts/svg-line-chart.ts';
import { DEFAULT_RUN, NGRAM_ALPHA_1, STAGED } from './fixtures.ts';

const panel = (id: string) => metricPanels.find((p) => p.id === id)!;

describe('metricSeries', () => {
  it('gives one series per run and metric, one point per generation, null where not measured', () => {
    const runs = [
      { label: 'a', generations: STAGED },
      { label: 'b', generations: STAGED.slice(0, 3) },
    ];
    const series = metricSeries(runs, panel('quality').metrics(STAGED));
    expect(series.map((s) => s.key)).toEqual([
      '0/fluency',
      '0/hallucination',
      '0/confidentlyWrong',
      '1/fluency',
      '1/hallucination',
      '1/confidentlyWrong',
    ]);
    expect(series.map((s) => s.run)).toEqual(['a', 'a', 'a', 'b', 'b', 'b']);
    expect(series[0]!.points.map((p) => p.generation)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(series[0]!.points[4]!.value).toBeNull();
    expect(series[0]!.points[3]!.value).toBeCloseTo(0.8, 12);
    expect(series[3]!.points).toHaveLength(3);
  });

  it('leaves out the closed forms for a run that has none (a GPT) and keeps them for the n-gram model', () => {
    const entropy = panel('entropy');
    const gpt = metricSeries([{ label: 'gpt', generations: DEFAULT_RUN.generations }], entropy.metrics([]));
    expect(gpt.map((s) => s.key)).toEqual(['0/model', '0/samples', '0/corpus']);
    const ngram = metricSeries(
      [{ label: 'ngram', generations: NGRAM_ALPHA_1.generations }],
      entropy.metrics([]),
    );
    expect(ngram.map((s) => s.key)).toContain('0/corpus:analytic');
    // Drawn as a share of generation 0's value, like the measurements beside it.
    const analytic = ngram.find((s) => s.analytic)!;
    const closed = NGRAM_ALPHA_1.generations.map((g) => g.analytic!.entropy);
    analytic.points.forEach((p, i) => expect(p.value).toBeCloseTo(closed[i]! / closed[0]!, 12));
    expect(analytic.points[0]!.value).toBe(1);
  });

  it('draws a relative metric as a share of the run’s first measured value, each run its own', () => {
    const spec: MetricSpec = {
      key: 'gini',
      label: 'g',
      value: (g) => [null, 0.5, 0.25, 0.4][g.generation],
      relative: true,
    };
    const gens = [0, 1, 2, 3].map((generation) => ({ ...DEFAULT_RUN.generations[0]!, generation }));
    const [a, b] = metricSeries(
      [
        { label: 'a', generations: gens },
        { label: 'b', generations: gens.slice(2) },
      ],
      [spec],
    );
    expect(a!.points.map((p) => p.value)).toEqual([null, 1, 0.5, 0.8]);
    expect(b!.points.map((p) => p.value)).toEqual([1, 1.6]);
  });

  it('reads accuracy by format for the formats the run has, and popularity head/torso/tail', () => {
    expect(formatsOf(DEFAULT_RUN.generations)).toEqual(['declarative', 'qa', 'instruction']);
    const accuracy = metricSeries(
      [{ label: 'r', generations: DEFAULT_RUN.generations }],
      panel('accuracy').metrics(DEFAULT_RUN.generations),
    );
    expect(accuracy.map((s) => s.label)).toEqual(['overall', 'declarative', 'qa', 'instruction']);
    expect(accuracy[2]!.points.map((p) => p.value)).toEqual(
      DEFAULT_RUN.generations.map((g) => g.metrics.accuracyByFormat.qa),
    );
    const popularity = metricSeries([{ label: 'r', generations: STAGED }], popularityMetrics);
    expect(popularity.map((s) => s.label)).toEqual(['head', 'torso', 'tail']);
    expect(popularity[2]!.points.map((p) => p.value)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      0.05,
      null,
    ]);
  });

  it('stagesOf and perplexityHistogramsOf copy the record', () => {
    expect(
      stagesOf(STAGED)
        .map((s) => s.stage)
        .join(''),
    ).toBe('AAABBBCC');
    const h = perplexityHistogramsOf(STAGED);
    expect(h[2]).toEqual({
      generation: 2,
      edges: STAGED[2]!.metrics.gen0Perplexity.histogram.edges,
      counts: STAGED[2]!.metrics.gen0Perplexity.histogram.counts,
      mean: 6,
    });
  });

  it('rankFrequenciesOf gives the same object for the same generation and skips those without counts', () => {
    const gens = STAGED.slice(0, 3).map((g, i) => ({ ...g, rankFrequency: i === 1 ? undefined : [5, 3, 1] }));
    const a = rankFrequenciesOf(gens);
    expect(a).toEqual([
      { generation: 0, frequencies: [5, 3, 1] },
      { generation: 2, frequencies: [5, 3, 1] },
    ]);
    const b = rankFrequenciesOf(gens);
    expect(b[0]).toBe(a[0]);
    expect(b[1]).toBe(a[1]);
  });
});

describe('stageSpans', () => {
  it('merges consecutive generations of one stage, in generation order', () => {
    expect(
      stageSpans([
        { generation: 2, stage: 'B' },
        { generation: 0, stage: 'A' },
        { generation: 1, stage: 'A' },
        { generation: 3, stage: 'A' },
      ]),
    ).toEqual([
      { stage: 'A', first: 0, last: 1 },
      { stage: 'B', first: 2, last: 2 },
      { stage: 'A', first: 3, last: 3 },
    ]);
    expect(stageSpans([])).toEqual([]);
  });
});

describe('downsample', () => {
  it('keeps every step when they fit, and summarises equal runs of steps when not', () => {
    expect(downsample([3, 1, 2], 10).map((b) => [b.start, b.end, b.mean])).toEqual([
      [0, 1, 3],
      [1, 2, 1],
      [2, 3, 2],
    ]);
    const values = Array.from({ length: 10 }, (_, i) => i);
    const b = downsample(values, 4); // size ⌈10 / 4⌉ = 3
    expect(b).toEqual([
      { start: 0, end: 3, mean: 1, min: 0, max: 2 },
      { start: 3, end: 6, mean: 4, min: 3, max: 5 },
      { start: 6, end: 9, mean: 7, min: 6, max: 8 },
      { start: 9, end: 10, mean: 9, min: 9, max: 9 },
    ]);
  });

  it('skips non-finite losses and leaves an empty bucket undefined', () => {
    expect(downsample([NaN, 4, NaN, NaN], 2)).toEqual([
      { start: 0, end: 2, mean: 4, min: 4, max: 4 },
      { start: 2, end: 4, mean: null, min: null, max: null },
    ]);
    expect(downsample(new Float64Array(10_000).fill(1), 500)).toHaveLength(500);
  });
});

describe('histogramOutline', () => {
  it('rises at the first edge, runs across each bin and falls at the last edge', () => {
    expect(histogramOutline([1, 10, 100], [0.25, 0.75])).toEqual([
      [1, 0],
      [1, 0.25],
      [10, 0.75],
      [100, 0.75],
      [100, 0],
    ]);
    expect(histogramOutline([1], [])).toEqual([]);
  });
});

describe('pickEvenly and nearestIndex', () => {
  it('pickEvenly keeps the first and the last and spreads the rest', () => {
    expect(pickEvenly(5, 10)).toEqual([0, 1, 2, 3, 4]);
    expect(pickEvenly(11, 3)).toEqual([0, 5, 10]);
    expect(pickEvenly(200, 40)).toHaveLength(40);
    expect(pickEvenly(200, 40).at(-1)).toBe(199);
    expect(pickEvenly(0, 3)).toEqual([]);
    expect(pickEvenly(7, 1)).toEqual([6]);
  });

  it('nearestIndex finds the closest position', () => {
    const positions = [0, 10, 20, 40];
    expect([-5, 4, 6, 29, 31, 100].map((x) => nearestIndex(positions, x))).toEqual([0, 0, 1, 2, 3, 3]);
  });
});

describe('palette', () => {
  it('is Okabe–Ito, with black drawn in the text colour on screen', () => {
    expect(PALETTE).toEqual([
      '#0072B2',
      '#E69F00',
      '#009E73',
      '#D55E00',
      '#CC79A7',
      '#56B4E9',
      '#F0E442',
      '#000000',
    ]);
    expect(LINE_COLORS.at(-1)).toBe('currentColor');
  });

  it('tells light text from dark, and colours generations from dark to light', () => {
    expect(isLightColor('rgb(232, 232, 234)')).toBe(true);
    expect(isLightColor('rgb(27, 27, 31)')).toBe(false);
    // Viridis runs dark purple → yellow; the light page cuts the palest end, the dark page the darkest.
    expect(generationColor(0, 10)).toBe('#440154');
    expect(generationColor(10, 10, true)).toBe('#fde725');
    expect(generationColor(0, 10, true)).not.toBe(generationColor(0, 10));
  });

  it('measures contrast as WCAG 2 defines it', () => {
    expect(relativeLuminance('#FFFFFF')).toBe(1);
    expect(relativeLuminance('rgb(0, 0, 0)')).toBe(0);
    // sRGB 128 → ((128/255 + 0.055) / 1.055)^2.4 = 0.21586
    expect(relativeLuminance('#808080')).toBeCloseTo(0.21586, 4);
    expect(contrastRatio('#000000', '#FFFFFF')).toBe(21);
    expect(contrastRatio('#808080', '#FFFFFF')).toBeCloseTo(1.05 / 0.26586, 4);
    expect(() => relativeLuminance('blue')).toThrow(/not a colour in #rrggbb or rgb\(\) form: 'blue'/);
  });

  it('keeps adjacent stages apart by the chosen contrast, and their text readable on them', () => {
    const { A, B, C } = STAGE_COLORS;
    expect(STAGE_CONTRAST).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(A.fill, B.fill)).toBeGreaterThanOrEqual(STAGE_CONTRAST);
    expect(contrastRatio(B.fill, C.fill)).toBeGreaterThanOrEqual(STAGE_CONTRAST);
    expect(contrastRatio(A.fill, C.fill)).toBeGreaterThanOrEqual(STAGE_CONTRAST);
    // A lightness ramp, so that the order survives without colour vision: A lightest, C darkest.
    expect(relativeLuminance(A.fill)).toBeGreaterThan(relativeLuminance(B.fill));
    expect(relativeLuminance(B.fill)).toBeGreaterThan(relativeLuminance(C.fill));
    for (const s of [A, B, C]) expect(contrastRatio(s.fill, s.text)).toBeGreaterThanOrEqual(4.5);
  });
});

describe('svg-line-chart (the CLI sweep figures)', () => {
  it('still renders a standalone SVG with its series and legend', () => {
    const svg = lineChartSvg(
      [
        {
          label: 'measured',
          points: [
            [0, 1],
            [1, null],
            [2, 3],
          ],
        },
        {
          label: 'closed <form>',
          points: [
            [0, 1],
            [2, 2],
          ],
          dashed: true,
        },
      ],
      { title: 'T', xLabel: 'generation', yLabel: 'y' },
    );
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('stroke="#0072B2"');
    expect(svg).toContain('stroke-dasharray="5 4"');
    expect(svg).toContain('closed &lt;form&gt;');
    expect(svg.match(/<circle/g)).toHaveLength(4);
  });
});
