// Heading, axes and grid shared by the charts, drawn in currentColor so they follow the page's theme.
import { format, max, type NumberValue, type ScaleLinear, type ScaleLogarithmic, type Selection } from 'd3';
import { setAttrs, setText } from './dom.ts';
import { textWidth } from './text-width.ts';

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
function fit(text: SVGTextElement, size: number, min: number, room: number, weight = 400): void {
  const length = textWidth(text.textContent ?? '', size, weight);
  const fitted = length > room ? Math.max(min, Math.floor((size * room) / length)) : size;
  if (text.getAttribute('font-size') !== String(fitted)) text.setAttribute('font-size', String(fitted));
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
    .each(function (d) {
      setAttrs(this, { class: 'title', x: left, y: 15, 'font-weight': 600 });
      setText(this, d);
      fit(this, 13, 11, room(), 600);
    });
  g.selectAll<SVGTextElement, string>('text.y-label')
    .data([yLabel])
    .join('text')
    .each(function (d) {
      setAttrs(this, { class: 'y-label', x: left, y: 31, 'fill-opacity': 0.8 });
      setText(this, d);
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
  return Math.max(2, max(ticks, (t) => f(t).length) ?? 0) * 6.8 + 12;
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

/**
 * One axis, drawn as d3's axisBottom / axisLeft draw it (tickSizeOuter 0, offset 0): a domain line and a
 * g.tick per value with its line and label. Ticks are matched by value and only changed attributes and
 * labels are written (see dom.ts), so a redraw that moves few ticks lays out few.
 */
function drawAxis(g: G, side: 'bottom' | 'left', scale: Scale, ticks: readonly number[], f: Format): void {
  const bottom = side === 'bottom';
  const node = g.node()!;
  setAttrs(node, { fill: 'none', 'text-anchor': bottom ? 'middle' : 'end' });
  const [r0, r1] = [scale.range()[0]!, scale.range().at(-1)!];
  g.selectAll<SVGPathElement, null>('path.domain')
    .data([null])
    .join((enter) => enter.insert('path', ':first-child').attr('class', 'domain'))
    .each(function () {
      setAttrs(this, {
        stroke: 'currentColor',
        'stroke-opacity': 0.5,
        d: bottom ? `M${r0},0H${r1}` : `M0,${r0}V${r1}`,
      });
    });
  g.selectAll<SVGGElement, number>('g.tick')
    .data(ticks, (d) => String(d))
    .join((enter) => {
      const tick = enter.append('g').attr('class', 'tick').attr('opacity', 1);
      tick.append('line').attr('stroke', 'currentColor');
      tick.append('text').attr('fill', 'currentColor');
      return tick;
    })
    .order()
    .each(function (d) {
      const p = scale(d);
      setAttrs(this, { transform: bottom ? `translate(${p},0)` : `translate(0,${p})` });
      setAttrs(this.firstElementChild!, bottom ? { y2: 6 } : { x2: -6 });
      const label = this.lastElementChild!;
      setAttrs(label, bottom ? { y: 9, dy: '0.71em' } : { x: -9, dy: '0.32em' });
      setText(label, f(d));
    });
}

type Format = (v: NumberValue) => string;

/** Draws the x axis with its label under the plot, the y axis at its left and horizontal grid lines. */
export function drawAxes(gx: G, gy: G, grid: G, x: Scale, y: Scale, plot: Plot, o: AxesOptions): void {
  const xt = ticksOf(x, o.xTicks, o.integerX);
  const yt = ticksOf(y, o.yTicks);
  setAttrs(gx.node()!, { transform: `translate(0,${plot.bottom})` });
  drawAxis(gx, 'bottom', x, xt, o.integerX ? format('d') : tickFormatOf(x, xt));
  setAttrs(gy.node()!, { transform: `translate(${plot.left},0)` });
  drawAxis(gy, 'left', y, yt, o.yFormat ? (v) => o.yFormat!(+v) : tickFormatOf(y, yt));
  gx.selectAll<SVGTextElement, string>('text.x-label')
    .data([o.xLabel])
    .join('text')
    .each(function (d) {
      setAttrs(this, {
        class: 'x-label',
        x: (plot.left + plot.right) / 2,
        y: 32,
        'text-anchor': 'middle',
        fill: 'currentColor',
        'fill-opacity': 0.8,
      });
      setText(this, d);
    });
  grid
    .selectAll<SVGLineElement, number>('line')
    .data(yt)
    .join('line')
    .each(function (t) {
      setAttrs(this, {
        x1: plot.left,
        x2: plot.right,
        y1: y(t),
        y2: y(t),
        stroke: 'currentColor',
        'stroke-opacity': 0.1,
      });
    });
}
