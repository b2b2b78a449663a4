// Saved runs in IndexedDB: a small summary per run (listed without loading records), the record without
// its generations, and each finished generation on its own, all written in one transaction so they never
// disagree. Several tabs share the store: a save keeps the name another tab gave the run, and a save of a
// run another tab deleted is refused instead of bringing back part of it. A live run is saved after every generation: writing only the new generations keeps that save
// as cheap at generation 50 as at generation 1 (the whole record, cloned at every save, took the page's
// main thread 30–50 ms a save by the end of a 50-generation run).
// On the bare IndexedDB API, not `idb`: a full disk shows only as the transaction's error, and idb's promise per write would reject unhandled.
import type { RunRecord } from '../../sim/record.ts';

/** What the runs list shows about a saved run. */
export interface RunSummary {
  id: string;
  name: string;
  /** ISO 8601 time of the latest save. */
  savedAt: string;
  createdAt: string;
  status: RunRecord['status'];
  /** Generations finished (generation 0 included). */
  generations: number;
  /** Generations the config asks for, generation 0 included. */
  planned: number;
  backend: RunRecord['environment']['backend'];
  /**
   * Characters of JSON the stored run takes (about its bytes): the record without generations plus
   * `generationChars`. Absent for runs saved before sizes were kept.
   */
  chars?: number;
  /** Characters of JSON of the stored generations. */
  generationChars?: number;
}

/** Browser storage refused the write because it is full. */
export class StorageFullError extends Error {
  constructor(name: string) {
    super(`Browser storage is full, so “${name}” could not be saved.`);
    this.name = 'StorageFullError';
  }
}

/** The run was deleted (in another tab) after this tab first saved it: saving it again would resurrect part of it. */
export class RunDeletedError extends Error {
  constructor(readonly id: string) {
    super(`run ${id} was deleted in another tab, so it is no longer saved`);
    this.name = 'RunDeletedError';
  }
}

/** Characters of `x` as JSON: the size measure of saved runs. */
export const jsonChars = (x: unknown): number => JSON.stringify(x).length;

/** The lab's database. */
export const RUNS_DB = 'ouroboros';
const DB_VERSION = 2;
const SUMMARIES = 'summaries';
/** Records without their generations (saved before version 2: with them). */
const RECORDS = 'records';
/** One finished generation a row, keyed [run id, index]. */
const GENERATIONS = 'generations';

/** Keys of run `id`'s generations from index `from` on. */
const generationKeys = (id: string, from = 0) => IDBKeyRange.bound([id, from], [id, Infinity]);

/** The summary the list shows for `record` (without sizes). */
export function summarize(id: string, name: string, record: RunRecord): RunSummary {
  return {
    id,
    name,
    savedAt: new Date().toISOString(),
    createdAt: record.createdAt,
    status: record.status,
    generations: record.generations.length,
    planned: record.config.generations + 1,
    backend: record.environment.backend,
  };
}

const done = (tx: IDBTransaction, name: string): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    // A full disk shows up as the transaction's error, with the request's error often null.
    const fail = () => {
      const e = tx.error;
      reject(e?.name === 'QuotaExceededError' ? new StorageFullError(name) : (e ?? new Error('aborted')));
    };
    tx.onerror = fail;
    tx.onabort = fail;
  });

const result = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

/** The runs store. Every method opens its own transaction. */
export class RunsDb {
  private constructor(private readonly db: IDBDatabase) {}

  /** Opens (creating on first use) the database `name`; fails clearly where IndexedDB is unavailable. */
  static open(name = RUNS_DB): Promise<RunsDb> {
    if (typeof indexedDB === 'undefined')
      return Promise.reject(new Error('this browser offers no IndexedDB, so runs cannot be saved'));
    return new Promise((resolve, reject) => {
      const r = indexedDB.open(name, DB_VERSION);
      r.onupgradeneeded = (e) => {
        if (e.oldVersion < 1) {
          r.result.createObjectStore(SUMMARIES, { keyPath: 'id' });
          r.result.createObjectStore(RECORDS);
        }
        if (e.oldVersion < 2) r.result.createObjectStore(GENERATIONS);
      };
      r.onsuccess = () => {
        // A newer version opened in another tab: step aside rather than block it.
        r.result.onversionchange = () => r.result.close();
        resolve(new RunsDb(r.result));
      };
      r.onerror = () => reject(new Error(`cannot open saved runs: ${r.error?.message ?? 'unknown error'}`));
      r.onblocked = () => reject(new Error('cannot open saved runs: another tab holds an older version'));
    });
  }

  /** Every saved run's summary, newest first. */
  async list(): Promise<RunSummary[]> {
    const tx = this.db.transaction(SUMMARIES, 'readonly');
    const all = await result(tx.objectStore(SUMMARIES).getAll() as IDBRequest<RunSummary[]>);
    return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.savedAt.localeCompare(a.savedAt));
  }

  /** The record of run `id`, or undefined. */
  async get(id: string): Promise<RunRecord | undefined> {
    const tx = this.db.transaction([RECORDS, GENERATIONS], 'readonly');
    const [record, generations] = await Promise.all([
      result(tx.objectStore(RECORDS).get(id) as IDBRequest<RunRecord | undefined>),
      result(tx.objectStore(GENERATIONS).getAll(generationKeys(id)) as IDBRequest<RunRecord['generations']>),
    ]);
    if (!record) return undefined;
    // A record saved before version 2 holds its generations itself.
    return generations.length || !record.generations.length ? { ...record, generations } : record;
  }

  /**
   * Saves (or overwrites) run `id`: its summary, its record, and its generations from index `from` on
   * (those before it must be the ones saved already: a live run's earlier generations never change).
   * A run already stored keeps its stored name (another tab may have renamed it); `name` names a new one.
   * With `create` false the run must be stored already: if it is not (deleted in another tab) nothing is
   * written and RunDeletedError is thrown. Throws StorageFullError when the browser's quota is used up.
   * Returns the summary written.
   */
  async put(id: string, name: string, record: RunRecord, from = 0, create = true): Promise<RunSummary> {
    const { generations, ...header } = record;
    const start = Math.min(Math.max(0, from), generations.length);
    const tx = this.db.transaction([SUMMARIES, RECORDS, GENERATIONS], 'readwrite');
    const finished = done(tx, name);
    let summary: RunSummary;
    try {
      const summaries = tx.objectStore(SUMMARIES);
      const stored = await result(summaries.get(id) as IDBRequest<RunSummary | undefined>);
      if (!stored && !create) throw new RunDeletedError(id);
      summary = summarize(id, stored?.name ?? name, record);
      let newChars = 0;
      for (let i = start; i < generations.length; i++) newChars += jsonChars(generations[i]);
      // Sizes add up only over what is known to be stored: generations before `start` as counted before.
      const before = start === 0 ? 0 : stored?.generations === start ? stored.generationChars : undefined;
      if (before !== undefined) {
        summary.generationChars = before + newChars;
        summary.chars = jsonChars(header) + summary.generationChars;
      }
      summaries.put(summary);
      tx.objectStore(RECORDS).put({ ...header, generations: [] }, id);
      const store = tx.objectStore(GENERATIONS);
      // Rows past the record's generations (a rewrite with fewer) go.
      store.delete(generationKeys(id, generations.length));
      for (let i = start; i < generations.length; i++) store.put(generations[i], [id, i]);
    } catch (e) {
      // The abort rejects `finished` too; the error thrown here is the one that explains it.
      finished.catch(() => {});
      tx.abort();
      if ((e as DOMException).name === 'QuotaExceededError') throw new StorageFullError(name);
      throw e;
    }
    await finished;
    return summary;
  }

  /** Characters of JSON run `id` takes in storage (measured by reading it when its summary has no size). */
  async size(id: string): Promise<number | undefined> {
    const tx = this.db.transaction(SUMMARIES, 'readonly');
    const summary = await result(tx.objectStore(SUMMARIES).get(id) as IDBRequest<RunSummary | undefined>);
    if (summary?.chars !== undefined) return summary.chars;
    const record = await this.get(id);
    return record && jsonChars(record);
  }

  /** Renames run `id`; the record is unchanged. */
  async rename(id: string, name: string): Promise<void> {
    const tx = this.db.transaction(SUMMARIES, 'readwrite');
    const finished = done(tx, name);
    const store = tx.objectStore(SUMMARIES);
    try {
      const summary = await result(store.get(id) as IDBRequest<RunSummary | undefined>);
      if (summary) store.put({ ...summary, name });
    } catch (e) {
      finished.catch(() => {});
      throw e;
    }
    await finished;
  }

  /** Deletes run `id` (summary, record and generations). */
  async delete(id: string): Promise<void> {
    const tx = this.db.transaction([SUMMARIES, RECORDS, GENERATIONS], 'readwrite');
    const finished = done(tx, id);
    tx.objectStore(SUMMARIES).delete(id);
    tx.objectStore(RECORDS).delete(id);
    tx.objectStore(GENERATIONS).delete(generationKeys(id));
    await finished;
  }

  close(): void {
    this.db.close();
  }
}

/** A fresh id for a run: sortable by time, unique across tabs. */
export const newRunId = (): string =>
  `${Date.now().toString(36)}-${crypto.getRandomValues(new Uint32Array(1))[0]!.toString(36)}`;
