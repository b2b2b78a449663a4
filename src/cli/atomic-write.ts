// Every file the CLI writes goes through here: the bytes go to a temporary file in the same directory,
// are flushed to disk (fsync), and only then renamed over the target. A process killed mid-write, or
// a disk that fills, leaves the previous complete file (or none), never a cut one.
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';

/** A write that failed; the target still holds what it held before. */
export class WriteError extends Error {
  override name = 'WriteError';
  constructor(
    readonly file: string,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(`cannot write ${file}: ${detail}`);
  }
}

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EIO: 'input/output error',
};

/** A one-line reason for a file-system error: the plain words and the code. */
export function describeFsError(e: unknown): { code: string | undefined; detail: string } {
  const code = (e as NodeJS.ErrnoException).code;
  const reason = code ? REASONS[code] : undefined;
  return {
    code,
    detail: reason ? `${code}: ${reason}` : ((e as Error).message ?? String(e)).split('\n')[0]!,
  };
}

let serial = 0;

/** The temporary name a write of `file` uses: hidden, in the same directory, unique to this writer. */
export const temporaryName = (file: string): string =>
  path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${threadId}-${serial++}.tmp`);

/** Writes `data` to `file` atomically (temp file, fsync, rename); throws WriteError naming the file. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = temporaryName(file);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    const { code, detail } = describeFsError(e);
    throw new WriteError(file, code, detail);
  }
  // The rename is durable once the directory itself is flushed (not every file system allows it).
  try {
    const dir = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  } catch {
    // the file is complete and in place; only its survival of a power cut is less certain
  }
}

/** `value` as indented JSON, written atomically. */
export const writeJsonAtomic = (file: string, value: unknown, indent?: number): void =>
  writeFileAtomic(file, JSON.stringify(value, null, indent) + (indent ? '\n' : ''));
