// An output directory (a sweep's, a reproduction's) belongs to one invocation at a time: a lock file in
// it names the process that holds it. A second invocation is refused with a message naming that
// process; a lock left by a process that no longer runs (killed with -9, a crash) is taken over with a
// note. The lock is released when the holder exits, however it exits short of SIGKILL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileError } from './input-files.ts';
import { describeFsError } from './atomic-write.ts';

/** The lock file's name inside the directory. */
export const LOCK_FILE = '.ouroboros.lock';

/** What a lock file holds. */
export interface LockInfo {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
}

/** A held lock: `release()` removes the lock file if it is still ours (idempotent). */
export interface DirectoryLock {
  file: string;
  release(): void;
}

/** Whether process `pid` on this host is alive (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockInfo | null {
  try {
    const x = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockInfo>;
    return typeof x.pid === 'number' ? (x as LockInfo) : null;
  } catch {
    return null;
  }
}

/** A lock that nobody holds any more: an unreadable file, or a dead process on this host. */
const isStale = (info: LockInfo | null) =>
  info === null || (info.host === os.hostname() && !processAlive(info.pid));

/**
 * Takes `dir` (which must exist) for this process; `what` names the option for messages
 * (e.g. "--out results"). Throws FileError when another live process holds it. `onNote` hears about
 * a stale lock taken over.
 */
export function lockDirectory(
  dir: string,
  what: string,
  onNote: (message: string) => void = (m) => console.error(`note: ${m}`),
): DirectoryLock {
  const file = path.join(dir, LOCK_FILE);
  const mine: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    command: process.argv.slice(1).join(' ').slice(0, 300),
    startedAt: new Date().toISOString(),
  };
  const text = JSON.stringify(mine) + '\n';
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, text, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new FileError(`${what}: cannot create the lock file ${file}: ${describeFsError(e).detail}`);
    }
    const held = readLock(file);
    if (!isStale(held) || attempt > 2)
      throw new FileError(
        `${what} is in use by another invocation (pid ${held?.pid ?? '?'} on ${held?.host ?? '?'}, started ${held?.startedAt ?? '?'}: ` +
          `${held?.command ?? '?'}); wait for it to finish or choose another directory. ` +
          `If no such process runs, remove ${file}`,
      );
    // Stale: move it aside under a name of our own (only one taker's rename succeeds), then check
    // that what moved is the stale lock and not a fresh one another taker just made.
    const aside = `${file}.stale-${process.pid}`;
    try {
      fs.renameSync(file, aside);
    } catch {
      continue; // someone else moved it first; look again
    }
    const moved = readLock(aside);
    if (!isStale(moved)) {
      try {
        fs.linkSync(aside, file); // put the live lock back, unless a third party has one there
      } catch {
        // the directory has a lock again either way
      }
      fs.rmSync(aside, { force: true });
      continue;
    }
    fs.rmSync(aside, { force: true });
    onNote(
      held
        ? `took over the lock on ${dir} left by pid ${held.pid} (started ${held.startedAt}), which no longer runs`
        : `took over an unreadable lock file ${file}`,
    );
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true });
  };
  process.on('exit', release);
  return { file, release };
}
