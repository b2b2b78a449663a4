import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/sim/config.ts';
import { presetNames } from '../../src/sim/presets.ts';
import {
  describeConfig,
  presetConfig,
  readUrlConfig,
  writeUrlConfig,
} from '../../src/app/state/url-config.ts';

describe('URL config', () => {
  it('an empty query is the default preset on the auto backend, with no errors', () => {
    expect(readUrlConfig('')).toEqual({
      preset: 'default',
      config: defaultConfig,
      backend: 'auto',
      errors: [],
    });
    expect(writeUrlConfig('default', defaultConfig, 'auto')).toBe('');
  });

  it('layers preset, then the settings in the query', () => {
    const r = readUrlConfig('?preset=quick&syntheticFraction=0.5&dataMode=accumulate&domainSpecific=true');
    expect(r.errors).toEqual([]);
    expect(r.preset).toBe('quick');
    expect(r.config).toEqual({
      ...presetConfig('quick'),
      syntheticFraction: 0.5,
      dataMode: 'accumulate',
      domainSpecific: true,
    });
  });

  it('writes only the settings that differ from the preset, and the backend unless auto', () => {
    const config = { ...presetConfig('quick'), syntheticFraction: 0.25, seed: 7 };
    expect(writeUrlConfig('quick', config, 'wasm')).toBe(
      'preset=quick&seed=7&syntheticFraction=0.25&backend=wasm',
    );
  });

  it('round-trips every preset, backend and a config changed in every kind of field', () => {
    for (const preset of presetNames)
      for (const backend of ['auto', 'webgpu', 'wasm'] as const) {
        const config = {
          ...presetConfig(preset),
          seed: 4294967295,
          learningRate: 0.00012345,
          topP: 0.9,
          surplexityFilter: 'lowest' as const,
          domainSpecific: !presetConfig(preset).domainSpecific,
        };
        const r = readUrlConfig(writeUrlConfig(preset, config, backend));
        expect(r).toEqual({ preset, config, backend, errors: [] });
      }
  });

  it('reports each bad value by name and falls back to the preset value for that field only', () => {
    const r = readUrlConfig('preset=quick&syntheticFraction=1.5&topK=abc&generations=5&model=huge');
    expect(r.errors.map((e) => e.field)).toEqual(['syntheticFraction', 'topK', 'model']);
    expect(r.errors[0]!.message).toMatch(/^syntheticFraction: must be a number in \[0, 1\], got '1.5'/);
    expect(r.errors[1]!.message).toMatch(/^topK: must be an integer/);
    expect(r.errors[2]!.message).toMatch(/^model: must be one of 'nano', 'tiny', 'small', 'ngram'/);
    for (const e of r.errors) expect(e.message).toMatch(/using the preset's value$/);
    expect(r.config).toEqual({ ...presetConfig('quick'), generations: 5 });
  });

  it('names unknown settings (with a suggestion), presets and backends, and falls back to defaults', () => {
    const r = readUrlConfig('preset=huge&backend=cuda&synthticFraction=0.5');
    expect(r.preset).toBe('default');
    expect(r.backend).toBe('auto');
    expect(r.config).toEqual(defaultConfig);
    expect(r.errors.map((e) => e.field)).toEqual(['preset', 'backend', 'synthticFraction']);
    expect(r.errors[0]!.message).toContain("unknown 'huge'");
    expect(r.errors[1]!.message).toContain("got 'cuda'");
    expect(r.errors[2]!.message).toContain("did you mean 'syntheticFraction'?");
  });

  it('ignores the embed parameter, which belongs to the embed layout', () => {
    expect(readUrlConfig('embed&preset=quick').errors).toEqual([]);
  });

  it('accepts numbers in decimal notation only, and refuses a number that would underflow to 0', () => {
    const r = readUrlConfig('temperature=0x10&generations=0b11&topK=0o7&learningRate=1e-400&seed=Infinity');
    expect(r.errors.map((e) => e.field)).toEqual([
      'temperature',
      'generations',
      'topK',
      'learningRate',
      'seed',
    ]);
    for (const [i, got] of ['0x10', '0b11', '0o7'].entries())
      expect(r.errors[i]!.message).toMatch(
        new RegExp(
          `: must be a number in decimal notation \\(like 0\\.5, 12 or 1e-3\\), got '${got}'; using the preset's value$`,
        ),
      );
    expect(r.errors[3]!.message).toBe(
      "learningRate: must be 0 or at least 5e-324 in size: '1e-400' is too small to represent and would read as 0; using the preset's value",
    );
    expect(r.errors[4]!.message).toMatch(/^seed: must be a number in decimal notation/);
    expect(r.config).toEqual(defaultConfig);
    // decimal forms, exponents included, are read as written
    const ok = readUrlConfig('temperature=.5&learningRate=1e-4&seed=1e3&topP=0.25&generations=%2B7');
    expect(ok.errors).toEqual([]);
    expect(ok.config).toMatchObject({
      temperature: 0.5,
      learningRate: 0.0001,
      seed: 1000,
      topP: 0.25,
      generations: 7,
    });
    // 0 written as 0 (in any decimal form) is 0
    expect(readUrlConfig('temperature=0.000e-5').config.temperature).toBe(0);
  });

  it('refuses a key given twice, naming it, and uses neither value', () => {
    const r = readUrlConfig(
      'preset=quick&generations=5&generations=6&preset=ngram&backend=wasm&backend=webgpu&topK=3',
    );
    expect(r.errors.map((e) => e.message)).toEqual([
      "preset: given 2 times in the URL ('quick', 'ngram'); give it once. Using 'default'",
      "generations: given 2 times in the URL ('5', '6'); give it once. Using the preset's value",
      "backend: given 2 times in the URL ('wasm', 'webgpu'); give it once. Using 'auto'",
    ]);
    expect(r.preset).toBe('default');
    expect(r.backend).toBe('auto');
    expect(r.config).toEqual({ ...defaultConfig, topK: 3 });
    // the same key once is fine, whatever the order of the others
    expect(readUrlConfig('generations=5&preset=quick').errors).toEqual([]);
  });

  it('describes a run by its preset and changes', () => {
    expect(describeConfig('quick', { ...presetConfig('quick'), topK: 40 })).toBe('quick · topK=40');
    expect(describeConfig('default', defaultConfig)).toBe('default');
  });
});
