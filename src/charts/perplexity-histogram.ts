// Histogram of each generation's samples' perplexity under generation 0, as overlaid step outlines on a
// log x axis (the record's geometric bins), coloured dark (first) to light (last), with each mean marked.
import { curveStepAfter, format, line, max, min, scaleLinear, scaleLog } from 'd3';
import { drawAxes, drawHeading, HEADING_HEIGHT, yLabelWidth, type Plot, type Scale } from './axes.ts';
import { setAttrs } from './dom.ts';
import { chartFrame } from './chart-frame.ts';
import { drawLegend, type LegendItem } from './legend.ts';
import { generationColor } from './palette.ts';
import { pickEvenly } from './pick-evenly.ts';
import { attachReadout } from './readout.ts';
import { standaloneSvg } from './standalone-svg.ts';

/** One generation's histogram: bin i holds edges[i] ≤ perplexity < edges[i + 1]. */
export interface PerplexityHistogram {
  generation: number;
  edges: readonly number[];
  counts: readonly number[];
  /** Mean perplexity of the samples, marked above the plot. */
  mean?: number | null;
}

export interface PerplexityHistogramOptions {
  title?: string;
  /** At most this many generations are drawn, spread evenly, first and last included (default 24). */
  maxLines?: number;
  plotHeight?: number;
}

export interface PerplexityHistogramChart {
  update(data: readonly PerplexityHistogram[]): void;
  reset(): void;
  destroy(): void;
  toSvgString(): string;
}

/** The outline of a histogram of shares: up at the first edge, across each bin, down at the last edge. */
export function histogramOutline(edges: readonly number[], shares: readonly number[]): [number, number][] {
  const n = Math.min(shares.length, edges.length - 1);
  if (n < 1) return [];
  const pts: [number, number][] = [[edges[0]!, 0]];
  for (let i = 0; i < n; i++) pts.push([edges[i]!, shares[i]!]);
  pts.push([edges[n]!, shares[n - 1]!], [edges[n]!, 0]);
  return pts;
}

const pct = format('.1~%');
/** A downward triangle whose tip is at (0, 0), marking a generation's mean. */
const MEAN_MARKER = 'M-4,-6L4,-6L0,0Z';

/** Creates the chart inside `el`; `update` takes every generation so far. */
export function create(el: HTMLElement, options: PerplexityHistogramOptions = {}): PerplexityHistogramChart {
  const maxLines = options.maxLines ?? 24;
  let data: PerplexityHistogram[] = [];
  const frame = chartFrame(el, 'perplexity-histogram', () => render());
  const svg = frame.svg;
  const grid = svg.append('g').attr('class', 'grid');
  const heading = svg.append('g').attr('class', 'heading');
  const gx = svg.append('g').attr('class', 'x-axis');
  const gy = svg.append('g').attr('class', 'y-axis');
  const outlines = svg.append('g').attr('class', 'histograms').attr('fill', 'none');
  const means = svg.append('g').attr('class', 'means');
  const legend = svg.append('g').attr('class', 'legend');
  let plot: Plot = { left: 0, top: 0, right: 0, bottom: 0 };
  let x: Scale = scaleLog();
  let edges: readonly number[] = [];
  let colorOf = (_g: number) => '';

  const total = (d: PerplexityHistogram) => d.counts.reduce((a, b) => a + b, 0);
  const sharesOf = (d: PerplexityHistogram) => {
    const t = total(d);
    return d.counts.map((c) => (t > 0 ? c / t : 0));
  };

  const readout = attachReadout(frame, {
    positions: () => edges.slice(0, -1).map((e, i) => (x(e) + x(edges[i + 1]!)) / 2),
    plot: () => plot,
    content(i) {
      const f = format('.3~r');
      return {
        heading: `perplexity ${f(edges[i]!)}–${f(edges[i + 1]!)}`,
        rows: pickEvenly(data.length, 6).map((j) => {
          const d = data[j]!;
          const t = total(d);
          const c = d.counts[i] ?? 0;
          return {
            label: `generation ${d.generation}`,
            value: t ? `${pct(c / t)} (${c} of ${t})` : 'no samples',
            color: colorOf(d.generation),
          };
        }),
      };
    },
  });

  function render(light = false) {
    const width = frame.width();
    const dark = !light && frame.darkBackground();
    const last = data.at(-1)?.generation ?? 0;
    colorOf = (g) => generationColor(g, last, dark);
    // The edges of the latest generation with data (the simulation uses the same edges throughout).
    edges = data.findLast((d) => d.edges.length > 1)?.edges ?? [1, 10, 100, 1000];
    const e0 = Math.min(min(data, (d) => d.edges[0]) ?? Infinity, edges[0]!);
    const e1 = Math.max(max(data, (d) => d.edges.at(-1)) ?? -Infinity, edges.at(-1)!);
    const log = e0 > 0;
    const plotHeight = options.plotHeight ?? Math.round(Math.min(220, Math.max(150, width * 0.38)));
    const top = HEADING_HEIGHT + 14;
    const yMax = Math.max(0.05, max(data, (d) => max(sharesOf(d))) ?? 0);
    const y = scaleLinear()
      .domain([0, yMax])
      .range([top + plotHeight, top])
      .nice();
    const yTicks = Math.max(3, Math.round(plotHeight / 45));
    plot = { left: Math.max(30, yLabelWidth(y, yTicks)), top, right: width - 14, bottom: top + plotHeight };
    x = (log ? scaleLog() : scaleLinear()).domain([e0, e1]).range([plot.left, plot.right]);
    drawHeading(
      heading,
      options.title ?? 'Perplexity of samples under generation 0',
      'share of samples per bin',
      4,
    );
    drawAxes(gx, gy, grid, x, y, plot, {
      xTicks: Math.max(2, Math.floor((plot.right - plot.left) / 50)),
      yTicks,
      xLabel: `perplexity under generation 0${log ? ' (log scale)' : ''}`,
    });

    const shown = pickEvenly(data.length, maxLines)
      .map((i) => data[i]!)
      .filter((d) => total(d) > 0);
    const path = line<[number, number]>()
      .x((p) => x(p[0]))
      .y((p) => y(p[1]))
      .curve(curveStepAfter)
      .digits(2);
    outlines
      .selectAll<SVGPathElement, PerplexityHistogram>('path')
      .data(shown, (d) => d.generation)
      .join('path')
      .each(function (d) {
        // Written only when changed: most outlines stay put while a run adds one (dom.ts).
        setAttrs(this, {
          'data-generation': d.generation,
          stroke: colorOf(d.generation),
          'stroke-width': d.generation === last ? 2.4 : 1.2,
          'stroke-opacity': d.generation === last ? 1 : 0.8,
          d: path(histogramOutline(d.edges, sharesOf(d))) ?? '',
        });
      });
    outlines
      .selectAll<SVGPathElement, PerplexityHistogram>('path')
      .sort((a, b) => a.generation - b.generation);
    // Means: small downward triangles just above the plot, one per drawn generation.
    means
      .selectAll<SVGPathElement, PerplexityHistogram>('path')
      .data(
        shown.filter((d) => d.mean !== null && d.mean !== undefined && d.mean >= e0 && d.mean <= e1),
        (d) => d.generation,
      )
      .join('path')
      .each(function (d) {
        setAttrs(this, {
          d: MEAN_MARKER,
          'data-generation': d.generation,
          fill: colorOf(d.generation),
          transform: `translate(${x(d.mean!).toFixed(2)},${plot.top - 2})`,
        });
      });

    const first = data[0]?.generation ?? 0;
    const items: LegendItem[] = data.length
      ? [
          {
            label:
              data.length > 1
                ? `generation ${first} → ${last}${shown.length < data.length ? ` (${shown.length} of ${data.length} shown)` : ''}`
                : `generation ${first}`,
            swatch: {
              kind: 'ramp',
              colors: Array.from({ length: 8 }, (_, i) => generationColor(i, 7, dark)),
            },
          },
          { label: 'mean', swatch: { kind: 'marker', color: 'currentColor', d: MEAN_MARKER } },
        ]
      : [];
    setAttrs(legend.node()!, { transform: `translate(4,${plot.bottom + 44})` });
    const h = drawLegend(legend, items, width - 8);
    frame.setHeight(plot.bottom + 44 + h + 4);
    frame.setLabel(summary());
    readout.refresh();
  }

  function summary(): string {
    const name = 'Histogram of the perplexity of generated text under generation 0';
    const withMean = data.filter((d) => d.mean !== null && d.mean !== undefined);
    if (!withMean.length) return `${name}: no data yet.`;
    const f = format('.3~r');
    const a = withMean[0]!;
    const b = withMean.at(-1)!;
    return `${name}, ${data.length} generations. Mean perplexity ${f(a.mean!)} at generation ${a.generation}${a === b ? '' : `, ${f(b.mean!)} at generation ${b.generation}`}.`;
  }

  render();
  return {
    update(next) {
      data = [...next].sort((a, b) => a.generation - b.generation);
      render();
    },
    reset() {
      data = [];
      readout.hide();
      render();
    },
    destroy: () => frame.destroy(),
    toSvgString() {
      render(true);
      const s = standaloneSvg(svg.node()!);
      render();
      return s;
    },
  };
}
