// Command-line parsing shared by simulate and sweep: --flag value pairs, repeatable --set, and a
// usage error that names the problem.
import fs from 'node:fs';
import { parseOverrides, resolveConfig } from '../sim/presets.ts';
import type { Config } from '../sim/config.ts';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parse `--name value` / `--name=value` / `--flag` arguments; `multi` names may repeat. */
export function parseArgs(
  argv: readonly string[],
  known: { values: readonly string[]; flags?: readonly string[]; multi?: readonly string[] },
): Record<string, string | string[] | boolean> {
  const out: Record<string, string | string[] | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (known.flags?.includes(name)) {
      out[name] = true;
      continue;
    }
    if (!known.values.includes(name) && !known.multi?.includes(name))
      throw new UsageError(`unknown option --${name}`);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || (eq < 0 && value.startsWith('--')))
      throw new UsageError(`--${name} needs a value`);
    if (known.multi?.includes(name)) out[name] = [...((out[name] as string[] | undefined) ?? []), value];
    else out[name] = value;
  }
  return out;
}

/** Preset, then a JSON config file, then --set overrides: validated, with every problem named. */
export function configFromArgs(
  preset: string | undefined,
  file: string | undefined,
  sets: readonly string[],
): Config {
  let fromFile: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read config file ${file}: ${(e as Error).message}`);
    }
    try {
      fromFile = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(`config file ${file} is not valid JSON: ${(e as Error).message}`);
    }
    if (!fromFile || typeof fromFile !== 'object' || Array.isArray(fromFile))
      throw new UsageError(`config file ${file} must hold a JSON object of settings`);
  }
  const parsed = parseOverrides(sets);
  if (!parsed.ok) throw new UsageError(parsed.errors.map((e) => e.message).join('\n'));
  const r = resolveConfig(preset ?? 'default', { ...fromFile, ...parsed.overrides });
  if (!r.ok) throw new UsageError(r.errors.map((e) => e.message).join('\n'));
  return r.config;
}
