import { describe, expect, it } from 'vitest';
import { fileStem, MAX_RUN_FILE_BYTES, parseRunFile, runFileText } from '../../src/app/state/run-file.ts';
import { defaultConfig } from '../../src/sim/config.ts';
import { createRecord } from '../../src/sim/record.ts';

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

  it('names files after runs, keeping letters, digits, dots and dashes', () => {
    expect(fileStem('quick · topK=40')).toBe('quick-topK-40');
    expect(fileStem('α = 0.25 / replace')).toBe('0.25-replace');
    expect(fileStem('···')).toBe('run');
  });
});
