// A legend laid out in rows that wrap at the chart's width (so it works at 360 px), drawn in the SVG
// itself so that exported charts keep it.
import { select, symbol, type Selection, type SymbolType } from 'd3';
import { textWidth } from './text-width.ts';

/** What an entry's swatch shows. */
export type LegendSwatch =
  | { kind: 'line'; color: string; dash?: string; width?: number; symbol?: SymbolType }
  | { kind: 'band'; fill: string; text: string; letter?: string }
  | { kind: 'ramp'; colors: readonly string[] }
  /** A marker shape: an SVG path centred on (0, 0). */
  | { kind: 'marker'; color: string; d: string };

export interface LegendItem {
  label: string;
  swatch: LegendSwatch;
  /** A longer explanation, shown as the entry's tooltip. */
  title?: string;
}

const SWATCH = 22;
const RAMP = 64;
const ROW = 17;
const GAP = 14;

const swatchWidth = (s: LegendSwatch) => (s.kind === 'ramp' ? RAMP : SWATCH);

/**
 * Draws `items` into `g` (replacing what was there), left to right, wrapping to a new row before an
 * entry would pass `width`. Returns the legend's height in pixels (0 when there are no items).
 */
export function drawLegend(
  g: Selection<SVGGElement, unknown, null, undefined>,
  items: readonly LegendItem[],
  width: number,
): number {
  // Nothing to redraw when nothing the legend depends on changed.
  const signature = JSON.stringify([width, items]);
  const node = g.node() as (SVGGElement & { legendLayout?: { signature: string; height: number } }) | null;
  if (node?.legendLayout?.signature === signature) return node.legendLayout.height;
  const entries = g
    .selectAll<SVGGElement, LegendItem>('g.legend-item')
    .data(items)
    .join('g')
    .attr('class', 'legend-item');
  entries.selectChildren().remove();
  entries.each(function (item) {
    const e = select(this);
    if (item.title) e.append('title').text(item.title);
    const s = item.swatch;
    if (s.kind === 'line') {
      e.append('line')
        .attr('x1', 0)
        .attr('x2', SWATCH)
        .attr('y1', 0)
        .attr('y2', 0)
        .attr('stroke', s.color)
        .attr('stroke-width', s.width ?? 2)
        .attr('stroke-dasharray', s.dash || null);
      if (s.symbol)
        e.append('path')
          .attr('d', symbol(s.symbol, 28)())
          .attr('transform', `translate(${SWATCH / 2},0)`)
          .attr('fill', s.color);
    } else if (s.kind === 'band') {
      e.append('rect').attr('y', -7).attr('width', SWATCH).attr('height', 14).attr('fill', s.fill);
      if (s.letter)
        e.append('text')
          .attr('x', SWATCH / 2)
          .attr('y', 4)
          .attr('text-anchor', 'middle')
          .attr('font-weight', 600)
          .attr('fill', s.text)
          .text(s.letter);
    } else if (s.kind === 'marker') {
      e.append('path')
        .attr('d', s.d)
        .attr('transform', `translate(${SWATCH / 2},3)`)
        .attr('fill', s.color);
    } else {
      const w = RAMP / s.colors.length;
      s.colors.forEach((c, i) =>
        e
          .append('rect')
          .attr('x', i * w)
          .attr('y', -5)
          .attr('width', w + 0.5)
          .attr('height', 10)
          .attr('fill', c),
      );
    }
    e.append('text')
      .attr('class', 'legend-label')
      .attr('x', swatchWidth(s) + 5)
      .attr('y', 4)
      .text(item.label);
  });
  // Flow layout: each label measured in the chart's font (on a canvas: no layout of the page is forced).
  let x = 0;
  let row = 0;
  entries.each(function (item) {
    const w = swatchWidth(item.swatch) + 5 + textWidth(item.label);
    if (x > 0 && x + w > width) {
      x = 0;
      row += 1;
    }
    this.setAttribute('transform', `translate(${x},${row * ROW + 8})`);
    x += w + GAP;
  });
  const height = items.length ? (row + 1) * ROW : 0;
  if (node) node.legendLayout = { signature, height };
  return height;
}
