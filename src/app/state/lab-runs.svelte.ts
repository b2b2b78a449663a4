// The saved runs: the list, the runs picked to overlay on the charts, export and import. Storage is
// in runs-db.ts; this class keeps the page's view of it and turns failures into messages.
import { metricsToCsv, type RunRecord } from '../../sim/record.ts';
import { download } from './download.ts';
import { fileStem, readRunFile, runFileText } from './run-file.ts';
import { newRunId, RunsDb, type RunSummary } from './runs-db.ts';

/** A saved run drawn beside the current one. */
export interface OverlayRun {
  id: string;
  name: string;
  record: RunRecord;
}

export class LabRuns {
  /** Saved runs, newest first. */
  list = $state.raw<RunSummary[]>([]);
  /** Ids of the runs picked to overlay, in the order they were picked. */
  picked = $state.raw<string[]>([]);
  /** The picked runs' records. */
  overlays = $state.raw<OverlayRun[]>([]);
  /** A storage problem (no IndexedDB, quota exceeded, …); saved runs are never dropped because of it. */
  error = $state('');
  /** Why the latest import was refused, one problem a line. */
  importErrors = $state.raw<string[]>([]);
  /** What the latest import or export did. */
  notice = $state('');

  private db: Promise<RunsDb>;
  /** Names for runs not saved yet (read only when saving, so it need not be reactive). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private names = new Map<string, string>();
  /** Writes go one at a time, so an older record never lands after a newer one. */
  private writes: Promise<unknown>;
  /** How many of each run's generations are in storage (a save writes only those after them). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private stored = new Map<string, number>();
  /** The latest record asked to be saved per run: a save overtaken by a newer one while queued is skipped. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private latest = new Map<string, RunRecord>();

  constructor(dbName?: string) {
    this.db = RunsDb.open(dbName);
    // Queued like a write, so the first listing cannot land after (and hide) an early save.
    this.writes = this.db
      .then(() => this.refresh())
      .catch((e: Error) => (this.error = `Runs will not be saved: ${e.message}`));
  }

  /** Reads the list again from storage. */
  async refresh(): Promise<void> {
    this.list = await (await this.db).list();
  }

  /** The name a run will be saved under until renamed. */
  name(id: string, name: string): void {
    this.names.set(id, name);
  }

  /**
   * Saves a run (called after every generation of a live run, whose earlier generations never change:
   * only the generations not stored yet are written).
   */
  save(id: string, record: RunRecord): Promise<void> {
    this.latest.set(id, record);
    const write = this.writes.then(async () => {
      if (this.latest.get(id) !== record) return;
      this.latest.delete(id);
      const db = await this.db;
      const name = this.list.find((r) => r.id === id)?.name ?? this.names.get(id) ?? 'untitled run';
      try {
        // Not known to be stored (a failed write, another tab): write every generation.
        const from = this.stored.get(id) ?? 0;
        this.stored.delete(id);
        const summary = await db.put(id, name, record, from);
        this.stored.set(id, record.generations.length);
        this.list = [summary, ...this.list.filter((r) => r.id !== id)].sort((a, b) =>
          b.createdAt.localeCompare(a.createdAt),
        );
        if (this.picked.includes(id))
          this.overlays = this.overlays.map((o) => (o.id === id ? { ...o, record } : o));
        this.error = '';
      } catch (e) {
        this.error = (e as Error).message;
      }
    });
    this.writes = write.catch(() => {});
    return write;
  }

  /** The saved record of run `id` (undefined, with the reason in `error`, if it cannot be read). */
  async load(id: string): Promise<RunRecord | undefined> {
    let record: RunRecord | undefined;
    await this.attempt(async () => {
      record = await (await this.db).get(id);
    });
    return record;
  }

  /** Runs a storage change after the pending writes; a failure becomes `error` and returns false. */
  private async attempt(change: () => Promise<void>): Promise<boolean> {
    const run = this.writes.then(change);
    this.writes = run.catch(() => {});
    try {
      await run;
      return true;
    } catch (e) {
      this.error = (e as Error).message;
      return false;
    }
  }

  async rename(id: string, name: string): Promise<void> {
    const trimmed = name.trim();
    if (!trimmed) return;
    if (!(await this.attempt(async () => (await this.db).rename(id, trimmed)))) return;
    this.list = this.list.map((r) => (r.id === id ? { ...r, name: trimmed } : r));
    this.overlays = this.overlays.map((o) => (o.id === id ? { ...o, name: trimmed } : o));
  }

  async remove(id: string): Promise<void> {
    if (!(await this.attempt(async () => (await this.db).delete(id)))) return;
    this.stored.delete(id);
    this.list = this.list.filter((r) => r.id !== id);
    this.picked = this.picked.filter((p) => p !== id);
    this.overlays = this.overlays.filter((o) => o.id !== id);
  }

  /** Adds run `id` to the overlay, or takes it off. */
  async toggleOverlay(id: string): Promise<void> {
    if (this.picked.includes(id)) {
      this.picked = this.picked.filter((p) => p !== id);
      this.overlays = this.overlays.filter((o) => o.id !== id);
      return;
    }
    this.picked = [...this.picked, id];
    const record = await this.load(id);
    const name = this.list.find((r) => r.id === id)?.name ?? id;
    // Unpicked while loading: leave it off.
    if (record && this.picked.includes(id)) this.overlays = [...this.overlays, { id, name, record }];
  }

  /** Downloads run `id` as a JSON run file. */
  async exportRecord(id: string): Promise<void> {
    const record = await this.load(id);
    if (!record) return;
    const name = this.list.find((r) => r.id === id)?.name ?? 'run';
    download(`${fileStem(name)}.json`, runFileText(record), 'application/json');
    this.notice = `Exported “${name}” as a run file.`;
  }

  /** Downloads the per-generation metrics of run `id` as CSV. */
  async exportCsv(id: string): Promise<void> {
    const record = await this.load(id);
    if (!record) return;
    const name = this.list.find((r) => r.id === id)?.name ?? 'run';
    download(`${fileStem(name)}-metrics.csv`, metricsToCsv(record), 'text/csv');
    this.notice = `Exported the metrics of “${name}” as CSV.`;
  }

  /** Validates a run file and saves it as a new run; a bad file changes nothing. */
  async importFile(file: File): Promise<void> {
    this.importErrors = [];
    this.notice = '';
    const r = await readRunFile(file);
    if (!r.ok) {
      this.importErrors = r.errors.map((e) => `${file.name}: ${e}`);
      return;
    }
    const id = newRunId();
    const name = file.name.replace(/\.json$/i, '') || 'imported run';
    this.name(id, name);
    await this.save(id, r.record);
    if (this.list.some((s) => s.id === id))
      this.notice = `Imported “${name}” (${r.record.generations.length} generations).`;
  }
}
