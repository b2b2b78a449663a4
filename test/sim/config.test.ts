import { describe, expect, it } from 'vitest';
import { configFields, configGroups, defaultConfig, parseConfig } from '../../src/sim/config.ts';
import {
  configToOverrides,
  parseOverride,
  parseOverrides,
  presetNames,
  presets,
  resolveConfig,
} from '../../src/sim/presets.ts';

describe('config schema', () => {
  it('fills every field with its default', () => {
    const r = parseConfig({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toEqual(defaultConfig);
    expect(r.config.syntheticFraction).toBe(1);
    expect(r.config.dataMode).toBe('replace');
    expect(r.config.model).toBe('tiny');
    expect(Object.keys(r.config).sort()).toEqual(configFields.map((f) => f.key).sort());
  });

  it('has metadata for every field: group, description, range or options, valid default', () => {
    for (const f of configFields) {
      expect(configGroups).toContain(f.group);
      expect(f.description.length).toBeGreaterThan(10);
      expect(defaultConfig[f.key]).toBe(f.default);
      if (f.kind === 'int' || f.kind === 'number') {
        expect(f.min).toBeTypeOf('number');
        expect(f.max).toBeGreaterThan(f.min!);
      }
      if (f.kind === 'enum') expect(f.options).toContain(f.default);
    }
    for (const g of configGroups) expect(configFields.some((f) => f.group === g)).toBe(true);
  });

  it('names the field, the allowed range and the value in errors', () => {
    const r = parseConfig({ syntheticFraction: 1.5, generations: 2.5, model: 'huge', domainSpecific: 'yes' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byField = Object.fromEntries(r.errors.map((e) => [e.field, e.message]));
    expect(byField.syntheticFraction).toBe('syntheticFraction: must be a number in [0, 1], got 1.5');
    expect(byField.generations).toBe('generations: must be an integer in [1, 200], got 2.5');
    expect(byField.model).toBe("model: must be one of 'nano', 'tiny', 'small', 'ngram', got 'huge'");
    expect(byField.domainSpecific).toBe("domainSpecific: must be true or false, got 'yes'");
  });

  it('refuses unknown keys, suggesting a near name', () => {
    const r = parseConfig({ temprature: 1, zzz: 2 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toContainEqual({
      field: 'temprature',
      message: "temprature: unknown setting; did you mean 'temperature'?",
    });
    expect(r.errors).toContainEqual({ field: 'zzz', message: 'zzz: unknown setting' });
  });

  it('checks exclusive and inclusive bounds', () => {
    expect(parseConfig({ topP: 0 }).ok).toBe(false);
    expect(parseConfig({ topP: 1 }).ok).toBe(true);
    expect(parseConfig({ learningRate: 0 }).ok).toBe(false);
    expect(parseConfig({ ngramAddK: 0 }).ok).toBe(true); // maximum likelihood
    expect(parseConfig({ ngramAddK: -0.1 }).ok).toBe(false);
    expect(parseConfig({ temperature: 0 }).ok).toBe(true);
    expect(parseConfig({ tceGamma: 0.49 }).ok).toBe(false);
    expect(parseConfig({ seed: -1 }).ok).toBe(false);
    expect(parseConfig({ evalDomain: 'Geo graphy' }).ok).toBe(false);
    const r = parseConfig({ topP: 0 });
    if (!r.ok) expect(r.errors[0]?.message).toBe('topP: must be a number in (0, 1], got 0');
  });

  it('rejects non-objects', () => {
    const r = parseConfig(null);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.field).toBe('config');
  });
});

describe('overrides', () => {
  it('coerces by field type', () => {
    expect(parseOverride('syntheticFraction=0.25')).toEqual({
      ok: true,
      key: 'syntheticFraction',
      value: 0.25,
    });
    expect(parseOverride('generations=20')).toEqual({ ok: true, key: 'generations', value: 20 });
    expect(parseOverride('domainSpecific=true')).toEqual({ ok: true, key: 'domainSpecific', value: true });
    expect(parseOverride('domainSpecific=off')).toEqual({ ok: true, key: 'domainSpecific', value: false });
    expect(parseOverride('domainSpecific')).toEqual({ ok: true, key: 'domainSpecific', value: true });
    expect(parseOverride('dataMode=accumulate')).toEqual({ ok: true, key: 'dataMode', value: 'accumulate' });
    expect(parseOverride(' model = ngram ')).toEqual({ ok: true, key: 'model', value: 'ngram' });
  });

  it('explains bad keys and values', () => {
    expect(parseOverride('alpha=0.5')).toMatchObject({ ok: false, error: { field: 'alpha' } });
    expect(parseOverride('generation=3')).toEqual({
      ok: false,
      error: { field: 'generation', message: "generation: unknown setting; did you mean 'generations'?" },
    });
    expect(parseOverride('generations=ten')).toEqual({
      ok: false,
      error: { field: 'generations', message: "generations: must be an integer in [1, 200], got 'ten'" },
    });
    expect(parseOverride('generations=')).toMatchObject({ ok: false, error: { field: 'generations' } });
    expect(parseOverride('generations')).toMatchObject({ ok: false, error: { field: 'generations' } });
    expect(parseOverride('dataMode=mix')).toMatchObject({ ok: false, error: { field: 'dataMode' } });
  });

  it('collects many overrides, and round-trips a config through key=value strings', () => {
    const r = parseOverrides(['seed=7', 'topK=40', 'seed=9']);
    expect(r).toEqual({ ok: true, overrides: { seed: 9, topK: 40 } });
    const bad = parseOverrides(['seed=x', 'nope=1']);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.field)).toEqual(['seed', 'nope']);
    const c = { ...defaultConfig, seed: 3, temperature: 0.7, domainSpecific: true, init: 'scratch' as const };
    const strings = configToOverrides(c);
    expect(strings).toEqual(['seed=3', 'init=scratch', 'domainSpecific=true', 'temperature=0.7']);
    const back = parseOverrides(strings);
    expect(back.ok && parseConfig(back.overrides)).toEqual({ ok: true, config: c });
  });
});

describe('presets', () => {
  it('every preset is valid', () => {
    for (const name of presetNames) expect(resolveConfig(name).ok, name).toBe(true);
    expect(presetNames[0]).toBe('default');
  });

  it('layers defaults, preset and overrides', () => {
    const r = resolveConfig('quick', { seed: 5, generations: undefined });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.model).toBe('nano');
    expect(r.config.generations).toBe(presets.quick.settings.generations);
    expect(r.config.seed).toBe(5);
    expect(r.config.temperature).toBe(defaultConfig.temperature);
    expect(resolveConfig('default')).toEqual({ ok: true, config: defaultConfig });
  });

  it('quick is small', () => {
    const r = resolveConfig('quick');
    if (!r.ok) throw new Error('quick preset invalid');
    expect(r.config.generations).toBeLessThanOrEqual(4);
    // Generation 0 reads at most 8,000 documents (the default reads 12,000 with a model 3.6× larger).
    expect(r.config.realDocuments * r.config.gen0Epochs).toBeLessThanOrEqual(8000);
    expect(r.config.model).toBe('nano');
  });

  it('rejects unknown presets and bad overrides', () => {
    expect(resolveConfig('fast')).toEqual({
      ok: false,
      errors: [{ field: 'preset', message: expect.stringContaining("preset: unknown 'fast'") }],
    });
    expect(resolveConfig('default', { syntheticFraction: 2 }).ok).toBe(false);
  });
});
