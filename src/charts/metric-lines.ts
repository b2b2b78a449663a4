// Per-generation line chart: several metrics, several runs overlaid (told apart by dash and marker),
// closed-form predictions dashed beside the measurements, and the stages A/B/C tinted behind, named in a
// ribbon above the plot (never over the lines).
import {
  extent,
  format,
  line,
  max,
  scaleLinear,
  scaleLog,
  symbolCircle,
  symbolDiamond,
  symbolSquare,
  symbolTriangle,
  type SymbolType,
} from 'd3';
import { stageDescriptions, type Stage } from '../sim/stages.ts';
import { drawAxes, drawHeading, HEADING_HEIGHT, yLabelWidth, type Plot, type Scale } from './axes.ts';
import { chartFrame } from './chart-frame.ts';
import { setAttrs, setText } from './dom.ts';
import { stageSpans, symbolsPath } from './marks.ts';
import { summary } from './metric-summary.ts';
import { drawLegend, type LegendItem } from './legend.ts';
import { LINE_COLORS, STAGE_COLORS } from './palette.ts';
import { attachReadout } from './readout.ts';
import { standaloneSvg } from './standalone-svg.ts';
import { textWidth } from './text-width.ts';
import type { LineSeries, MetricLinesData, MetricLinesOptions, MetricPoint } from './metric-lines-types.ts';

export type {
  LineSeries,
  MetricLinesData,
  MetricLinesOptions,
  MetricPoint,
  StagePoint,
} from './metric-lines-types.ts';

export interface MetricLinesChart {
  update(data: MetricLinesData): void;
  reset(): void;
  destroy(): void;
  toSvgString(): string;
}

/** Short names of the stages for the legend; the full descriptions are in the tooltips. */
export const STAGE_NAMES: Readonly<Record<Stage, string>> = {
  A: 'knowledge preserved',
  B: 'knowledge collapse, still fluent',
  C: 'fluency collapse',
};

/** Height of the ribbon above the plot that names each stage span. */
const RIBBON = 16;

/** How the n-th overlaid run is drawn. The first is solid with circles. */
const RUN_STYLES: readonly { dash: string; symbol: SymbolType }[] = [
  { dash: '', symbol: symbolCircle },
  { dash: '1.5 3', symbol: symbolSquare },
  { dash: '8 2.5 1.5 2.5', symbol: symbolTriangle },
  { dash: '', symbol: symbolDiamond },
];
/** Dash of a closed-form prediction. */
export const ANALYTIC_DASH = '6 4';
/** Least distance between a line's markers: every generation when they fit, wider apart when runs overlap. */
const MARKER_SPACING = 7;
const OVERLAY_MARKER_SPACING = 22;

const sig3 = format('.3~r');
const defaultFormat = (v: number) => (Math.abs(v) >= 1000 ? format(',.0f')(v) : sig3(v));

const isValue = (v: number | null, log: boolean): v is number =>
  v !== null && Number.isFinite(v) && (!log || v > 0);

/** Creates the chart inside `el`; call `update` with the whole data whenever it changes. */
export function create(el: HTMLElement, options: MetricLinesOptions): MetricLinesChart {
  const log = options.yScale === 'log';
  const fmt = options.format ?? defaultFormat;
  let data: MetricLinesData = { series: [] };
  const frame = chartFrame(el, 'metric-lines', () => render());
  const svg = frame.svg;
  const bands = svg.append('g').attr('class', 'stage-bands');
  const grid = svg.append('g').attr('class', 'grid');
  const heading = svg.append('g').attr('class', 'heading');
  const gx = svg.append('g').attr('class', 'x-axis');
  const gy = svg.append('g').attr('class', 'y-axis');
  const lines = svg.append('g').attr('class', 'series').attr('fill', 'none');
  const labels = svg.append('g').attr('class', 'direct-labels');
  const legend = svg.append('g').attr('class', 'legend');

  let plot: Plot = { left: 0, top: 0, right: 0, bottom: 0 };
  let x: Scale = scaleLinear();
  let generations: number[] = [];
  let colorOf = new Map<string, string>();
  let runStyle = new Map<string, (typeof RUN_STYLES)[number]>();

  const readout = attachReadout(frame, {
    positions: () => generations.map((g) => x(g)),
    plot: () => plot,
    content(i) {
      const g = generations[i]!;
      const stage = data.stages?.find((s) => s.generation === g)?.stage;
      const multiRun = runStyle.size > 1;
      return {
        heading: `generation ${g}${stage ? ` · stage ${stage}: ${STAGE_NAMES[stage]}` : ''}`,
        rows: data.series.flatMap((s) => {
          const p = s.points.find((q) => q.generation === g);
          if (!p) return [];
          return [
            {
              label: multiRun && s.run ? `${s.label} · ${s.run}` : s.label,
              value: isValue(p.value, false) ? fmt(p.value) : 'not measured',
              color: colorOf.get(s.key),
              dash: s.analytic ? ANALYTIC_DASH : runStyle.get(s.run ?? '')?.dash,
            },
          ];
        }),
      };
    },
  });

  function render() {
    const width = frame.width();
    const series = data.series;
    const stages = data.stages ?? [];

    // Styles: colour by label (the same metric has one colour in every run), dash and marker by run.
    colorOf = new Map();
    const labelColor = new Map<string, string>();
    for (const s of series) {
      if (!labelColor.has(s.label))
        labelColor.set(s.label, s.color ?? LINE_COLORS[labelColor.size % LINE_COLORS.length]!);
      colorOf.set(s.key, s.color ?? labelColor.get(s.label)!);
    }
    runStyle = new Map();
    for (const s of series)
      if (!runStyle.has(s.run ?? ''))
        runStyle.set(s.run ?? '', RUN_STYLES[runStyle.size % RUN_STYLES.length]!);
    const multiRun = runStyle.size > 1;

    // Scales.
    generations = [
      ...new Set([
        ...series.flatMap((s) => s.points.map((p) => p.generation)),
        ...stages.map((s) => s.generation),
      ]),
    ].sort((a, b) => a - b);
    // A fixed frame (e.g. a replay's whole run) holds the axis still while generations are revealed;
    // generations past it (a live run that outgrew it) still widen it.
    const first = Math.min(generations[0] ?? Infinity, options.xDomain?.[0] ?? Infinity);
    const last = Math.max(generations.at(-1) ?? -Infinity, options.xDomain?.[1] ?? -Infinity);
    const g0 = Number.isFinite(first) ? first : 0;
    const g1 = Number.isFinite(last) ? last : 1;
    const values = series.flatMap((s) => s.points.flatMap((p) => (isValue(p.value, log) ? [p.value] : [])));
    let [lo, hi] = options.yDomain ?? (extent(values) as [number | undefined, number | undefined]);
    if (lo === undefined || hi === undefined) [lo, hi] = log ? [1, 10] : [0, 1];
    if (!options.yDomain) {
      if (options.includeZero && !log) lo = Math.min(0, lo);
      if (log) [lo, hi] = lo === hi ? [lo / 2, hi * 2] : [lo, hi];
      else {
        const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.1 || 0.5;
        [lo, hi] = [lo === 0 && options.includeZero ? 0 : lo - pad, hi + pad];
      }
    }
    const plotHeight = options.plotHeight ?? Math.round(Math.min(240, Math.max(150, width * 0.42)));
    const ribbonTop = HEADING_HEIGHT + 4;
    const top = ribbonTop + (stages.length ? RIBBON + 2 : 0);
    const y: Scale = (log ? scaleLog() : scaleLinear()).domain([lo, hi]).range([top + plotHeight, top]);
    if (!options.yDomain) y.nice();
    const yTicks = Math.max(3, Math.round(plotHeight / 45));
    const labelWidth = options.directLabels
      ? Math.min(110, 8 + (max(series, (s) => s.label.length) ?? 0) * 6.2)
      : 0;
    plot = {
      left: Math.max(30, yLabelWidth(y, yTicks)),
      top,
      right: width - 12 - labelWidth,
      bottom: top + plotHeight,
    };
    x = scaleLinear()
      .domain([g0, g1 > g0 ? g1 : g0 + 1])
      .range([plot.left, plot.right]);

    drawHeading(heading, options.title, options.yLabel, 4);
    drawAxes(gx, gy, grid, x, y, plot, {
      xTicks: Math.max(2, Math.floor((plot.right - plot.left) / 60)),
      yTicks,
      integerX: true,
      xLabel: options.xLabel ?? 'generation',
    });

    // Stage bands: each generation owns ±½ around it, clipped to the plot. A pale tint behind the data,
    // and a ribbon above the plot in the stage's colour with its name (or letter, where the name does
    // not fit), so no label is drawn over a line.
    const [d0, d1] = x.domain() as [number, number];
    const spans = stageSpans(stages);
    const band = bands
      .selectAll('g.stage-band')
      .data(spans)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'stage-band');
        g.append('rect').attr('class', 'tint');
        g.append('rect').attr('class', 'ribbon');
        g.append('text').attr('text-anchor', 'middle').attr('font-weight', 600);
        return g;
      })
      .attr('data-stage', (s) => s.stage)
      .attr('data-first', (s) => s.first)
      .attr('data-last', (s) => s.last);
    const bx0 = (s: { first: number }) => x(Math.max(d0, s.first - 0.5));
    const bx1 = (s: { last: number }) => x(Math.min(d1, s.last + 0.5));
    band.select<SVGRectElement>('rect.tint').each(function (s) {
      setAttrs(this, {
        x: bx0(s),
        width: Math.max(0, bx1(s) - bx0(s)),
        y: plot.top,
        height: plot.bottom - plot.top,
        fill: STAGE_COLORS[s.stage].tint,
      });
    });
    band.select<SVGRectElement>('rect.ribbon').each(function (s) {
      setAttrs(this, {
        x: bx0(s),
        width: Math.max(0, bx1(s) - bx0(s) - 1),
        y: ribbonTop,
        height: RIBBON,
        fill: STAGE_COLORS[s.stage].fill,
      });
    });
    band.select<SVGTextElement>('text').each(function (s) {
      const room = bx1(s) - bx0(s) - 6;
      const name = `${s.stage} · ${STAGE_NAMES[s.stage]}`;
      setAttrs(this, {
        x: (bx0(s) + bx1(s)) / 2,
        y: ribbonTop + RIBBON - 4,
        fill: STAGE_COLORS[s.stage].text,
      });
      setText(this, textWidth(name, 11, 600) <= room ? name : room >= 8 ? s.stage : '');
    });

    // Lines, with markers where they fit (always on isolated points, which a line cannot show).
    const path = line<MetricPoint>()
      .defined((p) => isValue(p.value, log))
      .x((p) => x(p.generation))
      .y((p) => y(p.value as number))
      .digits(2);
    const spacing = (plot.right - plot.left) / Math.max(1, g1 - g0);
    // Every n-th generation gets a marker (0: none), so markers stay at least MARKER_SPACING apart.
    const every = multiRun
      ? Math.ceil(OVERLAY_MARKER_SPACING / spacing)
      : generations.length <= 25
        ? Math.ceil(MARKER_SPACING / spacing)
        : 0;
    const runs = [...runStyle.keys()];
    const groups = lines
      .selectAll('g.line')
      .data(series, (s) => (s as LineSeries).key)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'line');
        g.append('path').attr('class', 'stroke').attr('stroke-linejoin', 'round');
        g.append('path').attr('class', 'markers');
        return g;
      })
      .attr('data-key', (s) => s.key);
    groups.order();
    groups
      .select('path.stroke')
      .attr('d', (s) => path([...s.points].sort((a, b) => a.generation - b.generation)))
      .attr('stroke', (s) => colorOf.get(s.key)!)
      .attr('stroke-width', (s) => (s.emphasis ? 2.6 : 1.8))
      .attr(
        'stroke-dasharray',
        (s) => (s.analytic ? ANALYTIC_DASH : runStyle.get(s.run ?? '')!.dash) || null,
      );
    groups
      .select<SVGPathElement>('path.markers')
      .attr('fill', (s) => colorOf.get(s.key)!)
      .each(function (s) {
        const pts = [...s.points].sort((a, b) => a.generation - b.generation);
        const ok = pts.map((p) => isValue(p.value, log));
        // Each run's markers are shifted by a fraction of the spacing so overlaid runs do not stack them.
        const phase = Math.floor((runs.indexOf(s.run ?? '') * every) / runs.length);
        const marked = (p: MetricPoint, i: number) =>
          ok[i] &&
          ((every > 0 && (!s.analytic || multiRun) && (p.generation - g0 + phase) % every === 0) ||
            (!ok[i - 1] && !ok[i + 1]));
        const shown = pts.filter(marked);
        // All of a line's markers are one path: one attribute to set per redraw, not one per marker.
        this.setAttribute(
          'd',
          symbolsPath(
            runStyle.get(s.run ?? '')!.symbol,
            s.analytic ? 18 : 26,
            shown.map((p) => [x(p.generation), y(p.value!)]),
          ),
        );
        this.setAttribute('data-generations', shown.map((p) => p.generation).join(' '));
      });

    // Direct labels at each line's last value, nudged apart vertically.
    const ends = options.directLabels
      ? series.flatMap((s) => {
          const p = [...s.points].reverse().find((q) => isValue(q.value, log));
          return p ? [{ s, x: x(p.generation), y: y(p.value!) }] : [];
        })
      : [];
    ends.sort((a, b) => a.y - b.y);
    for (let i = 1; i < ends.length; i++) ends[i]!.y = Math.max(ends[i]!.y, ends[i - 1]!.y + 11);
    labels
      .selectAll<SVGTextElement, (typeof ends)[number]>('text')
      .data(ends)
      .join('text')
      .each(function (d) {
        setAttrs(this, { x: d.x + 5, y: d.y + 4, fill: colorOf.get(d.s.key)!, 'font-weight': 600 });
        setText(this, d.s.label);
      });

    // Legend: one entry per metric, per run when overlaid, and what the stages mean.
    const items: LegendItem[] = [];
    const seen = new Set<string>();
    // Lines labelled at their ends need no legend entry of their own.
    for (const s of options.directLabels ? [] : series) {
      if (seen.has(s.label)) continue;
      seen.add(s.label);
      items.push({
        label: s.label,
        swatch: {
          kind: 'line',
          color: colorOf.get(s.key)!,
          dash: s.analytic ? ANALYTIC_DASH : '',
          width: s.emphasis ? 2.6 : 2,
        },
      });
    }
    if (multiRun)
      for (const [run, style] of runStyle)
        items.push({
          label: run || 'run',
          swatch: { kind: 'line', color: 'currentColor', dash: style.dash, symbol: style.symbol, width: 1.5 },
        });
    if (spans.length && options.stageLegend !== false)
      for (const stage of ['A', 'B', 'C'] as const)
        items.push({
          label: STAGE_NAMES[stage],
          title: `Stage ${stage}: ${stageDescriptions[stage]}`,
          swatch: {
            kind: 'band',
            fill: STAGE_COLORS[stage].fill,
            text: STAGE_COLORS[stage].text,
            letter: stage,
          },
        });
    setAttrs(legend.node()!, { transform: `translate(4,${plot.bottom + 44})` });
    const legendHeight = drawLegend(legend, items, width - 8);
    frame.setHeight(plot.bottom + 44 + legendHeight + 4);
    frame.setLabel(summary(options, series, spans, fmt, STAGE_NAMES));
    readout.refresh();
  }

  render();
  return {
    update(next) {
      data = next;
      render();
    },
    reset() {
      data = { series: [] };
      readout.hide();
      render();
    },
    destroy: () => frame.destroy(),
    toSvgString: () => standaloneSvg(svg.node()!),
  };
}
