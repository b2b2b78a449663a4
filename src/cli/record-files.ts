// Run records on disk, shared by simulate, sweep and reproduce (local or distributed): written
// atomically, read back with every problem named, and — for a run in progress — saved after each
// generation so that a failed save keeps the previous complete record and says what it holds.
import { parseRecord, metricsToCsv, type RunRecord } from '../sim/record.ts';
import { WriteError, writeFileAtomic } from './atomic-write.ts';
import { FileError, readJsonFile } from './input-files.ts';

/** Writes a record as JSON (indented by `indent` spaces, none for the smallest file). */
export const writeRecordFile = (file: string, record: RunRecord, indent?: number): void =>
  writeFileAtomic(file, JSON.stringify(record, null, indent));

/** Writes a record's per-generation metrics as CSV. */
export const writeCsvFile = (file: string, record: RunRecord): void =>
  writeFileAtomic(file, metricsToCsv(record));

/** A saved record read back (--resume, --replot): valid, or a FileError naming the file and the problem. */
export function readRecordFile(file: string): RunRecord {
  const parsed = parseRecord(readJsonFile(file, 'record'));
  if (!parsed.ok) {
    const e = parsed.errors[0]!;
    throw new FileError(
      `record ${file} is not a valid run record: ${e.path ? `${e.path}: ` : ''}${e.message}`,
    );
  }
  return parsed.record;
}

/** "10 generations (0–9)", "1 generation (0)", "no generation". */
export function generationsHeld(n: number): string {
  if (n === 0) return 'no generation';
  return n === 1 ? '1 generation (0)' : `${n} generations (0–${n - 1})`;
}

/** One file a run in progress is saved to. */
interface Target {
  file: string;
  write: (record: RunRecord) => void;
  /** Generations the file on disk holds (-1: not written by this run yet). */
  held: number;
  /** The last save's error, while saves fail. */
  failing?: string;
}

/**
 * Saves a run's record and CSV after each generation. A save that fails (a full disk) leaves the
 * previous complete file in place; nothing computed is dropped from memory, and the next save tries
 * again. `save` returns one line for each file whose saves begin to fail, and one for each that is
 * saved again; `unsaved` says, at the end, what the failing files hold.
 */
export class RunSaver {
  private targets: Target[] = [];
  /** Generations in the record of the last save. */
  private count = 0;

  constructor(files: { record?: string | undefined; csv?: string | undefined }) {
    if (files.record)
      this.targets.push({ file: files.record, write: (r) => writeRecordFile(files.record!, r, 1), held: -1 });
    if (files.csv)
      this.targets.push({ file: files.csv, write: (r) => writeCsvFile(files.csv!, r), held: -1 });
  }

  private holds(t: Target): string {
    return t.held < 0
      ? `${t.file} was not written`
      : `${t.file} keeps the previous complete record: ${generationsHeld(t.held)} of the ${this.count} finished`;
  }

  /** Writes every file; returns a line for each that began to fail, or was written again after failing. */
  save(record: RunRecord): string[] {
    const lines: string[] = [];
    this.count = record.generations.length;
    for (const t of this.targets) {
      try {
        t.write(record);
        t.held = this.count;
        if (t.failing) lines.push(`note: ${t.file} saved again: ${generationsHeld(t.held)}`);
        delete t.failing;
      } catch (e) {
        if (!(e instanceof WriteError)) throw e;
        if (!t.failing)
          lines.push(`error: ${e.message}; ${this.holds(t)} (each later generation tries again)`);
        t.failing = e.message;
      }
    }
    return lines;
  }

  /** Whether every file holds every generation of the last save. */
  get complete(): boolean {
    return this.targets.every((t) => t.held === this.count);
  }

  /** For each file that the last save could not write: what it holds, and why. */
  unsaved(): string[] {
    return this.targets.filter((t) => t.failing).map((t) => `${t.failing}; ${this.holds(t)}`);
  }
}
