// npm run sweep -- --vary key=v1,v2,... [--vary key2=...] [--seeds N] [--preset NAME] [--set key=value ...]
//                  --out DIR [--jobs N] [--queue redis://…]
// Runs every combination (× seeds) in parallel worker threads, or with --queue on queue workers
// (src/cli/queue-collect.ts); writes one combined CSV, each run's record, and SVG charts of the main
// metrics (mean over seeds per configuration).
import os from 'node:os';
import path from 'node:path';
import { configFromArgs, parseArgs, UsageError } from './args.ts';
import { WriteError } from './atomic-write.ts';
import { onStopSignal, runCli, signalExitCode } from './cli-main.ts';
import { lockDirectory, type DirectoryLock } from './dir-lock.ts';
import { FileError } from './input-files.ts';
import { prepareOutputDirectory, type NamedPath } from './output-paths.ts';
import { queueRunner } from './queue-collect.ts';
import { parseQueueUrl } from './queue-connection.ts';
import { writeRecordFile } from './record-files.ts';
import {
  readSweep,
  reportFiles,
  SWEEP_MANIFEST,
  writeSweepManifest,
  writeSweepReport,
  type SweepEntry,
} from './sweep-report.ts';
import { runPool } from './worker-pool.ts';

const USAGE = `usage: npm run sweep -- --vary key=v1,v2,... [--vary ...] [--seeds N] [--preset NAME]
                         [--set key=value ...] --out DIR [--jobs N] [--queue redis://…] [--debug]
       (--queue: run on queue workers, npm run worker, through Redis; see docs/CLUSTER.md)
       npm run sweep -- --replot DIR     (redraw CSV, tables and charts from DIR/sweep.json)
DIR belongs to one sweep at a time (DIR/.ouroboros.lock names the process holding it).`;

interface Job {
  label: string;
  sets: string[];
  seed: number;
}

function plan(argv: string[]) {
  const args = parseArgs(argv, {
    values: ['seeds', 'preset', 'out', 'jobs', 'config', 'replot', 'queue'],
    multi: ['vary', 'set'],
    flags: ['help'],
  });
  if (args.help) return null;
  if (args.replot) return { replot: String(args.replot) };
  if (!args.out) throw new UsageError('--out DIR is required');
  const varies = ((args.vary as string[]) ?? []).map((v) => {
    const eq = v.indexOf('=');
    if (eq < 1) throw new UsageError(`--vary expects key=v1,v2,..., got '${v}'`);
    const values = v
      .slice(eq + 1)
      .split(',')
      .filter(Boolean);
    if (!values.length) throw new UsageError(`--vary ${v.slice(0, eq)} has no values`);
    return { key: v.slice(0, eq), values };
  });
  if (!varies.length) throw new UsageError('give at least one --vary key=v1,v2,...');
  const seeds = Number(args.seeds ?? 1);
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 100)
    throw new UsageError(`--seeds must be an integer in [1, 100], got '${String(args.seeds)}'`);
  const jobsArg = Number(args.jobs ?? os.availableParallelism());
  if (!Number.isInteger(jobsArg) || jobsArg < 1)
    throw new UsageError(`--jobs must be a positive integer, got '${String(args.jobs)}'`);
  const base = (args.set as string[]) ?? [];
  let combos: string[][] = [[]];
  for (const v of varies) combos = combos.flatMap((c) => v.values.map((x) => [...c, `${v.key}=${x}`]));
  const jobs: Job[] = [];
  for (const c of combos) {
    // Seeds count up from the combination's own seed: `--vary seed=2,3` runs seeds 2 and 3.
    const first = configFromArgs(args.preset as string | undefined, args.config as string | undefined, [
      ...base,
      ...c,
    ]).seed;
    for (let s = 0; s < seeds; s++)
      jobs.push({ label: c.join(' '), sets: [...base, ...c, `seed=${first + s}`], seed: first + s });
  }
  // validate every configuration before starting any
  const configs = jobs.map((j) =>
    configFromArgs(args.preset as string | undefined, args.config as string | undefined, j.sets),
  );
  const inputs: NamedPath[] = args.config ? [{ option: '--config', path: String(args.config) }] : [];
  const queue = args.queue as string | undefined;
  if (queue) parseQueueUrl(queue); // a bad URL is refused before anything runs
  return { jobs, configs, out: String(args.out), parallel: Math.min(jobsArg, jobs.length), inputs, queue };
}

/** Takes DIR for this invocation (checked, created, locked) or says in one line why not. */
function takeDirectory(option: string, out: string, files: string[], inputs: NamedPath[]): DirectoryLock {
  prepareOutputDirectory({ option, path: out }, { subdirs: ['runs'], files, inputs });
  return lockDirectory(out, `${option} ${out}`);
}

async function main(argv: string[]): Promise<number> {
  let p;
  try {
    p = plan(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`error: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (!p) {
    console.log(USAGE);
    return 0;
  }
  if ('replot' in p && p.replot !== undefined) {
    const dir = p.replot;
    try {
      takeDirectory('--replot', dir, reportFiles(), []);
    } catch (e) {
      if (!(e instanceof FileError)) throw e;
      console.error(`error: ${e.message}`);
      return 2;
    }
    writeSweepReport(dir, readSweep(dir));
    console.log(`redrew ${dir}/metrics.csv, tables.md and *.svg`);
    return 0;
  }
  const recordFile = (i: number) => `runs/run-${i}.json`;
  try {
    takeDirectory(
      '--out',
      p.out,
      [SWEEP_MANIFEST, ...reportFiles(), ...p.jobs.map((_, i) => recordFile(i))],
      p.inputs,
    );
  } catch (e) {
    if (!(e instanceof FileError)) throw e;
    console.error(`error: ${e.message}`);
    return 2;
  }
  // The manifest lists only records this invocation wrote: an earlier sweep's is replaced at once by
  // an empty list, and each record is added as it is written.
  const entries: (SweepEntry | undefined)[] = new Array(p.jobs.length);
  const problems: string[] = [];
  const saveManifest = () => {
    try {
      writeSweepManifest(
        p.out,
        entries.filter((x) => x !== undefined),
      );
    } catch (e) {
      if (!(e instanceof WriteError)) throw e;
      problems.push(e.message);
      console.error(`\nerror: ${e.message}`);
    }
  };
  saveManifest();
  onStopSignal((signal) => {
    const written = entries.filter(Boolean).length;
    console.error(
      `\n${signal}: stopped; ${written} of ${p.jobs.length} records written, listed in ${path.join(p.out, SWEEP_MANIFEST)}`,
    );
    process.exit(signalExitCode(signal));
  });
  const threads = Math.max(1, Math.floor(os.availableParallelism() / p.parallel));
  const total = p.configs.reduce((n, c) => n + c.generations + 1, 0);
  let done = 0;
  const t0 = performance.now();
  const run = p.queue ? queueRunner(p.queue, (i) => `${p.jobs[i]!.label} seed ${p.jobs[i]!.seed}`) : runPool;
  const records = await run(p.configs, {
    parallel: p.parallel,
    threads,
    onGeneration: () => {
      done++;
      process.stderr.write(
        `\r${done}/${total} generations (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
      );
    },
    onRecord: (i, record) => {
      const file = recordFile(i);
      try {
        writeRecordFile(path.join(p.out, file), record, 1);
      } catch (e) {
        if (!(e instanceof WriteError)) throw e;
        problems.push(e.message);
        console.error(`\nerror: ${e.message}; the run stays out of ${SWEEP_MANIFEST}`);
        return;
      }
      entries[i] = { label: p.jobs[i]!.label, seed: p.jobs[i]!.seed, file };
      saveManifest();
    },
  });
  process.stderr.write('\n');
  const runs = records.map((record, i) => ({ label: p.jobs[i]!.label, seed: p.jobs[i]!.seed, record }));
  try {
    writeSweepReport(p.out, runs);
  } catch (e) {
    if (!(e instanceof WriteError)) throw e;
    problems.push(e.message);
    console.error(`error: ${e.message}`);
  }
  const failed = records.filter((r) => r.status === 'failed').length;
  const written = entries.filter(Boolean).length;
  console.log(
    `${records.length} runs (${failed} failed) in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${p.out}/metrics.csv, ${p.out}/*.svg` +
      (written < records.length
        ? `; only ${written} of ${records.length} records could be written (listed in ${SWEEP_MANIFEST})`
        : ''),
  );
  return failed || problems.length ? 1 : 0;
}

await runCli(main);
