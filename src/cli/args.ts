// Command-line parsing shared by simulate and sweep: --flag value pairs, repeatable --set, and a
// usage error that names the problem.
import { clip, type Config } from '../sim/config.ts';
import { readConfigFile, resolveCliConfig } from './config-file.ts';

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
    if (!arg.startsWith('--'))
      throw new UsageError(`unexpected argument '${clip(arg)}': options start with --`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (known.flags?.includes(name)) {
      out[name] = true;
      continue;
    }
    if (!known.values.includes(name) && !known.multi?.includes(name))
      throw new UsageError(`unknown option --${clip(name)}`);
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
  let source: { name: string; bytes: Uint8Array } | undefined;
  if (file) {
    const read = readConfigFile(file);
    if (!read.ok) throw new UsageError(read.errors.join('\n'));
    source = { name: file, bytes: read.value };
  }
  const r = resolveCliConfig(preset, source, sets);
  if (!r.ok) throw new UsageError(r.errors.join('\n'));
  return r.value;
}
