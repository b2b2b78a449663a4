// The lab's whole configuration as a URL query: `?preset=quick&syntheticFraction=0.5&backend=wasm`.
// The query names a preset and the settings that differ from it, so every link reproduces its run.
// Bad values are reported (naming the field) and fall back to the preset's value for that field.
import { clip, type Config, type ConfigError } from '../../sim/config.ts';
import {
  configToOverrides,
  isPresetName,
  parseSetting,
  presetNames,
  resolveConfig,
  type PresetName,
} from '../../sim/presets.ts';
import type { PageBackendRequest } from '../../worker/simulation-api.ts';

/** Everything the URL says about the lab. */
export interface UrlConfig {
  preset: PresetName;
  config: Config;
  backend: PageBackendRequest;
  /** One message per bad parameter, each starting with the parameter's name. */
  errors: ConfigError[];
}

export const BACKENDS: readonly PageBackendRequest[] = ['auto', 'webgpu', 'wasm'];
/** Query parameters that are not config settings: read here, or left for other parts of the app. */
const RESERVED = new Set(['preset', 'backend', 'embed']);

/**
 * Longest query read. A link to the fullest config is about 1,500 characters; a longer query is not a
 * link the lab wrote, and is refused before it is parsed.
 */
export const MAX_QUERY_CHARS = 16_384;

/** The config a preset resolves to (presets are valid by construction; a test checks them). */
export function presetConfig(preset: PresetName): Config {
  const r = resolveConfig(preset);
  if (!r.ok) throw new Error(`preset ${preset} is invalid: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.config;
}

/** Reads the lab's state from a query string (with or without the leading '?'). */
export function readUrlConfig(search: string): UrlConfig {
  if (search.length > MAX_QUERY_CHARS)
    return {
      preset: 'default',
      config: presetConfig('default'),
      backend: 'auto',
      errors: [
        {
          field: 'url',
          message: `url: the query is ${search.length} characters, over the ${MAX_QUERY_CHARS} read; using the default preset`,
        },
      ],
    };
  const all = new URLSearchParams(search);
  const errors: ConfigError[] = [];
  // A key given twice is ambiguous: neither value is used, and the message names the key.
  const counts = new Map<string, number>();
  for (const key of all.keys()) counts.set(key, (counts.get(key) ?? 0) + 1);
  const repeated = new Set([...counts].filter(([k, n]) => n > 1 && k !== 'embed').map(([k]) => k));
  const params = new URLSearchParams([...all].filter(([k]) => !repeated.has(k)));
  for (const key of repeated) {
    const values = all.getAll(key).map((x) => `'${clip(x, 20)}'`);
    const fallback = key === 'preset' ? "'default'" : key === 'backend' ? "'auto'" : "the preset's value";
    errors.push({
      field: clip(key),
      message: `${clip(key)}: given ${values.length} times in the URL (${clip(values.join(', '))}); give it once. Using ${fallback}`,
    });
  }

  let preset: PresetName = 'default';
  const presetParam = params.get('preset');
  if (presetParam !== null) {
    if (isPresetName(presetParam)) preset = presetParam;
    else
      errors.push({
        field: 'preset',
        message: `preset: unknown '${clip(presetParam)}' (known: ${presetNames.join(', ')}); using 'default'`,
      });
  }

  let backend: PageBackendRequest = 'auto';
  const backendParam = params.get('backend');
  if (backendParam !== null) {
    if ((BACKENDS as readonly string[]).includes(backendParam)) backend = backendParam as PageBackendRequest;
    else
      errors.push({
        field: 'backend',
        message: `backend: must be one of ${BACKENDS.join(', ')}, got '${clip(backendParam)}'; using 'auto'`,
      });
  }

  const overrides: Record<string, unknown> = {};
  for (const [key, value] of params) {
    if (RESERVED.has(key)) continue;
    const r = parseSetting(key, value);
    if (r.ok) overrides[r.key] = r.value;
    else errors.push({ field: r.error.field, message: `${r.error.message}; using the preset's value` });
  }
  // Each override is valid on its own, so the layered config is too.
  const resolved = resolveConfig(preset, overrides);
  const config = resolved.ok ? resolved.config : presetConfig(preset);
  return { preset, config, backend, errors };
}

/** The query string (without '?') that reproduces `preset` + `config` on `backend`. */
export function writeUrlConfig(preset: PresetName, config: Config, backend: PageBackendRequest): string {
  const params = new URLSearchParams();
  if (preset !== 'default') params.set('preset', preset);
  for (const o of configToOverrides(config, presetConfig(preset))) {
    const eq = o.indexOf('=');
    params.set(o.slice(0, eq), o.slice(eq + 1));
  }
  if (backend !== 'auto') params.set('backend', backend);
  return params.toString();
}

/** A short name for a run: its preset and the settings it changes, e.g. "quick · syntheticFraction=0.5". */
export function describeConfig(preset: PresetName, config: Config): string {
  const changes = configToOverrides(config, presetConfig(preset));
  return [preset, ...changes].join(' · ');
}
