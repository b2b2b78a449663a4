// Hover and keyboard read-out: a vertical rule at the nearest x position and a box listing the value of
// every series there. Arrow keys step through positions while the chart has focus.
import { pointer } from 'd3';
import type { ChartFrame } from './chart-frame.ts';

/** One line of the read-out: a swatch in the series' style, its label and its value. */
export interface ReadoutRow {
  label: string;
  value: string;
  color?: string;
  dash?: string;
}

export interface ReadoutContent {
  heading: string;
  rows: readonly ReadoutRow[];
}

/** What a chart tells the read-out. */
export interface ReadoutTarget {
  /** x pixel positions one can step through, ascending (e.g. one per generation). */
  positions(): readonly number[];
  /** The read-out at position `index`. */
  content(index: number): ReadoutContent;
  /** The plot area in SVG pixels. */
  plot(): { left: number; top: number; right: number; bottom: number };
}

export interface Readout {
  /** Shows the read-out at position `index` (clamped). */
  show(index: number): void;
  hide(): void;
  /** Re-draws the read-out after the chart re-rendered (new data or width); keeps its position. */
  refresh(): void;
  /** The position shown, or null when hidden. */
  current(): number | null;
}

/** Index of the position nearest to `x` (positions ascending). */
export function nearestIndex(positions: readonly number[], x: number): number {
  let lo = 0;
  let hi = positions.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (positions[mid]! <= x) lo = mid;
    else hi = mid;
  }
  return Math.abs(positions[hi]! - x) < Math.abs(positions[lo]! - x) ? hi : lo;
}

/** Adds a read-out to a chart; the rule is drawn in a layer appended last, above the data. */
export function attachReadout(frame: ChartFrame, target: ReadoutTarget): Readout {
  const layer = frame.svg.append('g').attr('data-interactive', '').attr('pointer-events', 'none');
  const rule = layer
    .append('line')
    .attr('stroke', 'currentColor')
    .attr('stroke-opacity', 0.55)
    .attr('stroke-width', 1)
    .style('display', 'none');
  const box = frame.readout;
  let index: number | null = null;
  // The last index shown, so keyboard focus resumes where the pointer left off.
  let last: number | null = null;

  function render() {
    const positions = target.positions();
    if (index === null || !positions.length) {
      rule.style('display', 'none');
      box.style.display = 'none';
      return;
    }
    index = Math.min(Math.max(0, index), positions.length - 1);
    last = index;
    const x = positions[index]!;
    const p = target.plot();
    rule.style('display', null).attr('x1', x).attr('x2', x).attr('y1', p.top).attr('y2', p.bottom);
    const content = target.content(index);
    box.replaceChildren();
    const heading = document.createElement('div');
    heading.style.fontWeight = '600';
    heading.textContent = content.heading;
    box.append(heading);
    for (const row of content.rows) {
      const line = document.createElement('div');
      line.dataset.readoutRow = '';
      const swatch = document.createElement('span');
      Object.assign(swatch.style, {
        display: 'inline-block',
        width: '14px',
        marginRight: '5px',
        verticalAlign: 'middle',
        borderTop: `2px ${row.dash ? 'dashed' : 'solid'} ${row.color ?? 'currentColor'}`,
      });
      const label = document.createElement('span');
      label.textContent = `${row.label}: `;
      const value = document.createElement('b');
      value.textContent = row.value;
      line.append(swatch, label, value);
      box.append(line);
    }
    box.style.display = 'block';
    const w = box.offsetWidth;
    const width = frame.width();
    const left = x + 12 + w <= width ? x + 12 : Math.max(0, x - 12 - w);
    box.style.left = `${left}px`;
    box.style.top = `${p.top + 4}px`;
  }

  const show = (i: number) => {
    index = i;
    render();
  };
  const hide = () => {
    index = null;
    render();
  };

  const node = frame.svg.node()!;
  frame.svg
    .on('pointermove', (event: PointerEvent) => {
      const positions = target.positions();
      const [px, py] = pointer(event, node);
      const p = target.plot();
      if (!positions.length || px < p.left - 8 || px > p.right + 8 || py < p.top - 8 || py > p.bottom + 8)
        return hide();
      show(nearestIndex(positions, px));
    })
    .on('pointerleave', () => {
      if (document.activeElement !== node) hide();
    })
    .on('focus', () => show(last ?? target.positions().length - 1))
    .on('blur', hide)
    .on('keydown', (event: KeyboardEvent) => {
      const n = target.positions().length;
      if (!n) return;
      const i = index ?? last ?? n - 1;
      const step = event.shiftKey ? 10 : 1;
      const next =
        event.key === 'ArrowRight' || event.key === 'ArrowUp'
          ? i + step
          : event.key === 'ArrowLeft' || event.key === 'ArrowDown'
            ? i - step
            : event.key === 'Home'
              ? 0
              : event.key === 'End'
                ? n - 1
                : null;
      if (event.key === 'Escape') return hide();
      if (next === null) return;
      event.preventDefault();
      show(Math.min(n - 1, Math.max(0, next)));
    });

  return { show, hide, refresh: render, current: () => index };
}
