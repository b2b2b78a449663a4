// The saved runs: the list, the runs picked to overlay on the charts, export and import. Storage is
// in runs-db.ts; this class keeps the page's view of it and turns failures into messages. Other tabs'
// changes arrive through runs-channel.ts and update the list at once. A save refused because storage
// is full keeps the record here, and is tried again whenever a run is deleted (here or in another tab).
import { metricsToCsv, type RunRecord } from '../../sim/record.ts';
import { download } from './download.ts';
import { fileStem, readRunFile, runFileText } from './run-file.ts';
import { RunsChannel, type RunsChange } from './runs-channel.ts';
import { newRunId, RunDeletedError, RUNS_DB, RunsDb, StorageFullError, type RunSummary } from './runs-db.ts';

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
  /**
   * Runs whose latest record storage refused because it is full, with that record: kept here (the
   * generations stay on screen too) until a save succeeds. Each is saved again when a run is deleted.
   */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced whole, never mutated
  unsaved = $state.raw<ReadonlyMap<string, RunRecord>>(new Map());
  /** Runs another tab is saving as running now (their summaries say 'running' without being cut short). */
  liveElsewhere = $state.raw<string[]>([]);

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
  /** Runs this tab has stored: one missing from storage now was deleted by another tab, not yet created. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private created = new Set<string>();
  /** Runs deleted while this tab was saving them: never saved again. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private deleted = new Set<string>();
  private channel: RunsChannel;
  /** Runs this tab saved as running last: other tabs are told when this tab goes. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private runningHere = new Set<string>();
  /** A list refresh asked for by other tabs' messages and not started yet (many messages, one read). */
  private refreshing = false;

  constructor(dbName = RUNS_DB) {
    this.channel = new RunsChannel(dbName, (change) => this.changedElsewhere(change));
    if (typeof addEventListener === 'function')
      addEventListener('pagehide', () => {
        if (this.runningHere.size) this.channel.post({ kind: 'left', ids: [...this.runningHere] });
      });
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

  /** The name of run `id`: saved, or to be saved under. */
  nameOf(id: string): string {
    return this.list.find((r) => r.id === id)?.name ?? this.names.get(id) ?? 'untitled run';
  }

  /** The name a run will be saved under until renamed. */
  name(id: string, name: string): void {
    this.names.set(id, name);
  }

  /**
   * Saves a run (called after every generation of a live run, whose earlier generations never change:
   * only the generations not stored yet are written). If storage is full, a record to `keep` (a live
   * run's, found nowhere else) waits in `unsaved` for space; one that is not (an import, a recorded run:
   * the file still has it) is only reported.
   */
  save(id: string, record: RunRecord, keep = true): Promise<void> {
    if (this.deleted.has(id)) return Promise.resolve();
    this.latest.set(id, record);
    const write = this.writes.then(async () => {
      if (this.latest.get(id) !== record || this.deleted.has(id)) return;
      this.latest.delete(id);
      const db = await this.db;
      const name = this.nameOf(id);
      // Not known to be stored (a failed write): write every generation.
      const from = this.stored.get(id);
      this.stored.delete(id);
      try {
        // Once stored, a run missing from storage was deleted by another tab: not created again.
        const summary = await db.put(id, name, record, from ?? 0, !this.created.has(id));
        this.created.add(id);
        this.stored.set(id, record.generations.length);
        this.keepUnsaved(id, undefined);
        this.list = [summary, ...this.list.filter((r) => r.id !== id)].sort((a, b) =>
          b.createdAt.localeCompare(a.createdAt),
        );
        if (this.picked.includes(id))
          this.overlays = this.overlays.map((o) => (o.id === id ? { ...o, record } : o));
        if (record.status === 'running') this.runningHere.add(id);
        else this.runningHere.delete(id);
        this.channel.post({ kind: 'saved', id, status: record.status });
        if (!this.unsaved.size) this.error = '';
      } catch (e) {
        if (e instanceof RunDeletedError) {
          this.forget(id);
          this.notice = `“${name}” was deleted in another tab, so this tab no longer saves it.`;
          return;
        }
        this.error = (e as Error).message;
        if (e instanceof StorageFullError) {
          // The transaction was aborted whole: what was stored before still is.
          if (from !== undefined) this.stored.set(id, from);
          if (keep) this.keepUnsaved(id, record);
          this.error += keep
            ? ' Its finished generations are kept in this tab: delete saved runs to free space and it is saved again at once. Runs already saved are untouched.'
            : ' Export and delete some saved runs, then try again; runs already saved are untouched.';
        }
      }
    });
    this.writes = write.catch(() => {});
    return write;
  }

  /** Saves again every run storage refused for lack of space (the latest record of each). */
  retry(): Promise<void> {
    return Promise.all([...this.unsaved].map(([id, record]) => this.save(id, record))).then(() => {});
  }

  /** Characters of JSON each saved run takes (about its bytes), by id; read from storage where not listed. */
  async sizes(): Promise<Map<string, number>> {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a result, not state
    const sizes = new Map<string, number>();
    const db = await this.db;
    for (const r of this.list) {
      const chars = r.chars ?? (await db.size(r.id));
      if (chars !== undefined) sizes.set(r.id, chars);
    }
    return sizes;
  }

  /** Records (or, with undefined, clears) the record of run `id` that storage had no room for. */
  private keepUnsaved(id: string, record: RunRecord | undefined): void {
    if (!record && !this.unsaved.has(id)) return;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaces the state whole
    const next = new Map(this.unsaved);
    if (record) next.set(id, record);
    else next.delete(id);
    this.unsaved = next;
  }

  /** Drops run `id` from this tab's view after it was deleted (here or elsewhere). */
  private forget(id: string): void {
    this.deleted.add(id);
    this.runningHere.delete(id);
    this.latest.delete(id);
    this.stored.delete(id);
    this.keepUnsaved(id, undefined);
    this.list = this.list.filter((r) => r.id !== id);
    this.picked = this.picked.filter((p) => p !== id);
    this.overlays = this.overlays.filter((o) => o.id !== id);
    this.liveElsewhere = this.liveElsewhere.filter((x) => x !== id);
  }

  /** Another tab saved, renamed or deleted a run: this tab's list (and overlays) follow. */
  private changedElsewhere(change: RunsChange): void {
    if (change.kind === 'left') {
      this.liveElsewhere = this.liveElsewhere.filter((x) => !change.ids.includes(x));
      return;
    }
    const { id } = change;
    if (change.kind === 'deleted') {
      const mine = this.created.has(id) && !this.deleted.has(id);
      const name = this.list.find((r) => r.id === id)?.name;
      this.forget(id);
      if (mine && name) this.notice = `“${name}” was deleted in another tab, so this tab no longer saves it.`;
      // Space was freed: runs that found storage full get another try.
      if (this.unsaved.size) void this.retry();
      return;
    }
    if (change.kind === 'renamed') {
      this.list = this.list.map((r) => (r.id === id ? { ...r, name: change.name } : r));
      this.overlays = this.overlays.map((o) => (o.id === id ? { ...o, name: change.name } : o));
    } else {
      const others = this.liveElsewhere.filter((x) => x !== id);
      this.liveElsewhere = change.status === 'running' ? [...others, id] : others;
      if (this.picked.includes(id)) void this.reloadOverlay(id);
    }
    if (this.refreshing) return;
    this.refreshing = true;
    void this.attempt(async () => {
      this.refreshing = false;
      await this.refresh();
    });
  }

  /** Reads a picked run's record again (another tab saved more of it). */
  private async reloadOverlay(id: string): Promise<void> {
    const record = await this.load(id);
    if (record && this.picked.includes(id))
      this.overlays = this.overlays.map((o) => (o.id === id ? { ...o, record } : o));
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
    this.channel.post({ kind: 'renamed', id, name: trimmed });
  }

  /** Deletes run `id` everywhere; runs that found storage full are saved again in the space it freed. */
  async remove(id: string): Promise<void> {
    if (!(await this.attempt(async () => (await this.db).delete(id)))) return;
    this.forget(id);
    this.channel.post({ kind: 'deleted', id });
    if (this.unsaved.size) await this.retry();
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
    await this.save(id, r.record, false);
    if (this.list.some((s) => s.id === id))
      this.notice = `Imported “${name}” (${r.record.generations.length} generations).`;
  }
}
