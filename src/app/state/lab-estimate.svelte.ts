// Run-time estimates for the preset choices and the Run button: cost models fitted to the recorded runs
// (one per model), scaled by this browser's speed once one of its runs of that model has finished.
import type { Config } from '../../sim/config.ts';
import type { RecordedRunEntry } from '../../sim/recorded-runs.ts';
import { loadRecord } from '../embed/recorded.ts';
import { costModel, estimateMs, loadSpeed, roughly, saveSpeed, type CostModel } from './estimate.ts';

export class LabEstimate {
  /** One cost model per model the recorded runs cover. */
  costs = $state.raw<CostModel[]>([]);
  /** Bumped when a speed factor is saved, so estimates are read again. */
  private saved = $state(0);
  /** createdAt of the latest record measured (not state: only `measured` reads it). */
  private lastMeasured = '';

  /** Fits a cost model to the first recorded run of each neural model (the count model needs none). */
  async load(entries: readonly RecordedRunEntry[]): Promise<void> {
    const picked = entries.filter(
      (e, i) => e.preset !== 'ngram' && entries.findIndex((o) => o.preset === e.preset) === i,
    );
    const records = await Promise.allSettled(picked.map((e) => loadRecord(e)));
    const costs: CostModel[] = [];
    for (const r of records) {
      const c = r.status === 'fulfilled' ? costModel(r.value) : null;
      if (c && !costs.some((k) => k.model === c.model)) costs.push(c);
    }
    this.costs = costs;
  }

  /**
   * "about 4 min here" (from this browser's own speed on `backend`), "about 4 min on a 2-core CPU"
   * (the recorded run's machine, before any run here), "a few seconds" for the count model, or '' when
   * nothing is known yet. `short` leaves out where the time was measured (see `note`).
   */
  describe(config: Config, backend: string | null, short = false): string {
    void this.saved;
    if (config.model === 'ngram') return 'a few seconds';
    const cost = this.costs.find((c) => c.model === config.model);
    if (!cost) return '';
    const speed = backend ? loadSpeed(localStorage, config.model, backend) : null;
    const about = `about ${roughly(estimateMs(config, cost, speed ?? 1))}`;
    if (short) return about;
    return speed !== null ? `${about} here` : `${about} on ${this.machine(cost)}`;
  }

  /** Where the times of `describe(…, short)` were measured, for a model, as a sentence. */
  note(backend: string | null): string {
    const cost = this.costs[0];
    if (!cost) return '';
    const here = this.costs.filter((c) => backend && loadSpeed(localStorage, c.model, backend) !== null);
    void this.saved;
    if (here.length === this.costs.length) return 'Times as measured in this browser.';
    return `Times as measured on ${this.machine(cost)}${here.length ? ' and, for models run here, in this browser' : ''}; your first run here times it for this browser.`;
  }

  private machine(cost: CostModel): string {
    const cores = /(\d+) cores?\)/.exec(cost.where)?.[1];
    return cores ? `a ${cores}-core CPU` : 'the machine the demo runs were recorded on';
  }

  /** Records how long a finished run took here against the cost model of its model. */
  measured(record: Parameters<typeof saveSpeed>[1], backend: string): void {
    // Once per record: a finished run's record is re-derived when unrelated state changes.
    if (record.createdAt === this.lastMeasured) return;
    this.lastMeasured = record.createdAt;
    const cost = this.costs.find((c) => c.model === record.config.model);
    if (cost && saveSpeed(localStorage, record, backend, cost) !== null) this.saved++;
  }
}
