import { describe, expect, it } from 'vitest';
import { columnWindow } from '../../src/app/column-window.ts';

describe('probe grid column window', () => {
  it('shows every generation when they fit', () => {
    expect(columnWindow(0, 8, null)).toEqual({ indices: [], start: 0, maxStart: 0 });
    expect(columnWindow(4, 8, null)).toEqual({ indices: [0, 1, 2, 3], start: 0, maxStart: 0 });
    expect(columnWindow(8, 8, 3)).toEqual({ indices: [0, 1, 2, 3, 4, 5, 6, 7], start: 0, maxStart: 0 });
  });

  it('follows the latest generation, with generation 0 kept first', () => {
    expect(columnWindow(9, 8, null)).toEqual({ indices: [0, 2, 3, 4, 5, 6, 7, 8], start: 2, maxStart: 2 });
    const w = columnWindow(51, 8, null);
    expect(w.indices).toEqual([0, 44, 45, 46, 47, 48, 49, 50]);
    expect(w).toMatchObject({ start: 44, maxStart: 44 });
  });

  it('holds a chosen window, clamped to the generations there are', () => {
    expect(columnWindow(51, 8, 1).indices).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(columnWindow(51, 8, 10).indices).toEqual([0, 10, 11, 12, 13, 14, 15, 16]);
    expect(columnWindow(51, 8, -5).indices).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(columnWindow(51, 8, 99).indices).toEqual([0, 44, 45, 46, 47, 48, 49, 50]);
    expect(columnWindow(51, 8, 10.7).indices[1]).toBe(10);
    expect(columnWindow(51, 8, Number.NaN).start).toBe(44);
  });

  it('never draws more than `size` columns, each generation once', () => {
    for (let n = 0; n < 70; n++)
      for (const start of [null, 0, 1, 5, 30, 80]) {
        const { indices } = columnWindow(n, 8, start);
        expect(indices.length).toBe(Math.min(n, 8));
        expect(new Set(indices).size).toBe(indices.length);
        expect(indices.every((i) => i >= 0 && i < n)).toBe(true);
        expect([...indices].sort((a, b) => a - b)).toEqual(indices);
      }
  });
});
