// Which generations the probe grid draws as columns. A run of 50 generations would otherwise be a table of
// 50 columns, every one laid out and painted again each time a generation is added; the grid draws a
// fixed number and a slider moves the window over the rest.

export interface ColumnWindow {
  /** Indices (into the run's generations) of the columns, in order. */
  indices: number[];
  /** Index of the first column of the moving window (1 … maxStart), or 0 when every column is shown. */
  start: number;
  /** The latest start (the window ends at the latest generation), or 0 when every column is shown. */
  maxStart: number;
}

/**
 * Every generation when `count` fit in `size` columns. Otherwise the first generation (the answers every
 * later one is read against) and `size - 1` consecutive ones from `start`, clamped to 1 … the latest
 * start; `start` null follows the latest generation.
 */
export function columnWindow(count: number, size: number, start: number | null): ColumnWindow {
  const n = Math.max(0, Math.floor(count));
  const width = Math.max(2, Math.floor(size));
  if (n <= width) return { indices: Array.from({ length: n }, (_, i) => i), start: 0, maxStart: 0 };
  const span = width - 1;
  const maxStart = n - span;
  const s = start === null || !Number.isFinite(start) ? maxStart : Math.min(maxStart, Math.max(1, start));
  const from = Math.floor(s);
  return { indices: [0, ...Array.from({ length: span }, (_, i) => from + i)], start: from, maxStart };
}
