// npm run simulate -- --preset NAME [--set key=value ...] [--config FILE] [--out run.json] [--csv metrics.csv]
//                     [--backend node|wasm] [--threads N] [--debug]
import type { ControllerEvent, RunController } from '../sim/run-controller.ts';
import { UsageError } from './args.ts';
import { onStopSignal, oneLine, runCli } from './cli-main.ts';
import { corpusLine } from './corpus-file.ts';
import { FileError } from './input-files.ts';
import { checkOutputFiles, type NamedPath } from './output-paths.ts';
import { generationsHeld, RunSaver } from './record-files.ts';
import { nodeRun } from './run-node.ts';
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
  // Every output checked before anything trains: writable, a file, and none of the inputs.
  const outputs: NamedPath[] = [
    ...(options.out ? [{ option: '--out', path: options.out }] : []),
    ...(options.csv ? [{ option: '--csv', path: options.csv }] : []),
  ];
  try {
    checkOutputFiles(outputs, options.inputs);
  } catch (e) {
    if (!(e instanceof FileError)) throw e;
    console.error(`error: ${e.message}`);
    return 2;
  }
  const tty = process.stderr.isTTY;
  let lastBar = 0;
  const saver = new RunSaver({ record: options.out, csv: options.csv });
  const save = () => {
    for (const line of saver.save(sim.record)) console.error(`\n${line}`);
  };
  const onEvent = (e: ControllerEvent) => {
    if (e.type === 'generation') {
      if (tty) process.stderr.write('\r\x1b[K');
      console.log(tableRow(e.generation));
      save(); // after every generation, so nothing completed is ever lost
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
  let sim: RunController;
  try {
    sim = await nodeRun(config, options.backend, onEvent, options.threads, options.corpus);
  } catch (e) {
    // A config no generation could train on (src/sim/setup.ts), or an engine that would not start.
    console.error(`error: ${oneLine(e)}`);
    return 2;
  }
  if (options.corpus) {
    console.error(corpusLine(options.corpus));
    for (const w of options.corpus.warnings) console.error(`note: ${w}`);
  }
  console.error(
    `ouroboros: ${config.generations + 1} generations, model ${config.model}, ${sim.record.environment.backendReason}`,
  );
  console.log(tableHeader());
  // Ctrl-C or SIGTERM: stop at the next step, keep and write every completed generation.
  onStopSignal((signal) => {
    console.error(`\n${signal}: stopping after the current step; completed generations are kept`);
    void sim.stop();
  });
  let code = 0;
  try {
    await sim.run();
  } catch (e) {
    console.error(`\nerror: ${sim.record.error ?? oneLine(e)}`);
    code = 1;
  }
  save();
  await sim.dispose();
  for (const line of saver.unsaved()) console.error(`error: ${line}`);
  if (!saver.complete) code = 1;
  const n = sim.record.generations.length;
  console.error(
    `status ${sim.record.status}, ${generationsHeld(n)}; wall time ${((performance.now() - t0) / 1000).toFixed(1)} s` +
      (options.out && saver.complete ? `; record → ${options.out}` : ''),
  );
  const fluency = sim.record.corpus?.fluency;
  if (fluency?.method === 'held-out-bars' && fluency.unjudged)
    console.error(`note: fluency (—): ${fluency.unjudged}`);
  return code;
}

await runCli(main);
