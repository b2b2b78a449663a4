import { parseConfig, type Config, type ConfigError } from './config.ts';

/** A named starting point: a short description and the settings it changes from the defaults. */
export interface Preset {
  description: string;
  settings: Partial<Config>;
}

/** Built-in presets. `default` is the paper's harshest setting; `quick` is for smoke tests and demos. */
export const presets = {
  default: {
    description: 'Tiny GPT, fully synthetic replace loop (α = 1), 12 generations.',
    settings: {},
  },
  quick: {
    description:
      'Nano GPT, small world and corpus, 3 generations: finishes in well under a minute on 2 CPU cores.',
    settings: {
      model: 'nano',
      generations: 3,
      entitiesPerKind: 12,
      realDocuments: 200,
      heldOutDocuments: 40,
      documentsPerGeneration: 200,
      epochs: 2,
      maxNewTokens: 32,
      probeFacts: 40,
      recordSamples: 4,
    },
  },
  ngram: {
    description: 'Count trigram model: instant, so 50 generations show the drift of the closed forms.',
    settings: { model: 'ngram', generations: 50, epochs: 1, init: 'scratch' },
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
      errors: [{ field: 'preset', message: `preset: unknown '${presetName}' (known: ${known})` }],
    };
  }
  // An override left undefined keeps the preset's value.
  const set = Object.fromEntries(Object.entries(overrides).filter(([, x]) => x !== undefined));
  return parseConfig({ ...presets[presetName].settings, ...set });
}
