// Heading, axes and grid shared by the charts, drawn in currentColor so they follow the page's theme.
import {
  axisBottom,
  axisLeft,
  format,
  type NumberValue,
  type ScaleLinear,
  type ScaleLogarithmic,
  type Selection,
} from 'd3';

type G = Selection<SVGGElement, unknown, null, undefined>;
/** A continuous scale the charts use for either axis. */
export type Scale = ScaleLinear<number, number> | ScaleLogarithmic<number, number>;

/** Plot area in SVG pixels. */
export interface Plot {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Vertical space taken by the title and the y label above the plot. */
export const HEADING_HEIGHT = 40;

/** Shrinks a text's font (from `size` down to `min` px) until it fits `room` pixels. */
function fit(text: SVGTextElement & { fitted?: string }, size: number, min: number, room: number): void {
  // Measuring forces a layout (the costliest part of a redraw): only when the text or the room changed.
  const key = `${text.textContent}|${room}`;
  if (text.fitted === key) return;
  text.setAttribute('font-size', String(size));
  const length = text.getComputedTextLength?.() || 0;
  if (length > room)
    text.setAttribute('font-size', String(Math.max(min, Math.floor((size * room) / length))));
  // A text not rendered yet (display: none) measures 0: measure again next time.
  if (length > 0) text.fitted = key;
}

/**
 * The chart's title and, under it, what the y axis measures with its units; on narrow charts both shrink
 * a little rather than run off the edge.
 */
export function drawHeading(g: G, title: string, yLabel: string, left: number): void {
  const room = () => (g.node()?.ownerSVGElement?.width.baseVal.value ?? Infinity) - left - 4;
  g.selectAll<SVGTextElement, string>('text.title')
    .data([title])
    .join('text')
    .attr('class', 'title')
    .attr('x', left)
    .attr('y', 15)
    .attr('font-weight', 600)
    .text((d) => d)
    .each(function () {
      fit(this, 13, 11, room());
    });
  g.selectAll<SVGTextElement, string>('text.y-label')
    .data([yLabel])
    .join('text')
    .attr('class', 'y-label')
    .attr('x', left)
    .attr('y', 31)
    .attr('fill-opacity', 0.8)
    .text((d) => d)
    .each(function () {
      fit(this, 11, 9, room());
    });
}

const logTickFormat = format('~s');

/** Tick values of a scale: integers only when `integer`, fewer on log scales with wide ranges. */
export function ticksOf(scale: Scale, count: number, integer = false): number[] {
  const ticks = scale.ticks(count) as number[];
  if ('base' in scale) {
    // Log scales return every 1–9 multiple; keep the powers of ten (and 2, 5 when there are few).
    const [lo, hi] = scale.domain() as [number, number];
    const decades = Math.log10(hi / lo);
    const keep = decades > count / 2 ? [1] : decades > count / 4 ? [1, 3] : [1, 2, 5];
    return ticks.filter((t) =>
      keep.some((k) => Math.abs(t / 10 ** Math.floor(Math.log10(t) + 1e-9) - k) < 1e-6),
    );
  }
  return integer ? ticks.filter(Number.isInteger) : ticks;
}

/** Formats a tick: SI prefixes on log scales, the scale's own format otherwise. */
export function tickFormatOf(scale: Scale, ticks: readonly number[]): (v: NumberValue) => string {
  if ('base' in scale) return (v) => logTickFormat(+v);
  return (scale as ScaleLinear<number, number>).tickFormat(Math.max(2, ticks.length));
}

/** Width the y tick labels need, estimated from their text (11 px system font), plus the tick. */
export function yLabelWidth(scale: Scale, count: number, tickFormat?: (v: number) => string): number {
  const ticks = ticksOf(scale, count);
  const f = tickFormat ?? tickFormatOf(scale, ticks);
  return Math.max(2, ...ticks.map((t) => f(t).length)) * 6.8 + 12;
}

export interface AxesOptions {
  xTicks: number;
  yTicks: number;
  /** Only integer x ticks (generations, steps). */
  integerX?: boolean;
  xLabel: string;
  /** Formats the y ticks (default: the scale's own format, SI prefixes on log scales). */
  yFormat?: (v: number) => string;
}

/** Draws the x axis with its label under the plot, the y axis at its left and horizontal grid lines. */
export function drawAxes(gx: G, gy: G, grid: G, x: Scale, y: Scale, plot: Plot, o: AxesOptions): void {
  const xt = ticksOf(x, o.xTicks, o.integerX);
  const yt = ticksOf(y, o.yTicks);
  gx.attr('transform', `translate(0,${plot.bottom})`).call(
    axisBottom(x as ScaleLinear<number, number>)
      .tickValues(xt)
      .tickFormat(o.integerX ? format('d') : tickFormatOf(x, xt))
      .tickSizeOuter(0)
      .offset(0),
  );
  gy.attr('transform', `translate(${plot.left},0)`).call(
    axisLeft(y as ScaleLinear<number, number>)
      .tickValues(yt)
      .tickFormat(o.yFormat ? (v) => o.yFormat!(+v) : tickFormatOf(y, yt))
      .tickSizeOuter(0)
      .offset(0),
  );
  for (const a of [gx, gy]) a.attr('font-family', null).attr('font-size', null);
  gy.select('.domain').attr('stroke-opacity', 0.5);
  gx.select('.domain').attr('stroke-opacity', 0.5);
  gx.selectAll('text.x-label')
    .data([o.xLabel])
    .join('text')
    .attr('class', 'x-label')
    .attr('x', (plot.left + plot.right) / 2)
    .attr('y', 32)
    .attr('text-anchor', 'middle')
    .attr('fill', 'currentColor')
    .attr('fill-opacity', 0.8)
    .text((d) => d);
  grid
    .selectAll('line')
    .data(yt)
    .join('line')
    .attr('x1', plot.left)
    .attr('x2', plot.right)
    .attr('y1', (t) => y(t))
    .attr('y2', (t) => y(t))
    .attr('stroke', 'currentColor')
    .attr('stroke-opacity', 0.1);
}
