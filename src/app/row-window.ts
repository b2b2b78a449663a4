// Which rows of a long table in a scrolling box are drawn: those in view and a few either side. The rest
// are stood in for by two spacers of the same height, so the box scrolls as if every row were there.

export interface RowWindow {
  /** First drawn row (index). */
  start: number;
  /** One past the last drawn row. */
  end: number;
  /** Height in pixels of the rows above the drawn ones, and of those below. */
  before: number;
  after: number;
}

/**
 * The rows to draw of `count` rows `rowHeight` pixels tall in a box `viewport` pixels tall scrolled to
 * `scrollTop` (Infinity: to the end), with `overscan` more rows either side of the view.
 */
export function rowWindow(
  count: number,
  rowHeight: number,
  viewport: number,
  scrollTop: number,
  overscan: number,
): RowWindow {
  const n = Math.max(0, Math.floor(count));
  const h = rowHeight > 0 && Number.isFinite(rowHeight) ? rowHeight : 1;
  const size = Math.ceil(Math.max(0, viewport) / h) + 1 + 2 * Math.max(0, Math.floor(overscan));
  const top = Number.isNaN(scrollTop) ? 0 : Math.max(0, scrollTop);
  const wanted = top === Infinity ? n : Math.floor(top / h) - Math.max(0, Math.floor(overscan));
  const start = Math.max(0, Math.min(wanted, n - size));
  const end = Math.min(n, start + size);
  return { start, end, before: start * h, after: (n - end) * h };
}
