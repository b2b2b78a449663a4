// How every CLI command ends: an error is one line on stderr ("error: …", naming the file or option)
// and exit status 1 (2 for a usage error); `--debug` anywhere on the command line prints the stack
// trace as well. SIGINT and SIGTERM are one thing: "stop".
import { UsageError } from './args.ts';

/** The first line of an error's message. */
export const oneLine = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim() || String(e);

/** Whether --debug was given (it is taken out of the arguments the command sees). */
const debug = process.argv.includes('--debug');

function report(e: unknown): void {
  if (debug) console.error(e);
  else console.error(`error: ${oneLine(e)}`);
}

/**
 * Runs `main` with the command's arguments (without --debug) and sets the exit status from what it
 * returns; anything thrown, at once or later (an unhandled rejection, an error event), is one line.
 */
export async function runCli(main: (argv: string[]) => Promise<number>): Promise<void> {
  const fail = (e: unknown) => {
    report(e);
    process.exit(e instanceof UsageError ? 2 : 1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  try {
    process.exitCode = await main(process.argv.slice(2).filter((a) => a !== '--debug'));
  } catch (e) {
    report(e);
    process.exitCode = e instanceof UsageError ? 2 : 1;
  }
}

/** Exit status of a process ended by `signal` (128 + its number). */
export const signalExitCode = (signal: NodeJS.Signals): number => (signal === 'SIGTERM' ? 143 : 130);

/**
 * Calls `onStop` on the first SIGINT or SIGTERM; a second one of either exits at once with
 * `signalExitCode` (the process's exit handlers still run).
 */
export function onStopSignal(onStop: (signal: NodeJS.Signals) => void): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(signalExitCode(signal));
    stopping = true;
    onStop(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
