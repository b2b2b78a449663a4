import { describe, expect, it } from 'vitest';
import { fileStem, MAX_RUN_FILE_BYTES, parseRunFile, runFileText } from '../../src/app/state/run-file.ts';
import { defaultConfig } from '../../src/sim/config.ts';
import { createRecord, MAX_PERPLEXITY, type RunRecord } from '../../src/sim/record.ts';
import { QUICK_RUN } from '../charts/fixtures.ts';

const record = createRecord(
  defaultConfig,
  { backend: 'wasm', backendReason: 'test', versions: {} },
  '2026-01-01T00:00:00Z',
);

describe('run files', () => {
  it('reads back what export writes', () => {
    expect(parseRunFile(runFileText(record))).toEqual({ ok: true, record });
  });

  it('refuses empty, non-JSON, oversized and non-record files with a reason', () => {
    expect(parseRunFile('')).toEqual({ ok: false, errors: ['the file is empty'] });
    const notJson = parseRunFile('{"schema": ');
    expect(notJson.ok).toBe(false);
    if (!notJson.ok) expect(notJson.errors[0]).toMatch(/^the file is not JSON: /);
    const big = parseRunFile('{}', MAX_RUN_FILE_BYTES + 1);
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.errors[0]).toMatch(/up to 64 MiB/);
    const other = parseRunFile('{"schema": "something-else"}');
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.errors[0]).toMatch(/not an Ouroboros run record/);
  });

  it('lists every bad value by path, the config’s with its allowed range', () => {
    const bad = { ...record, status: 'exploded', config: { ...record.config, syntheticFraction: 2 } };
    const r = parseRunFile(JSON.stringify(bad));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toContain('config.syntheticFraction: must be a number in [0, 1], got 2');
    expect(r.errors.some((e) => e.startsWith('status: '))).toBe(true);
  });

  it('reads a real four-generation run back whole', () => {
    expect(parseRunFile(runFileText(QUICK_RUN))).toEqual({ ok: true, record: QUICK_RUN });
  });

  it('refuses absurd metrics (accuracy −5, perplexity 1e300, Infinity, NaN), naming each value', () => {
    const r = structuredClone(QUICK_RUN);
    r.generations[1]!.metrics.accuracy = -5;
    r.generations[2]!.metrics.realPerplexity = 1e300;
    r.generations[3]!.metrics.accuracyByPopularity.head = 1.5;
    r.generations[0]!.probes = [
      { factId: 'f', format: 'qa', question: 'q', answer: 'a', expected: 'a', correct: true, probability: 2 },
    ];
    const parsed = parseRunFile(runFileText(r));
    expect(parsed).toEqual({
      ok: false,
      errors: [
        'generations.0.probes.0.probability: 2 is out of range (expected a share, from 0 to 1)',
        'generations.1.metrics.accuracy: -5 is out of range (expected a share, from 0 to 1)',
        `generations.2.metrics.realPerplexity: 1e+300 is out of range (expected a perplexity, from 1 to ${MAX_PERPLEXITY})`,
        'generations.3.metrics.accuracyByPopularity.head: 1.5 is out of range (expected a share, from 0 to 1)',
      ],
    });
    // JSON has no NaN or Infinity: 1e999 reads as Infinity, a bare NaN is not JSON, a quoted one not a number.
    const text = runFileText(QUICK_RUN);
    const gen1 = text.indexOf('"realPerplexity"', text.indexOf('"generation": 1'));
    const withValue = (value: string) =>
      text.slice(0, gen1) +
      text.slice(gen1).replace(/"realPerplexity": [^,\n]+/, `"realPerplexity": ${value}`);
    expect(parseRunFile(withValue('1e999'))).toEqual({
      ok: false,
      errors: [
        `generations.1.metrics.realPerplexity: Infinity is out of range (expected a perplexity, from 1 to ${MAX_PERPLEXITY})`,
      ],
    });
    const nan = parseRunFile(withValue('NaN'));
    expect(nan.ok).toBe(false);
    if (!nan.ok) expect(nan.errors).toEqual([expect.stringMatching(/^the file is not JSON: /)]);
    expect(parseRunFile(withValue('"NaN"'))).toEqual({
      ok: false,
      errors: [`generations.1.metrics.realPerplexity: expected number, got "NaN"`],
    });
    // A perplexity just inside the bound, and a share at 1 plus rounding, are accepted.
    const edge = structuredClone(QUICK_RUN);
    edge.generations[1]!.metrics.realPerplexity = MAX_PERPLEXITY;
    edge.generations[1]!.metrics.ece = 1 + 2 ** -52;
    expect(parseRunFile(runFileText(edge)).ok).toBe(true);
  });

  it('refuses duplicate, missing or reordered generation numbers', () => {
    const numbered = (...ns: number[]): RunRecord => ({
      ...QUICK_RUN,
      generations: ns.map((n, i) => ({ ...QUICK_RUN.generations[i]!, generation: n })),
    });
    expect(parseRunFile(runFileText(numbered(0, 1, 1, 3)))).toEqual({
      ok: false,
      errors: [
        'generations.2.generation: generation 2 of the record is numbered 1, a duplicate (generations must be numbered 0, 1, 2, … in order)',
      ],
    });
    const gap = parseRunFile(runFileText(numbered(0, 1, 3)));
    expect(gap).toEqual({
      ok: false,
      errors: [
        'generations.2.generation: generation 2 of the record is numbered 3 (generations must be numbered 0, 1, 2, … in order)',
      ],
    });
    expect(parseRunFile(runFileText(numbered(1, 0))).ok).toBe(false);
    expect(parseRunFile(runFileText(numbered(0, 1, 2, 3))).ok).toBe(true);
  });

  it('names files after runs, keeping letters, digits, dots and dashes', () => {
    expect(fileStem('quick · topK=40')).toBe('quick-topK-40');
    expect(fileStem('α = 0.25 / replace')).toBe('0.25-replace');
    expect(fileStem('···')).toBe('run');
  });
});
