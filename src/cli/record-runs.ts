// npm run record-runs [-- --only id,id] [--out public/runs] [--threads N]
// Records the runs the site ships (src/sim/recorded-runs.ts) with the Node backend, trims them for the web
// and writes public/runs/<id>.json plus public/runs/index.json, which the embed replays.
import fs from 'node:fs';
import path from 'node:path';
import {
  recordedRunSpecs,
  trimRecord,
  type RecordedRunEntry,
  type RecordedRunIndex,
  type RecordedRunSpec,
} from '../sim/recorded-runs.ts';
import { configFromArgs, parseArgs, UsageError } from './args.ts';
import { writeJsonAtomic } from './atomic-write.ts';
import { runCli } from './cli-main.ts';
import { gitCommit } from './git.ts';
import { lockDirectory } from './dir-lock.ts';
import { FileError, readJsonFile } from './input-files.ts';
import { prepareOutputDirectory } from './output-paths.ts';
import { writeRecordFile } from './record-files.ts';
import { nodeRun } from './run-node.ts';

const USAGE = 'usage: npm run record-runs -- [--only id,id] [--out public/runs] [--threads N]';

/** The commit of the code as this command loaded it (read at start: HEAD may move while runs go). */
const commit = gitCommit();

async function record(spec: RecordedRunSpec, out: string, threads: number): Promise<RecordedRunEntry> {
  const config = configFromArgs(spec.preset, undefined, spec.set);
  const t0 = performance.now();
  const sim = await nodeRun(config, 'node', undefined, threads);
  try {
    await sim.run();
  } finally {
    await sim.dispose();
  }
  if (sim.record.status !== 'done')
    throw new Error(`${spec.id}: run ended ${sim.record.status}: ${sim.record.error ?? ''}`);
  const file = `${spec.id}.json`;
  writeRecordFile(path.join(out, file), trimRecord(sim.record));
  const seconds = (performance.now() - t0) / 1000;
  console.error(
    `${spec.id}: ${sim.record.generations.length} generations in ${seconds.toFixed(0)} s → ${file}`,
  );
  const sets = spec.set.map((s) => ` --set ${s}`).join('');
  return {
    ...spec,
    file,
    generations: sim.record.generations.length,
    command: `npm run simulate -- --preset ${spec.preset}${sets} (trimmed: src/sim/recorded-runs.ts)`,
    commit,
    createdAt: sim.record.createdAt,
  };
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, { values: ['only', 'out', 'threads'], flags: ['help'] });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`error: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const out = String(args.out ?? 'public/runs');
  const only = args.only ? String(args.only).split(',') : null;
  const unknown = only?.filter((id) => !recordedRunSpecs.some((s) => s.id === id)) ?? [];
  if (unknown.length) {
    console.error(
      `error: --only: unknown run ${unknown.join(', ')} (known: ${recordedRunSpecs.map((s) => s.id).join(', ')})`,
    );
    return 2;
  }
  const threads = Number(args.threads ?? 1);
  // The directory checked, created and held before anything runs.
  try {
    prepareOutputDirectory({ option: '--out', path: out }, { files: ['index.json'] });
    lockDirectory(out, `--out ${out}`);
  } catch (e) {
    if (!(e instanceof FileError)) throw e;
    console.error(`error: ${e.message}`);
    return 2;
  }
  const chosen = recordedRunSpecs.filter((s) => !only || only.includes(s.id));
  // The runs are independent: run them side by side (onnxruntime works off the event loop).
  const entries = await Promise.all(chosen.map((s) => record(s, out, threads)));
  // Keep the entries of runs not recorded this time; list them in the specs' order.
  const indexFile = path.join(out, 'index.json');
  const old: RecordedRunEntry[] = fs.existsSync(indexFile)
    ? (readJsonFile(indexFile, 'run index') as RecordedRunIndex).runs
    : [];
  const byId = new Map([...old, ...entries].map((e) => [e.id, e]));
  const runs = recordedRunSpecs.flatMap((s) => byId.get(s.id) ?? []);
  writeJsonAtomic(indexFile, { runs } satisfies RecordedRunIndex, 1);
  return 0;
}

await runCli(main);
