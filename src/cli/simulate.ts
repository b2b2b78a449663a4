// npm run simulate -- --preset NAME [--set key=value ...] [--config FILE] [--out run.json] [--csv metrics.csv]
//                     [--backend node|wasm] [--threads N]
import fs from 'node:fs';
import { metricsToCsv } from '../sim/record.ts';
import type { SimulationEvent } from '../sim/simulation.ts';
import { presetNames } from '../sim/presets.ts';
import { configFromArgs, parseArgs, UsageError } from './args.ts';
import { nodeSimulation } from './run-node.ts';
import { tableHeader, tableRow } from './table.ts';

const USAGE = `usage: npm run simulate -- [--preset NAME] [--set key=value ...] [--config FILE]
                            [--out run.json] [--csv metrics.csv] [--backend node|wasm] [--threads N] [--quiet]
presets: ${presetNames.join(', ')}`;

async function main(argv: string[]): Promise<number> {
  let args;
  let config;
  try {
    args = parseArgs(argv, {
      values: ['preset', 'config', 'out', 'csv', 'backend', 'threads'],
      multi: ['set'],
      flags: ['quiet', 'help'],
    });
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    config = configFromArgs(
      args.preset as string | undefined,
      args.config as string | undefined,
      (args.set as string[]) ?? [],
    );
    if (args.backend !== undefined && args.backend !== 'node' && args.backend !== 'wasm')
      throw new UsageError(`--backend must be node or wasm, got '${String(args.backend)}'`);
    if (args.threads !== undefined && !/^[1-9]\d*$/.test(String(args.threads)))
      throw new UsageError(`--threads must be a positive integer, got '${String(args.threads)}'`);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`error: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  const quiet = args.quiet === true;
  const tty = process.stderr.isTTY;
  let lastBar = 0;
  const onEvent = (e: SimulationEvent) => {
    if (e.type === 'generation') {
      if (tty) process.stderr.write('\r\x1b[K');
      console.log(tableRow(e.generation));
    } else if (e.type === 'phase' && !quiet) {
      const now = Date.now();
      if (now - lastBar < 200 && e.done !== e.total) return;
      lastBar = now;
      const width = 24;
      const filled = Math.round((e.done / Math.max(1, e.total)) * width);
      const line = `gen ${e.generation} ${e.phase.padEnd(8)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${e.done}/${e.total}`;
      if (tty) process.stderr.write(`\r\x1b[K${line}`);
    }
  };
  const t0 = performance.now();
  const sim = await nodeSimulation(
    config,
    (args.backend as 'node' | 'wasm' | undefined) ?? 'node',
    onEvent,
    args.threads ? Number(args.threads) : undefined,
  );
  console.error(
    `ouroboros: ${config.generations + 1} generations, model ${config.model}, ${sim.record.environment.backendReason}`,
  );
  console.log(tableHeader());
  const write = () => {
    if (args.out) fs.writeFileSync(String(args.out), JSON.stringify(sim.record, null, 1));
    if (args.csv) fs.writeFileSync(String(args.csv), metricsToCsv(sim.record));
  };
  // Ctrl-C: stop at the next step, keep and write every completed generation.
  process.once('SIGINT', () => {
    console.error('\nstopping after the current step; completed generations are kept');
    sim.stop();
  });
  let code = 0;
  try {
    while (!sim.finished) {
      await sim.nextGeneration();
      write(); // after every generation, so nothing completed is ever lost
      if (sim.record.status === 'stopped') break;
    }
  } catch (e) {
    console.error(`\nerror: ${sim.record.error ?? (e as Error).message}`);
    code = 1;
  }
  write();
  await sim.dispose();
  console.error(
    `status ${sim.record.status}; wall time ${((performance.now() - t0) / 1000).toFixed(1)} s${args.out ? `; record → ${String(args.out)}` : ''}`,
  );
  return code;
}

process.exitCode = await main(process.argv.slice(2));
