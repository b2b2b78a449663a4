import {
  checkField,
  clip,
  configField,
  configFields,
  defaultConfig,
  invalid,
  parseConfig,
  unknownKey,
  type Config,
  type ConfigError,
  type ConfigKey,
} from './config.ts';

/** A named starting point: a short description and the settings it changes from the defaults. */
export interface Preset {
  description: string;
  settings: Partial<Config>;
}

/** Built-in presets. `default` is the paper's harshest setting; `quick` is for smoke tests and demos. */
export const presets = {
  default: {
    description:
      'Tiny GPT, fully synthetic replace loop (α = 1), 14 generations after generation 0, 300 documents each, sampled at temperature 0.9.',
    settings: {},
  },
  quick: {
    description:
      'Nano GPT, small world and corpus, 3 generations: about half a minute on 2 CPU cores. Facts fade from generation 1; knowledge collapse (stage B) arrives at generation 2 or 3 in most seeds (5 of 6 tried), while seed 1 stays just above the threshold.',
    settings: {
      model: 'nano',
      generations: 3,
      entitiesPerKind: 12,
      realDocuments: 400,
      // Enough passes for the nano model to learn the head facts (accuracy ~0.7, fluency ~0.8 at
      // generation 0; with 10 it stayed near 0.2 and 0.5, so every run read as stage C from the start).
      gen0Epochs: 20,
      heldOutDocuments: 40,
      documentsPerGeneration: 200,
      epochs: 2,
      maxNewTokens: 32,
      probeFacts: 40,
      recordSamples: 4,
    },
  },
  ngram: {
    description:
      'Count unigram model refit on its own samples: instant, so 50 generations show the drift of the closed forms.',
    // Unigram, no smoothing, refit from scratch on its own samples only: the assumptions of the
    // closed forms it is drawn beside (Wright–Fisher drift of a categorical distribution).
    // Temperature 1 and unconditional prompts: no sampling bias and no real tokens in the loop.
    settings: {
      model: 'ngram',
      ngramOrder: 1,
      ngramAddK: 0,
      generations: 50,
      epochs: 1,
      init: 'scratch',
      temperature: 1,
      promptSource: 'unconditional',
    },
  },
  'half-real': {
    description: 'Keisha et al.: a fixed real half in every generation (α = 0.5).',
    settings: { syntheticFraction: 0.5 },
  },
  accumulate: {
    description: 'Gerstgrasser et al.: keep all real and synthetic data so far; error stays bounded.',
    settings: { dataMode: 'accumulate' },
  },
  fresh: {
    description: 'Alemohammad et al.: fresh real data every generation.',
    settings: { dataMode: 'fresh', syntheticFraction: 0.5 },
  },
} satisfies Record<string, Preset>;

/** Name of a built-in preset. */
export type PresetName = keyof typeof presets;

/** Names of the built-in presets, `default` first. */
export const presetNames = Object.keys(presets) as PresetName[];

/** Whether `name` is a built-in preset. */
export const isPresetName = (name: string): name is PresetName => Object.hasOwn(presets, name);

/** Layers defaults → preset → overrides and validates the result. */
export function resolveConfig(
  presetName: string = 'default',
  overrides: Readonly<Record<string, unknown>> = {},
): { ok: true; config: Config } | { ok: false; errors: ConfigError[] } {
  if (!isPresetName(presetName)) {
    const known = presetNames.map((n) => `'${n}'`).join(', ');
    return {
      ok: false,
      errors: [{ field: 'preset', message: `preset: unknown '${clip(presetName)}' (known: ${known})` }],
    };
  }
  // An override left undefined keeps the preset's value.
  const set = Object.fromEntries(Object.entries(overrides).filter(([, x]) => x !== undefined));
  return parseConfig({ ...presets[presetName].settings, ...set });
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

type SettingResult =
  { ok: true; key: ConfigKey; value: Config[ConfigKey] } | { ok: false; error: ConfigError };

/** Parses one "key=value" string (CLI flag), coercing the value by the field's type. */
export function parseOverride(text: string): SettingResult {
  const eq = text.indexOf('=');
  return eq < 0 ? parseSetting(text, undefined) : parseSetting(text.slice(0, eq), text.slice(eq + 1));
}

/**
 * Parses one setting given as text (a URL parameter, or a flag split at its '='), coercing the value
 * by the field's type; `raw` undefined is a bare key, which only a boolean setting accepts (as true).
 */
export function parseSetting(name: string, raw: string | undefined): SettingResult {
  const key = name.trim();
  const text = raw === undefined ? name : `${name}=${raw}`;
  const f = configField(key);
  if (!f)
    return {
      ok: false,
      error: key
        ? unknownKey(key)
        : { field: clip(text), message: `expected key=value, got '${clip(text)}'` },
    };
  if (raw === undefined && f.kind !== 'boolean')
    return {
      ok: false,
      error: { field: key, message: `${key}: expected ${key}=<value>, got '${clip(text)}'` },
    };
  const trimmed = raw === undefined ? 'true' : raw.trim();
  let value: unknown = trimmed;
  if (f.kind === 'int' || f.kind === 'number') {
    // Text that is no number at all gets the field's range; a number in another notation, why not.
    const n = trimmed === '' || Number.isNaN(Number(trimmed)) ? NaN : parseDecimal(trimmed);
    if (typeof n === 'string') return { ok: false, error: { field: key, message: `${key}: ${n}` } };
    value = n;
  } else if (f.kind === 'boolean')
    value = TRUE.has(trimmed.toLowerCase()) ? true : FALSE.has(trimmed.toLowerCase()) ? false : trimmed;
  const r = checkField(f.key, value);
  return r.ok ? { ok: true, key: f.key, value: r.value } : { ok: false, error: invalid(f, trimmed) };
}

/** Decimal notation: digits with an optional point and exponent (0.5, -3, 1e-4, .25). */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A number written in decimal notation, or a message saying why not: hexadecimal, binary and octal (0x10, 0b11, 0o7),
 * "Infinity" and the like are refused, and so is a number too small to represent that would silently
 * read as 0 (1e-400).
 */
export function parseDecimal(text: string): number | string {
  if (!DECIMAL.test(text))
    return `must be a number in decimal notation (like 0.5, 12 or 1e-3), got '${clip(text)}'`;
  const n = Number(text);
  const mantissa = text.replace(/[eE].*$/, '');
  if (n === 0 && /[1-9]/.test(mantissa))
    return `must be 0 or at least 5e-324 in size: '${clip(text)}' is too small to represent and would read as 0`;
  return n;
}

/** Parses many "key=value" strings into a partial config; later strings win. */
export function parseOverrides(
  texts: readonly string[],
): { ok: true; overrides: Partial<Config> } | { ok: false; errors: ConfigError[] } {
  const overrides: Record<string, unknown> = {};
  const errors: ConfigError[] = [];
  for (const t of texts) {
    const r = parseOverride(t);
    if (r.ok) overrides[r.key] = r.value;
    else errors.push(r.error);
  }
  return errors.length ? { ok: false, errors } : { ok: true, overrides: overrides as Partial<Config> };
}

/** The "key=value" strings that turn `base` into `config` (for CLI lines and shareable URLs). */
export function configToOverrides(config: Config, base: Config = defaultConfig): string[] {
  return configFields
    .filter((f) => config[f.key] !== base[f.key])
    .map((f) => `${f.key}=${String(config[f.key])}`);
}
