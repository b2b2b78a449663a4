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

  it('describes a run by its preset and changes', () => {
    expect(describeConfig('quick', { ...presetConfig('quick'), topK: 40 })).toBe('quick · topK=40');
    expect(describeConfig('default', defaultConfig)).toBe('default');
  });
});
