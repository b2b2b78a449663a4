// The CLI's per-generation table: columns never run together, however large a value.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fmt, tableHeader, tableRow } from '../../src/cli/table.ts';
import type { GenerationRecord, RunRecord } from '../../src/sim/record.ts';

const recorded = JSON.parse(fs.readFileSync('public/runs/quick.json', 'utf8')) as RunRecord;
const base = recorded.generations[0]!;
const exploded: GenerationRecord = {
  ...base,
  generation: 123,
  metrics: {
    ...base.metrics,
    realPerplexity: 2.6e84,
    gen0Perplexity: { ...base.metrics.gen0Perplexity, mean: -1.5e300 },
  },
  losses: [1.2e16],
  timings: { trainMs: 3.6e9, sampleMs: 0, evalMs: 0 },
};

describe('CLI table', () => {
  it('writes a number that would not fit in exponent notation, and a normal one as before', () => {
    expect(fmt(2.6e84, 2)).toBe('2.60e+84');
    expect(fmt(-1.5e300, 2)).toBe('-1.50e+300');
    expect(fmt(1234567.891, 2)).toBe('1234567.89'); // 10 characters: fits
    expect(fmt(12345678.91, 2)).toBe('1.23e+7');
    expect(fmt(0.12345)).toBe('0.123');
    expect(fmt(null)).toBe('—');
    expect(fmt(NaN)).toBe('—');
  });

  it('keeps at least one space between columns and every row as wide as the header', () => {
    const header = tableHeader();
    for (const g of [base, exploded]) {
      const row = tableRow(g);
      expect(row.length).toBe(header.length);
      const cells = row.trim().split(/\s+/);
      expect(cells).toHaveLength(14); // one per column: nothing ran together
      // each cell ends where its header ends
      const ends = [...header.matchAll(/\S+(?: s)?/g)].map((m) => m.index + m[0].length);
      let at = 0;
      for (const [i, cell] of cells.entries()) {
        at = row.indexOf(cell, at) + cell.length;
        expect(at, `column ${i}`).toBe(ends[i]);
      }
    }
    const cells = tableRow(exploded).trim().split(/\s+/);
    expect(cells[0]).toBe('123');
    expect(cells[10]).toBe('2.60e+84');
    expect(cells[11]).toBe('-1.50e+300');
    expect(cells[12]).toBe('1.20e+16');
    expect(cells[13]).toBe('3600000.0');
  });
});
