// npm run reproduce -- [--fast] [--only id,...] [--seeds N] [--workers N] [--out DIR] [--resume] [--replot]
//                      [--queue redis://…]
// Runs every finding's arms (src/findings/findings.ts) over several seeds in worker threads (or, with
// --queue, on queue workers: src/cli/queue-collect.ts), evaluates each
// finding, and writes DIR/RESULTS.md with SVG figures and the run records under DIR/results/.
// --resume reuses the saved records whose config is exactly the job's (a run is deterministic).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../sim/config.ts';
import {
  armConfig,
  findingById,
  findings,
  findingSeeds,
  type Finding,
  type FindingScale,
} from '../findings/findings.ts';
import type { RunRecord } from '../sim/record.ts';
import { trimRecord } from '../sim/recorded-runs.ts';
import { parseArgs, UsageError } from './args.ts';
import { WriteError } from './atomic-write.ts';
import { onStopSignal, runCli, signalExitCode } from './cli-main.ts';
import { lockDirectory } from './dir-lock.ts';
import { gitCommit } from './git.ts';
import { FileError } from './input-files.ts';
import { queueRunner } from './queue-collect.ts';
import { hidePasswords, parseQueueUrl } from './queue-connection.ts';
import { prepareOutputDirectory } from './output-paths.ts';
import { readRecordFile, writeRecordFile } from './record-files.ts';
import {
  readManifest,
  readResults,
  RESULTS_MANIFEST,
  writeResults,
  type Manifest,
} from './reproduce-report.ts';
import { runPool } from './worker-pool.ts';

const USAGE = `usage: npm run reproduce -- [--fast] [--only id,...] [--seeds N (5)] [--workers N] [--out DIR] [--resume]
                             [--queue redis://…]   (run on queue workers through Redis; docs/CLUSTER.md)
       npm run reproduce -- --replot [--out DIR]   (redraw DIR/RESULTS.md from DIR/results/)
DIR belongs to one invocation at a time (DIR/.ouroboros.lock names the process holding it); --debug
prints an error's stack trace as well as its one-line message.
findings: ${findings.map((f) => f.id).join(', ')}`;

interface Plan {
  selected: Finding[];
  scale: FindingScale;
  seeds: number;
  workers: number;
  out: string;
  replot: boolean;
  resume: boolean;
  queue?: string;
}

function plan(argv: string[]): Plan | null {
  const args = parseArgs(argv, {
    values: ['only', 'seeds', 'workers', 'out', 'queue'],
    flags: ['fast', 'replot', 'resume', 'help'],
  });
  if (args.help) return null;
  const seeds = Number(args.seeds ?? 5);
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 100)
    throw new UsageError(`--seeds must be an integer in [1, 100], got '${String(args.seeds)}'`);
  const workers = Number(args.workers ?? Math.min(2, os.availableParallelism()));
  if (!Number.isInteger(workers) || workers < 1)
    throw new UsageError(`--workers must be a positive integer, got '${String(args.workers)}'`);
  const ids =
    args.only === undefined ? findings.map((f) => f.id) : String(args.only).split(',').filter(Boolean);
  const selected = ids.map((id) => {
    const f = findingById(id);
    if (!f)
      throw new UsageError(
        `--only: unknown finding '${id}' (known: ${findings.map((x) => x.id).join(', ')})`,
      );
    return f;
  });
  if (!selected.length) throw new UsageError('--only names no finding');
  if (args.queue) parseQueueUrl(String(args.queue)); // a bad URL is refused before anything runs
  return {
    selected,
    scale: args.fast ? 'fast' : 'full',
    seeds,
    workers,
    out: String(args.out ?? 'docs'),
    replot: args.replot === true,
    resume: args.resume === true,
    ...(args.queue ? { queue: String(args.queue) } : {}),
  };
}

/** A record as committed: without the per-probe answers, which make up most of its size. */
const slim = (r: RunRecord): RunRecord => trimRecord(r, 0);

/** File names: the first finding and arm that use a config name its run (identical configs run once). */
const runFile = (finding: string, arm: string, seed: number) => `runs/${finding}.${arm}.seed-${seed}.json`;

async function main(argv: string[]): Promise<number> {
  let p: Plan | null;
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
  const dir = path.join(p.out, 'results');
  // DIR belongs to this invocation: checked, created and locked before anything runs.
  try {
    prepareOutputDirectory(
      { option: '--out', path: p.out },
      { subdirs: ['results/runs'], files: ['RESULTS.md'] },
    );
    lockDirectory(p.out, `--out ${p.out}`);
  } catch (e) {
    if (!(e instanceof FileError)) throw e;
    console.error(`error: ${e.message}`);
    return 2;
  }
  if (p.replot) {
    const { manifest, runs } = readResults(dir);
    writeResults(p.out, manifest, runs, { redrawnAt: gitCommit() });
    console.log(`redrew ${path.join(p.out, 'RESULTS.md')} from ${dir}`);
    return 0;
  }
  // One job per distinct config: arms shared by several findings (e.g. α = 1, replace) run once.
  const jobs: { key: string; config: Config; file: string }[] = [];
  const byKey = new Map<string, number>();
  const manifest: Manifest = {
    command: `npm run reproduce${argv.length ? ' -- ' + hidePasswords(argv).join(' ') : ''}`,
    commit: gitCommit(),
    startedAt: new Date().toISOString(),
    wallSeconds: 0,
    ran: 0,
    scale: p.scale,
    seeds: p.seeds,
    workers: p.workers,
    machine: p.queue
      ? "queue workers (each record's environment names the machine that ran it)"
      : `${os.cpus()[0]?.model ?? 'cpu'}, ${os.availableParallelism()} cores, Node ${process.version}`,
    findings: p.selected.map((f) => ({
      id: f.id,
      arms: f.arms.map((a) => ({
        id: a.id,
        files: findingSeeds(f, p.seeds).map((seed) => {
          const config = armConfig(f, a.id, p.scale, seed);
          const key = JSON.stringify(config);
          if (!byKey.has(key)) {
            byKey.set(key, jobs.length);
            jobs.push({ key, config, file: runFile(f.id, a.id, seed) });
          }
          return jobs[byKey.get(key)!]!.file;
        }),
      })),
    })),
  };
  // --resume: saved records of exactly the same config are kept (and so are the earlier invocations).
  // A damaged record is run again; a damaged manifest only loses the list of earlier invocations.
  const runs = new Map<string, RunRecord>();
  const manifestFile = path.join(dir, RESULTS_MANIFEST);
  if (p.resume) {
    if (fs.existsSync(manifestFile)) {
      try {
        const {
          earlier = [],
          findings: _findings,
          scale: _scale,
          seeds: _seeds,
          workers: _workers,
          machine: _machine,
          ...last
        } = readManifest(dir);
        manifest.earlier = [...earlier, last];
      } catch (e) {
        if (!(e instanceof FileError)) throw e;
        console.error(`note: ${e.message}; the earlier invocations go unlisted`);
      }
    }
    for (const job of jobs) {
      const file = path.join(dir, job.file);
      if (!fs.existsSync(file)) continue;
      try {
        const record = readRecordFile(file);
        if (JSON.stringify(record.config) === job.key && record.status === 'done') runs.set(job.file, record);
      } catch (e) {
        if (!(e instanceof FileError)) throw e;
        console.error(`note: ${e.message}; running it again`);
      }
    }
  }
  // The old manifest names records this invocation is about to replace: it goes until the new one
  // (naming only records on disk) is written.
  fs.rmSync(manifestFile, { force: true });
  const todo = jobs.filter((j) => !runs.has(j.file));
  // GPT runs first, the longest (accumulating data) first of all; the n-gram runs fill in at the end.
  const cost = (c: Config) => (c.model === 'ngram' ? 0 : 1) * (c.dataMode === 'accumulate' ? 2 : 1);
  const order = todo.map((_, i) => i).sort((a, b) => cost(todo[b]!.config) - cost(todo[a]!.config) || a - b);
  const threads = Math.max(1, Math.floor(os.availableParallelism() / p.workers));
  const t0 = performance.now();
  const secs = () => ((performance.now() - t0) / 1000).toFixed(0);
  console.error(
    `reproduce: ${p.selected.length} findings, ${jobs.length} distinct runs (${p.scale} scale; ${runs.size} reused), ${p.workers} workers × ${threads} threads`,
  );
  let finished = 0;
  const unwritten: string[] = [];
  onStopSignal((signal) => {
    console.error(
      `\n${signal}: stopped; ${finished} of ${todo.length} records written to ${path.join(dir, 'runs')} (reused by --resume); ${RESULTS_MANIFEST} and RESULTS.md not written`,
    );
    process.exit(signalExitCode(signal));
  });
  const run = p.queue ? queueRunner(p.queue, (k) => todo[order[k]!]!.file) : runPool;
  const records = await run(
    order.map((i) => todo[i]!.config),
    {
      parallel: p.workers,
      threads,
      onRecord: (k, record) => {
        const job = todo[order[k]!]!;
        try {
          writeRecordFile(path.join(dir, job.file), slim(record));
        } catch (e) {
          if (!(e instanceof WriteError)) throw e;
          unwritten.push(job.file);
          console.error(`[${secs()} s] error: ${e.message}`);
          return;
        }
        console.error(`[${secs()} s] ${++finished}/${todo.length} ${job.file} ${record.status}`);
      },
    },
  );
  order.forEach((i, k) => runs.set(todo[i]!.file, slim(records[k]!)));
  manifest.wallSeconds = Math.round((performance.now() - t0) / 1000);
  manifest.ran = todo.length;
  if (unwritten.length) {
    // The manifest names only records on disk: without these, it and the page wait for --resume.
    console.error(
      `error: ${unwritten.length} of ${todo.length} records could not be written (first: ${unwritten[0]}); ` +
        `${RESULTS_MANIFEST} and RESULTS.md not written. Free space and run again with --resume to reuse the ${finished} written.`,
    );
    return 1;
  }
  writeResults(p.out, manifest, runs);
  const failed = records.filter((r) => r.status === 'failed').length;
  console.log(
    `${todo.length} runs (${failed} failed) in ${manifest.wallSeconds} s → ${path.join(p.out, 'RESULTS.md')}`,
  );
  return failed ? 1 : 0;
}

await runCli(main);
