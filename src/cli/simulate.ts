// npm run simulate -- --preset NAME [--set key=value ...] [--config FILE] [--out run.json] [--csv metrics.csv]
//                     [--backend node|wasm] [--threads N]
import fs from 'node:fs';
import { metricsToCsv } from '../sim/record.ts';
import type { SimulationEvent } from '../sim/simulation.ts';
import { UsageError } from './args.ts';
import { corpusLine } from './corpus-file.ts';
import { nodeSimulation } from './run-node.ts';
import { settingsHelp } from './settings-help.ts';
import { parseSimulateArgs, SIMULATE_USAGE } from './simulate-args.ts';
import { tableHeader, tableRow } from './table.ts';

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseSimulateArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`error: ${e.message}\n\n${SIMULATE_USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(`${SIMULATE_USAGE}\n\n${settingsHelp()}`);
    return 0;
  }
  const { config, quiet } = options;
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
  const sim = await nodeSimulation(config, options.backend, onEvent, options.threads, options.corpus);
  if (options.corpus) {
    console.error(corpusLine(options.corpus));
    for (const w of options.corpus.warnings) console.error(`note: ${w}`);
  }
  console.error(
    `ouroboros: ${config.generations + 1} generations, model ${config.model}, ${sim.record.environment.backendReason}`,
  );
  console.log(tableHeader());
  const write = () => {
    if (options.out) fs.writeFileSync(options.out, JSON.stringify(sim.record, null, 1));
    if (options.csv) fs.writeFileSync(options.csv, metricsToCsv(sim.record));
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
    `status ${sim.record.status}; wall time ${((performance.now() - t0) / 1000).toFixed(1)} s${options.out ? `; record → ${options.out}` : ''}`,
  );
  return code;
}

process.exitCode = await main(process.argv.slice(2));
