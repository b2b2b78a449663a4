// Saved runs in IndexedDB: a small summary per run (listed without loading records) and the records
// themselves, written together in one transaction so the two never disagree.
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
}

/** Browser storage refused the write because it is full. */
export class StorageFullError extends Error {
  constructor(name: string) {
    super(
      `Browser storage is full, so “${name}” could not be saved. Export and delete some saved runs, ` +
        'then save again; runs already saved are untouched.',
    );
    this.name = 'StorageFullError';
  }
}

const DB_VERSION = 1;
const SUMMARIES = 'summaries';
const RECORDS = 'records';

/** The summary the list shows for `record`. */
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
  static open(name = 'ouroboros'): Promise<RunsDb> {
    if (typeof indexedDB === 'undefined')
      return Promise.reject(new Error('this browser offers no IndexedDB, so runs cannot be saved'));
    return new Promise((resolve, reject) => {
      const r = indexedDB.open(name, DB_VERSION);
      r.onupgradeneeded = () => {
        r.result.createObjectStore(SUMMARIES, { keyPath: 'id' });
        r.result.createObjectStore(RECORDS);
      };
      r.onsuccess = () => resolve(new RunsDb(r.result));
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
    const tx = this.db.transaction(RECORDS, 'readonly');
    return result(tx.objectStore(RECORDS).get(id) as IDBRequest<RunRecord | undefined>);
  }

  /** Saves (or overwrites) run `id`; throws StorageFullError when the browser's quota is used up. */
  async put(id: string, name: string, record: RunRecord): Promise<RunSummary> {
    const summary = summarize(id, name, record);
    const tx = this.db.transaction([SUMMARIES, RECORDS], 'readwrite');
    const finished = done(tx, name);
    try {
      tx.objectStore(SUMMARIES).put(summary);
      tx.objectStore(RECORDS).put(record, id);
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

  /** Deletes run `id` (summary and record). */
  async delete(id: string): Promise<void> {
    const tx = this.db.transaction([SUMMARIES, RECORDS], 'readwrite');
    const finished = done(tx, id);
    tx.objectStore(SUMMARIES).delete(id);
    tx.objectStore(RECORDS).delete(id);
    await finished;
  }

  close(): void {
    this.db.close();
  }
}

/** A fresh id for a run: sortable by time, unique across tabs. */
export const newRunId = (): string =>
  `${Date.now().toString(36)}-${crypto.getRandomValues(new Uint32Array(1))[0]!.toString(36)}`;
