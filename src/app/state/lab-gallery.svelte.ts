// The findings gallery's queue: one click runs every arm of a published finding in turn, in the worker,
// saving each and overlaying it on the charts as it finishes, so the arms end up drawn side by side.
import { armConfig, type Finding } from '../../sim/findings.ts';
import type { Lab } from './context.ts';
import { newRunId } from './runs-db.ts';

/** How often the queue looks whether the arm in progress has finished. */
const POLL_MS = 250;
const FINISHED = ['done', 'failed', 'stopped'];

export class LabGallery {
  /** The finding whose arms are running (or ran last). */
  finding = $state.raw<Finding | null>(null);
  /** Index of the arm in progress; -1 when the queue is idle. */
  arm = $state(-1);
  /** Why the queue stopped early. */
  message = $state('');

  readonly busy = $derived(this.arm >= 0);

  constructor(private readonly lab: Lab) {}

  /** Puts one arm's settings (at the gallery's scale) into the config, ready to run or edit. */
  load(finding: Finding, armId: string): void {
    const c = armConfig(finding, armId, 'full', this.lab.config.config.seed);
    this.lab.config.preset = finding.preset;
    this.lab.config.config = c;
  }

  /** Runs every arm in turn with the config's seed and backend; each finished arm is overlaid. */
  async runAll(finding: Finding): Promise<void> {
    const { run, runs, config } = this.lab;
    this.finding = finding;
    this.message = '';
    // Start from a clean overlay: only this finding's arms are drawn together.
    for (const id of runs.picked) await runs.toggleOverlay(id);
    const seed = config.config.seed;
    for (const [i, a] of finding.arms.entries()) {
      this.arm = i;
      const id = newRunId();
      runs.name(id, `${a.label} (${finding.id}, seed ${seed})`);
      await run.start(id, armConfig(finding, a.id, 'full', seed), config.backend);
      while (!FINISHED.includes(run.status)) await new Promise((r) => setTimeout(r, POLL_MS));
      if (run.status !== 'done') {
        this.message = `Stopped at arm ${i + 1} of ${finding.arms.length} (${a.label}): the run ${run.status}.`;
        break;
      }
      // The last arm stays on screen; the earlier ones are drawn beside it.
      if (i < finding.arms.length - 1) await runs.toggleOverlay(id);
    }
    this.arm = -1;
  }
}
