// Command-line parsing shared by the CLI's commands: --flag value pairs, repeatable --set, and a
// usage error that names the problem.
import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';
import { clip, type Config } from '../sim/config.ts';
import { readConfigFile, resolveCliConfig } from './config-file.ts';

export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Parse `--name value` / `--name=value` / `--flag` arguments with node:util's parseArgs; `multi` names
 * may repeat. Every problem is a one-line UsageError that names the argument.
 */
export function parseArgs(
  argv: readonly string[],
  known: { values: readonly string[]; flags?: readonly string[]; multi?: readonly string[] },
): Record<string, string | string[] | boolean> {
  const options: ParseArgsConfig['options'] = {};
  for (const name of known.values) options[name] = { type: 'string' };
  for (const name of known.multi ?? []) options[name] = { type: 'string', multiple: true };
  for (const name of known.flags ?? []) options[name] = { type: 'boolean' };
  const nameOf = (arg: string) => arg.slice(2).split('=')[0]!;
  // Refused here rather than by node, to name them in this CLI's words: words that are not options
  // (this CLI has none, and no one-dash options), and options it does not know. A value may start with
  // one dash (`--threads -1` is then refused by its own check): node would read it as another option
  // unless it is joined to its name with '='.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--'))
      throw new UsageError(`unexpected argument '${clip(arg)}': options start with --`);
    const option = options[nameOf(arg)];
    if (!option || arg === '--') throw new UsageError(`unknown option --${clip(nameOf(arg))}`);
    const next = argv[i + 1];
    if (option.type === 'string' && !arg.includes('=') && next !== undefined && !next.startsWith('--')) {
      args.push(`${arg}=${next}`);
      i++;
    } else args.push(arg);
  }
  try {
    const { values } = nodeParseArgs({ args, options, strict: true, allowPositionals: false });
    return { ...values } as Record<string, string | string[] | boolean>;
  } catch (e) {
    // What is left for node to find: a value missing, or given to a flag.
    const code = (e as { code?: string }).code;
    if (code !== 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw e;
    const arg = args.find((a) => {
      const type = options[nameOf(a)]?.type;
      return type === 'string' ? !a.includes('=') : a.includes('=');
    });
    const name = clip(arg ? nameOf(arg) : '');
    throw new UsageError(
      options[name]?.type === 'boolean' ? `--${name} takes no value` : `--${name} needs a value`,
    );
  }
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
