// The findings gallery's queue: one click runs every arm of a published finding in turn, in the worker,
// saving each to the runs list. The gallery draws the arms side by side as they finish (one small chart
// per metric, one line per arm), not on the lab's charts, where every arm's every line would pile up.
import { armConfig, type Finding } from '../../findings/findings.ts';
import type { RunRecord } from '../../sim/record.ts';
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
  /** The finished arms' records, by arm id. */
  records = $state.raw<Readonly<Record<string, RunRecord>>>({});
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

  /** The run of each of the finding's arms so far: finished, in progress (the lab's run), or null. */
  armRuns(finding: Finding): { id: string; label: string; record: RunRecord | null }[] {
    const ran = this.finding === finding;
    return finding.arms.map((a, i) => ({
      id: a.id,
      label: a.label,
      record: !ran ? null : (this.records[a.id] ?? (this.arm === i ? this.lab.run.record : null)),
    }));
  }

  /** Runs every arm in turn with the config's seed and backend. */
  async runAll(finding: Finding): Promise<void> {
    const { run, runs, config } = this.lab;
    this.finding = finding;
    this.records = {};
    this.message = '';
    const seed = config.config.seed;
    for (const [i, a] of finding.arms.entries()) {
      this.arm = i;
      const id = newRunId();
      runs.name(id, `${a.label} (${finding.id}, seed ${seed})`);
      await run.start(id, armConfig(finding, a.id, 'full', seed), config.backend);
      while (!FINISHED.includes(run.status)) await new Promise((r) => setTimeout(r, POLL_MS));
      if (run.record) this.records = { ...this.records, [a.id]: run.record };
      if (run.status !== 'done') {
        this.message = `Stopped at arm ${i + 1} of ${finding.arms.length} (${a.label}): the run ${run.status}.`;
        break;
      }
    }
    this.arm = -1;
  }
}
