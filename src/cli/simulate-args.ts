// The arguments of `npm run simulate`, checked before anything runs; every problem is a UsageError
// that names the option or the setting.
import type { Config } from '../sim/config.ts';
import { clip } from '../sim/config.ts';
import { presetNames } from '../sim/presets.ts';
import type { UserCorpus } from '../world/user-corpus.ts';
import { configFromArgs, parseArgs, UsageError } from './args.ts';
import { readCorpusFile } from './corpus-file.ts';
import type { NamedPath } from './output-paths.ts';

export const SIMULATE_USAGE = `usage: npm run simulate -- [--preset NAME] [--set key=value ...] [--config FILE]
                            [--out run.json] [--csv metrics.csv] [--backend node|wasm] [--threads N] [--quiet]
                            [--corpus text.txt|pairs.jsonl [--corpus-kind auto|text|qa-jsonl]] [--debug]
presets: ${presetNames.join(', ')}
--corpus: train on your own plain text or Q/A JSONL ({"question": "…", "answer": "…"} per line) instead
of the fact world (at most 5 MB)
--debug: print the stack trace of an error as well as its one-line message
FILE: a JSON object of settings, e.g. {"generations": 5, "syntheticFraction": 0.5}, layered between
the preset and --set`;

export interface SimulateOptions {
  config: Config;
  backend: 'node' | 'wasm';
  threads?: number;
  out?: string;
  csv?: string;
  quiet: boolean;
  /** Your own corpus (--corpus), parsed and validated. */
  corpus?: UserCorpus;
  /** The files read (--config, --corpus): no output may be one of them. */
  inputs: NamedPath[];
}

/** The run `argv` asks for, or null for --help; throws UsageError naming the first problem. */
export function parseSimulateArgs(argv: readonly string[]): SimulateOptions | null {
  const args = parseArgs(argv, {
    values: ['preset', 'config', 'out', 'csv', 'backend', 'threads', 'corpus', 'corpus-kind'],
    multi: ['set'],
    flags: ['quiet', 'help'],
  });
  if (args.help) return null;
  const config = configFromArgs(
    args.preset as string | undefined,
    args.config as string | undefined,
    (args.set as string[] | undefined) ?? [],
  );
  if (args.backend !== undefined && args.backend !== 'node' && args.backend !== 'wasm')
    throw new UsageError(`--backend must be node or wasm, got '${clip(String(args.backend))}'`);
  if (args.threads !== undefined && !/^[1-9]\d{0,3}$/.test(String(args.threads)))
    throw new UsageError(`--threads must be an integer in [1, 9999], got '${clip(String(args.threads))}'`);
  for (const name of ['out', 'csv', 'corpus'] as const)
    if (args[name] === '') throw new UsageError(`--${name} needs a file name, got ''`);
  if (args['corpus-kind'] !== undefined && args.corpus === undefined)
    throw new UsageError('--corpus-kind needs --corpus FILE');
  return {
    config,
    backend: (args.backend as 'node' | 'wasm' | undefined) ?? 'node',
    ...(args.threads ? { threads: Number(args.threads) } : {}),
    ...(args.out ? { out: String(args.out) } : {}),
    ...(args.csv ? { csv: String(args.csv) } : {}),
    quiet: args.quiet === true,
    inputs: (['config', 'corpus'] as const).flatMap((name) =>
      args[name] === undefined ? [] : [{ option: `--${name}`, path: String(args[name]) }],
    ),
    ...(args.corpus !== undefined
      ? { corpus: readCorpusFile(String(args.corpus), args['corpus-kind'] as string | undefined) }
      : {}),
  };
}
