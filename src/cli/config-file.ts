// The JSON config file of the CLI (`--config run.json`): a JSON object of settings, layered between the
// preset and the --set flags. Pure functions over bytes, so that every failure has a message that
// names the file and the problem (the fuzz tests feed them thousands of bad files).
import { clip, parseConfig, type Config } from '../sim/config.ts';
import { parseOverrides, resolveConfig } from '../sim/presets.ts';
import { FileError, readInputFile } from './input-files.ts';

/** Largest config file read; a config with every setting is under 2 KiB. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const tooBig = (name: string, size: number) =>
  `config file ${name} is ${size} bytes, over the limit of ${MAX_CONFIG_FILE_BYTES} bytes (1 MiB) for a config file`;

/** Reads a config file's bytes: a regular file only, and never more than the limit plus one byte. */
export function readConfigFile(file: string): Parsed<Uint8Array> {
  try {
    return {
      ok: true,
      value: readInputFile(file, `config file ${file}`, MAX_CONFIG_FILE_BYTES, (size) => tooBig(file, size)),
    };
  } catch (e) {
    if (!(e instanceof FileError)) throw e;
    return { ok: false, errors: [e.message] };
  }
}

/** The settings a config file holds: UTF-8 JSON of one object, each setting valid on its own. */
export function parseConfigFile(bytes: Uint8Array, name: string): Parsed<Record<string, unknown>> {
  const fail = (message: string): Parsed<Record<string, unknown>> => ({
    ok: false,
    errors: [`config file ${name} ${message}`],
  });
  if (bytes.length > MAX_CONFIG_FILE_BYTES) return { ok: false, errors: [tooBig(name, bytes.length)] };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('is not UTF-8 text (a binary file?)');
  }
  if (!text.trim()) return fail('is empty: expected a JSON object of settings, e.g. {"generations": 5}');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(`is not valid JSON: ${clip((e as Error).message, 120)}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return fail(
      `must hold a JSON object of settings, e.g. {"generations": 5}, not ${Array.isArray(json) ? 'an array' : json === null ? 'null' : `a ${typeof json}`}`,
    );
  // Each setting on its own (the defaults fill the rest), so that messages point at the file.
  const r = parseConfig(json);
  if (!r.ok) return { ok: false, errors: r.errors.map((e) => `config file ${name}: ${e.message}`) };
  return { ok: true, value: json as Record<string, unknown> };
}

/** Preset, then the config file's settings, then --set overrides: validated, with every problem named. */
export function resolveCliConfig(
  preset: string | undefined,
  file: { name: string; bytes: Uint8Array } | undefined,
  sets: readonly string[],
): Parsed<Config> {
  const errors: string[] = [];
  let fromFile: Record<string, unknown> = {};
  if (file) {
    const f = parseConfigFile(file.bytes, file.name);
    if (f.ok) fromFile = f.value;
    else for (const e of f.errors) errors.push(e);
  }
  const parsed = parseOverrides(sets);
  if (!parsed.ok) for (const e of parsed.errors) errors.push(`--set ${e.message}`);
  if (errors.length) return { ok: false, errors };
  const r = resolveConfig(preset ?? 'default', { ...fromFile, ...(parsed.ok ? parsed.overrides : {}) });
  return r.ok ? { ok: true, value: r.config } : { ok: false, errors: r.errors.map((e) => e.message) };
}
