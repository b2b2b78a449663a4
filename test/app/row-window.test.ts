import { describe, expect, it } from 'vitest';
import { rowWindow } from '../../src/app/row-window.ts';

describe('generations table row window', () => {
  it('draws every row of a short table', () => {
    expect(rowWindow(0, 30, 480, 0, 5)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
    expect(rowWindow(15, 30, 480, 0, 5)).toEqual({ start: 0, end: 15, before: 0, after: 0 });
    // 480 / 30 = 16 rows in view, 1 partly, 5 either side: 27 rows.
    expect(rowWindow(27, 30, 480, Infinity, 5)).toEqual({ start: 0, end: 27, before: 0, after: 0 });
  });

  it('draws the rows in view and a few either side, spacers for the rest', () => {
    expect(rowWindow(200, 30, 480, 0, 5)).toEqual({ start: 0, end: 27, before: 0, after: 173 * 30 });
    expect(rowWindow(200, 30, 480, 3000, 5)).toEqual({
      start: 95,
      end: 122,
      before: 95 * 30,
      after: 78 * 30,
    });
    expect(rowWindow(200, 30, 480, 3015, 5).start).toBe(95);
  });

  it('ends at the last row when scrolled to the end or past it', () => {
    expect(rowWindow(51, 30, 480, Infinity, 5)).toEqual({ start: 24, end: 51, before: 24 * 30, after: 0 });
    expect(rowWindow(51, 30, 480, 1e9, 5)).toEqual(rowWindow(51, 30, 480, Infinity, 5));
  });

  it('always covers the view, whatever the inputs', () => {
    for (const count of [0, 1, 10, 51, 300])
      for (const top of [-50, 0, 17, 400, 1234, 9000, Infinity, Number.NaN])
        for (const h of [0, 20, 31.5, Number.NaN]) {
          const w = rowWindow(count, h, 480, top, 5);
          expect(w.start).toBeGreaterThanOrEqual(0);
          expect(w.end).toBeLessThanOrEqual(count);
          expect(w.start).toBeLessThanOrEqual(w.end);
          const rh = h > 0 ? h : 1;
          // The rows in view (from the clamped scroll position) are drawn.
          const first = Math.min(
            Math.floor(Math.max(0, Number.isNaN(top) ? 0 : top) / rh),
            Math.max(0, count - 1),
          );
          if (count && Number.isFinite(top)) {
            expect(w.start).toBeLessThanOrEqual(first);
            expect(w.end).toBeGreaterThanOrEqual(Math.min(count, first + Math.ceil(480 / rh)));
          }
          expect(w.end - w.start).toBe(Math.min(count, Math.ceil(480 / rh) + 11));
          expect(w.before + (w.end - w.start) * rh + w.after).toBeCloseTo(count * rh);
        }
  });
});
