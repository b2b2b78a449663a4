// Starting a live run of the config on the page: the Run button, the stage's "Train it live" and the
// space bar of presentation mode all do the same.
import type { Lab } from './context.ts';
import type { LabRun } from './lab-run.svelte.ts';
import { newRunId } from './runs-db.ts';
import { describeConfig } from './url-config.ts';

/** Whether a new run may start now (nothing live, and your own corpus not still being checked). */
export const canStart = (run: LabRun): boolean =>
  ['idle', 'saved', 'stopped', 'done', 'failed', 'ready'].includes(run.status) && !run.corpusChecking;

/** Starts a run of the page's config (only its generation 0 when `oneGeneration`), saved under its description. */
export function startRun(
  { config, run, runs }: Pick<Lab, 'config' | 'run' | 'runs'>,
  oneGeneration = false,
): void {
  const id = newRunId();
  const described = describeConfig(config.preset, config.config);
  // A run on your own corpus is named after it first.
  runs.name(id, run.corpus ? `${run.corpus.name} · ${described}` : described);
  void run.start(id, config.config, config.backend, oneGeneration);
}
