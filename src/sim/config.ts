import * as v from 'valibot';
import { modelPresetNames } from '../model/architectures.ts';
import { DOMAINS } from '../world/schema.ts';

/** Groups of settings, in the order the app shows them. */
export const configGroups = ['world', 'model', 'loop', 'sampling', 'mitigations', 'stages'] as const;
/** One group of settings. */
export type ConfigGroup = (typeof configGroups)[number];
/** Each group's title, as the app's settings panel and `simulate --help` show it. */
export const configGroupTitles: Record<ConfigGroup, string> = {
  world: 'World',
  model: 'Model',
  loop: 'Loop and data',
  sampling: 'Sampling',
  mitigations: 'Mitigations',
  stages: 'Stage thresholds and metrics',
};

/** What the app needs to render a control for one setting. */
export interface ConfigField {
  key: ConfigKey;
  group: ConfigGroup;
  description: string;
  kind: 'int' | 'number' | 'enum' | 'boolean' | 'string';
  default: number | string | boolean;
  unit?: string;
  min?: number;
  max?: number;
  /** True when `min` itself is not allowed (the range is (min, max]). */
  minExclusive?: boolean;
  options?: readonly string[];
}

/** A problem with one setting; `message` starts with the field name and says what is allowed. */
export interface ConfigError {
  field: string;
  message: string;
}

type Meta = Omit<ConfigField, 'key'>;

const int = (
  group: ConfigGroup,
  def: number,
  min: number,
  max: number,
  description: string,
  unit?: string,
) => ({
  schema: v.optional(
    v.pipe(
      v.number(),
      v.check((x) => Number.isInteger(x) && x >= min && x <= max),
    ),
    def,
  ),
  meta: { group, description, kind: 'int', default: def, min, max, ...(unit ? { unit } : {}) } as Meta,
});

const num = (
  group: ConfigGroup,
  def: number,
  [min, max]: [number, number],
  description: string,
  opts: { minExclusive?: boolean; unit?: string } = {},
) => ({
  schema: v.optional(
    v.pipe(
      v.number(),
      v.check((x) => (opts.minExclusive ? x > min : x >= min) && x <= max),
    ),
    def,
  ),
  meta: { group, description, kind: 'number', default: def, min, max, ...opts } as Meta,
});

const pick = <const T extends readonly [string, ...string[]]>(
  group: ConfigGroup,
  def: T[number],
  options: T,
  description: string,
) => ({
  schema: v.optional(v.picklist(options), def),
  meta: { group, description, kind: 'enum', default: def, options } as Meta,
});

const bool = (group: ConfigGroup, def: boolean, description: string) => ({
  schema: v.optional(v.boolean(), def),
  meta: { group, description, kind: 'boolean', default: def } as Meta,
});

const fields = {
  // world
  seed: int('world', 1, 0, 0xffffffff, 'Seeds the fact world, model initialisation and sampling.'),
  entitiesPerKind: int('world', 50, 2, 5000, 'Entities of each kind in the fact world.'),
  zipfExponent: num('world', 1, [0, 3], 'Zipf exponent of entity popularity (0 = all equally mentioned).'),
  factShare: num(
    'world',
    0.6,
    [0, 1],
    'Share of real-corpus sentences that state a fact; the rest is filler.',
  ),
  realDocuments: int('world', 2000, 1, 200000, 'Documents in the real training corpus.', 'docs'),
  heldOutDocuments: int('world', 200, 0, 20000, 'Held-out real documents for real-text perplexity.', 'docs'),
  evalDomain: pick(
    'world',
    'geography',
    DOMAINS,
    'Domain whose facts are probed (and trained on when domain-specific).',
  ),
  // model
  model: pick('model', 'tiny', [...modelPresetNames, 'ngram'], 'Model: a tiny GPT preset or a count n-gram.'),
  ngramOrder: int('model', 3, 1, 3, 'n-gram order (1 = unigram, 3 = trigram); n-gram model only.'),
  ngramAddK: num(
    'model',
    0.05,
    [0, 10],
    'Add-k smoothing pseudo-count (0 = maximum likelihood: unseen words get probability 0); n-gram model only.',
  ),
  // loop
  generations: int('loop', 14, 1, 200, 'Generations after generation 0 (each trained on the previous one).'),
  dataMode: pick(
    'loop',
    'replace',
    ['replace', 'accumulate', 'accumulate-subsample', 'fresh'],
    'Training data per generation: fixed real slice + new synthetic, all data so far, a subsample of it, or fresh real data.',
  ),
  syntheticFraction: num(
    'loop',
    1,
    [0, 1],
    'α: share of each generation’s training documents that are model samples.',
  ),
  documentsPerGeneration: int('loop', 300, 1, 200000, 'Training documents per generation.', 'docs'),
  init: pick(
    'loop',
    'continue',
    ['continue', 'scratch'],
    'Fine-tune the previous model, or train from scratch (an n-gram that continues keeps adding counts).',
  ),
  promptSource: pick(
    'loop',
    'real-prefix',
    ['real-prefix', 'unconditional'],
    'Synthetic text continues real-document prefixes, or starts from nothing.',
  ),
  promptTokens: int('loop', 8, 1, 256, 'k: tokens of real prefix given as the prompt.', 'tokens'),
  domainSpecific: bool('loop', false, 'Run the loop on documents of the evaluated domain only.'),
  gen0Epochs: int(
    'loop',
    6,
    1,
    200,
    'Passes over the real corpus when training generation 0 (its “pre-training”).',
  ),
  epochs: int('loop', 2, 1, 100, 'Passes over each later generation’s training data.'),
  learningRate: num('loop', 0.003, [0, 1], 'AdamW learning rate (GPT models).', { minExclusive: true }),
  batchSize: int('loop', 32, 1, 1024, 'Sequences per training step.'),
  // sampling
  temperature: num('sampling', 0.9, [0, 5], 'Softmax temperature of sampling (0 = greedy).'),
  topK: int('sampling', 0, 0, 1_000_000, 'Sample among the k most likely tokens only (0 = off).'),
  topP: num('sampling', 1, [0, 1], 'Nucleus sampling: smallest set reaching probability p (1 = off).', {
    minExclusive: true,
  }),
  maxNewTokens: int('sampling', 64, 1, 4096, 'Longest synthetic continuation.', 'tokens'),
  // mitigations
  surplexityFilter: pick(
    'mitigations',
    'off',
    ['off', 'highest', 'lowest', 'random'],
    'Keep the synthetic documents the model finds most / least surprising, or a random share.',
  ),
  surplexityKeep: num('mitigations', 0.5, [0, 1], 'q: share of synthetic documents the filter keeps.', {
    minExclusive: true,
  }),
  loss: pick('mitigations', 'ce', ['ce', 'tce'], 'Cross-entropy, or truncated cross-entropy (ForTIFAI).'),
  tceGamma: num('mitigations', 0.99, [0.5, 1], 'γ: TCE drops targets the model already predicts with p > γ.'),
  // stages and metrics
  confidenceThreshold: num(
    'stages',
    0.5,
    [0, 1],
    'A wrong answer with probability ≥ this is confidently wrong.',
  ),
  stageBAccuracyDrop: num(
    'stages',
    0.3,
    [0, 1],
    'Stage B when accuracy < (1 − this) × generation-0 accuracy.',
  ),
  stageCFluency: num('stages', 0.5, [0, 1], 'Stage C when fluency falls below this absolute floor.'),
  stageCFluencyDrop: num('stages', 0.3, [0, 1], 'Stage C when fluency < (1 − this) × generation-0 fluency.'),
  probeFacts: int('stages', 200, 1, 10000, 'Facts probed per generation, in every format.', 'facts'),
  recordSamples: int('stages', 8, 0, 200, 'Synthetic samples kept in the run record per generation.'),
};

/** Name of one setting. */
export type ConfigKey = keyof typeof fields;

const entries = Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.schema])) as {
  [K in ConfigKey]: (typeof fields)[K]['schema'];
};

/** The valibot schema of a full config: unknown keys refused, missing keys take their defaults. */
export const ConfigSchema = v.strictObject(entries);
/** A complete, validated simulation config. */
export type Config = v.InferOutput<typeof ConfigSchema>;

/** Metadata of every setting, in display order within each group. */
export const configFields: readonly ConfigField[] = (Object.keys(fields) as ConfigKey[]).map((key) => ({
  key,
  ...fields[key].meta,
}));

const fieldByKey = new Map(configFields.map((f) => [f.key as string, f]));

/** The metadata of a setting, or undefined for an unknown key. */
export const configField = (key: string): ConfigField | undefined => fieldByKey.get(key);

/** Validates one setting's value (undefined gives its default). */
export function checkField<K extends ConfigKey>(
  key: K,
  value: unknown,
): { ok: true; value: Config[K] } | { ok: false } {
  const r = v.safeParse(fields[key].schema, value);
  return r.success ? { ok: true, value: r.output as Config[K] } : { ok: false };
}

/** Every setting at its default. */
export const defaultConfig: Config = v.parse(ConfigSchema, {});

/** Whether `key` names a setting. */
export const isConfigKey = (key: string): key is ConfigKey => fieldByKey.has(key);

/** Human wording of what a field accepts, e.g. "a number in [0, 1]". */
export function allowedValues(f: ConfigField): string {
  const lo = f.minExclusive ? '(' : '[';
  switch (f.kind) {
    case 'int':
      return `an integer in [${f.min}, ${f.max}]`;
    case 'number':
      return `a number in ${lo}${f.min}, ${f.max}]`;
    case 'enum':
      return `one of ${(f.options ?? []).map((o) => `'${o}'`).join(', ')}`;
    case 'boolean':
      return 'true or false';
    case 'string':
      return "a lowercase name (letters, digits, '-')";
  }
}

/** Longest piece of user input quoted in a message (an enormous value must not make an enormous message). */
const QUOTE_CHARS = 60;

/** `s` cut to `max` characters, with '…' when cut. */
export const clip = (s: string, max = QUOTE_CHARS): string => (s.length > max ? `${s.slice(0, max)}…` : s);

/** A short, safe description of any value for a message (deep or huge values never throw). */
export function show(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (typeof x === 'string') return `'${clip(x)}'`;
  if (typeof x === 'number' || typeof x === 'boolean' || x === null) return String(x);
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x === 'object') {
    const keys = Object.keys(x);
    return keys.length
      ? `an object with ${clip(keys.map((k) => clip(k, 20)).join(', '))}`
      : 'an empty object';
  }
  return typeof x;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(cur + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

/** The error for a key that names no setting, with a suggestion when one is close. */
export function unknownKey(key: string): ConfigError {
  let best = '';
  let bestD = Infinity;
  // A key far longer than any setting's name is no typo of one (and edit distance is quadratic).
  for (const k of key.length > 64 ? [] : fieldByKey.keys()) {
    const d = k.toLowerCase() === key.toLowerCase() ? 0 : distance(k, key);
    if (d < bestD) [best, bestD] = [k, d];
  }
  const hint = bestD <= Math.max(2, key.length / 3) ? `; did you mean '${best}'?` : '';
  return { field: clip(key), message: `${clip(key)}: unknown setting${hint}` };
}

/** The error for a bad value of a setting: names the field, what it accepts, and what it got. */
export const invalid = (f: ConfigField, got: unknown): ConfigError => ({
  field: f.key,
  message: `${f.key}: must be ${allowedValues(f)}, got ${show(got)}`,
});

/** Validates a whole config (missing keys take defaults) with one clear message per bad field. */
export function parseConfig(
  input: unknown,
): { ok: true; config: Config } | { ok: false; errors: ConfigError[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return {
      ok: false,
      errors: [{ field: 'config', message: `config: must be an object, got ${show(input)}` }],
    };
  // Unknown keys are reported all together (valibot stops at the first), then known fields are checked.
  const record = input as Record<string, unknown>;
  const errors = Object.keys(record)
    .filter((k) => !isConfigKey(k))
    .map(unknownKey);
  const known = Object.fromEntries(Object.entries(record).filter(([k]) => isConfigKey(k)));
  const r = v.safeParse(ConfigSchema, known);
  if (r.success && !errors.length) return { ok: true, config: r.output };
  const seen = new Set<string>();
  for (const issue of r.issues ?? []) {
    const f = fieldByKey.get(String(issue.path?.[0]?.key));
    if (!f || seen.has(f.key)) continue;
    seen.add(f.key);
    errors.push(invalid(f, record[f.key]));
  }
  return { ok: false, errors };
}
