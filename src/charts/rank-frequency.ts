// Log–log rank–frequency (Zipf) plot of each generation's synthetic corpus, one line per generation
// coloured from dark (first) to light (last): as collapse sets in, the tail of rare words vanishes.
import { format, line, max, scaleLog } from 'd3';
import { drawAxes, drawHeading, HEADING_HEIGHT, yLabelWidth, type Plot } from './axes.ts';
import { setAttrs } from './dom.ts';
import { chartFrame } from './chart-frame.ts';
import { drawLegend } from './legend.ts';
import { generationColor } from './palette.ts';
import { pickEvenly } from './pick-evenly.ts';
import { attachReadout } from './readout.ts';
import { standaloneSvg } from './standalone-svg.ts';

/** Token counts of one generation's corpus, in descending order (the record's `rankFrequency`). */
export interface RankFrequency {
  generation: number;
  frequencies: readonly number[];
}

export interface RankFrequencyOptions {
  title?: string;
  /** At most this many generations are drawn, spread evenly, first and last included (default 40). */
  maxLines?: number;
  plotHeight?: number;
}

export interface RankFrequencyChart {
  update(data: readonly RankFrequency[]): void;
  reset(): void;
  destroy(): void;
  toSvgString(): string;
}

/** A generation's shares of all tokens by rank (positive counts only, descending) and its support. */
interface Prepared {
  generation: number;
  shares: Float64Array;
  total: number;
  /** The line's path, drawn with the scales in `scales` (see render). */
  path?: { scales: string; d: string };
}

function prepare(d: RankFrequency): Prepared {
  const counts = d.frequencies.filter((c) => c > 0 && Number.isFinite(c)).sort((a, b) => b - a);
  const total = counts.reduce((a, b) => a + b, 0);
  return { generation: d.generation, shares: Float64Array.from(counts, (c) => c / total), total };
}

const pct = (v: number) => (v >= 0.001 ? format('.2~%')(v) : format('.2~e')(v));
/** Shares on the log axis as percentages: 10%, 1%, 0.1%, 0.01%. */
const shareTick = format('~%');

/** Ranks for the read-out to step through: 12 per decade, 1 … `max`. */
function readoutRanks(max: number): number[] {
  const out = new Set<number>();
  for (let k = 0; 10 ** (k / 12) <= max * 1.0001; k++) out.add(Math.round(10 ** (k / 12)));
  out.add(max);
  return [...out].sort((a, b) => a - b);
}

/** Creates the chart inside `el`; `update` takes every generation so far (prepared once each). */
export function create(el: HTMLElement, options: RankFrequencyOptions = {}): RankFrequencyChart {
  const maxLines = options.maxLines ?? 40;
  const cache = new WeakMap<RankFrequency, Prepared>();
  let data: Prepared[] = [];
  const frame = chartFrame(el, 'rank-frequency', () => render());
  const svg = frame.svg;
  const grid = svg.append('g').attr('class', 'grid');
  const heading = svg.append('g').attr('class', 'heading');
  const gx = svg.append('g').attr('class', 'x-axis');
  const gy = svg.append('g').attr('class', 'y-axis');
  const lines = svg.append('g').attr('class', 'generations').attr('fill', 'none');
  const legend = svg.append('g').attr('class', 'legend');
  let plot: Plot = { left: 0, top: 0, right: 0, bottom: 0 };
  let x = scaleLog();
  let ranks: number[] = [];
  let colorOf = (_g: number) => '';

  const readout = attachReadout(frame, {
    positions: () => ranks.map((r) => x(r)),
    plot: () => plot,
    content(i) {
      const r = ranks[i]!;
      return {
        heading: `rank ${r}`,
        rows: pickEvenly(data.length, 6).map((j) => {
          const d = data[j]!;
          const share = d.shares[r - 1];
          return {
            label: `generation ${d.generation}`,
            value: share === undefined ? `none (${d.shares.length} types)` : pct(share),
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
    const maxRank = Math.max(10, max(data, (d) => d.shares.length) ?? 0);
    let lo = Infinity;
    let hi = 0;
    for (const d of data)
      if (d.shares.length) {
        hi = Math.max(hi, d.shares[0]!);
        lo = Math.min(lo, d.shares[d.shares.length - 1]!);
      }
    if (!(lo <= hi)) [lo, hi] = [1e-4, 1];
    const plotHeight = options.plotHeight ?? Math.round(Math.min(260, Math.max(170, width * 0.45)));
    const top = HEADING_HEIGHT + 4;
    const y = scaleLog()
      .domain([lo === hi ? lo / 2 : lo, hi])
      .range([top + plotHeight, top])
      .nice();
    const yTicks = Math.max(3, Math.round(plotHeight / 40));
    plot = {
      left: Math.max(30, yLabelWidth(y, yTicks, shareTick)),
      top,
      right: width - 14,
      bottom: top + plotHeight,
    };
    x = scaleLog().domain([1, maxRank]).range([plot.left, plot.right]);
    ranks = readoutRanks(maxRank);
    drawHeading(
      heading,
      options.title ?? 'Rank–frequency by generation',
      'share of all tokens (log scale)',
      4,
    );
    drawAxes(gx, gy, grid, x, y, plot, {
      xTicks: Math.max(2, Math.floor((plot.right - plot.left) / 50)),
      yTicks,
      yFormat: shareTick,
      xLabel: 'rank of word type (log scale)',
    });

    // One point per pixel column is enough; the last rank is always kept so each line ends at its support.
    // A line's path is computed once per generation and pair of scales (a run adds a line per
    // generation; the others keep theirs while the axes stay put), and written only when it changed.
    const shown = pickEvenly(data.length, maxLines).map((i) => data[i]!);
    const scales = [x.domain(), x.range(), y.domain(), y.range()].join();
    const path = line<[number, number]>().digits(2);
    const pathOf = (d: Prepared) => {
      if (d.path?.scales === scales) return d.path.d;
      const pts: [number, number][] = [];
      let column = -Infinity;
      for (let i = 0; i < d.shares.length; i++) {
        const px = x(i + 1);
        if (px - column < 1 && i < d.shares.length - 1) continue;
        column = px;
        pts.push([px, y(d.shares[i]!)]);
      }
      d.path = { scales, d: path(pts) ?? '' };
      return d.path.d;
    };
    lines
      .selectAll<SVGPathElement, Prepared>('path')
      .data(shown, (d) => d.generation)
      .join('path')
      .each(function (d) {
        setAttrs(this, {
          'data-generation': d.generation,
          'data-support': d.shares.length,
          stroke: colorOf(d.generation),
          'stroke-width': d.generation === last ? 2.4 : 1.3,
          d: pathOf(d),
        });
      });

    const first = data[0]?.generation ?? 0;
    const items = data.length
      ? [
          {
            label:
              data.length > 1
                ? `generation ${first} → ${last}${shown.length < data.length ? ` (${shown.length} of ${data.length} shown)` : ''}`
                : `generation ${first}`,
            swatch: {
              kind: 'ramp' as const,
              colors: Array.from({ length: 8 }, (_, i) => generationColor(i, 7, dark)),
            },
          },
        ]
      : [];
    setAttrs(legend.node()!, { transform: `translate(4,${plot.bottom + 44})` });
    const h = drawLegend(legend, items, width - 8);
    frame.setHeight(plot.bottom + 44 + h + 4);
    frame.setLabel(summary());
    readout.refresh();
  }

  function summary(): string {
    const name = 'Rank–frequency of each generation’s synthetic corpus, log–log';
    if (!data.length) return `${name}: no data yet.`;
    const describe = (d: Prepared) =>
      `generation ${d.generation}: ${d.shares.length} word types, the commonest ${pct(d.shares[0] ?? 0)} of tokens`;
    const a = data[0]!;
    const b = data.at(-1)!;
    return `${name}. ${describe(a)}${a === b ? '' : `; ${describe(b)}`}.`;
  }

  render();
  return {
    update(next) {
      data = [...next]
        .map((d) => cache.get(d) ?? cache.set(d, prepare(d)).get(d)!)
        .sort((a, b) => a.generation - b.generation);
      render();
    },
    reset() {
      data = [];
      readout.hide();
      render();
    },
    destroy: () => frame.destroy(),
    toSvgString() {
      // Exports sit on white: draw with the light-background colours, then restore.
      render(true);
      const s = standaloneSvg(svg.node()!);
      render();
      return s;
    },
  };
}
