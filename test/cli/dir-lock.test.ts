// A sweep or reproduce directory belongs to one invocation at a time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDirectory, processAlive } from '../../src/cli/dir-lock.ts';
import { FileError } from '../../src/cli/input-files.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ouro-lock-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const fresh = (name: string) => {
  const d = path.join(root, name);
  fs.mkdirSync(d);
  return d;
};
/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;
const lockOf = (pid: number, host = os.hostname()) =>
  JSON.stringify({ pid, host, command: 'npm run sweep -- --out x', startedAt: '2026-01-01T00:00:00.000Z' });

describe('lockDirectory', () => {
  it('writes a lock naming this process, and release removes it', () => {
    const d = fresh('a');
    const lock = lockDirectory(d, '--out a');
    const info = JSON.parse(fs.readFileSync(path.join(d, LOCK_FILE), 'utf8')) as {
      pid: number;
      host: string;
    };
    expect(info.pid).toBe(process.pid);
    expect(info.host).toBe(os.hostname());
    lock.release();
    expect(fs.existsSync(path.join(d, LOCK_FILE))).toBe(false);
    lock.release(); // twice is harmless
  });

  it('refuses a directory held by a live process, naming it, and leaves its lock alone', () => {
    const d = fresh('b');
    const parent = process.ppid; // alive while this test runs
    fs.writeFileSync(path.join(d, LOCK_FILE), lockOf(parent));
    let error: unknown;
    try {
      lockDirectory(d, '--out b');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FileError);
    expect((error as Error).message).toBe(
      `--out b is in use by another invocation (pid ${parent} on ${os.hostname()}, started 2026-01-01T00:00:00.000Z: ` +
        `npm run sweep -- --out x); wait for it to finish or choose another directory. If no such process runs, remove ${path.join(d, LOCK_FILE)}`,
    );
    expect(fs.readFileSync(path.join(d, LOCK_FILE), 'utf8')).toBe(lockOf(parent));
    // the second of two locks in one process is refused too
    const e = fresh('c');
    const first = lockDirectory(e, '--out c');
    expect(() => lockDirectory(e, '--out c')).toThrow(/^--out c is in use by another invocation \(pid \d+/);
    first.release();
  });

  it('takes over a lock left by a process that no longer runs, or an unreadable one, with a note', () => {
    const d = fresh('d');
    const dead = deadPid();
    expect(processAlive(dead)).toBe(false);
    fs.writeFileSync(path.join(d, LOCK_FILE), lockOf(dead));
    const notes: string[] = [];
    const lock = lockDirectory(d, '--out d', (m) => notes.push(m));
    expect(notes).toEqual([
      `took over the lock on ${d} left by pid ${dead} (started 2026-01-01T00:00:00.000Z), which no longer runs`,
    ]);
    expect(JSON.parse(fs.readFileSync(path.join(d, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    fs.writeFileSync(path.join(d, LOCK_FILE), '{"pid": 12'); // cut short
    const again = lockDirectory(d, '--out d', (m) => notes.push(m));
    expect(notes[1]).toBe(`took over an unreadable lock file ${path.join(d, LOCK_FILE)}`);
    again.release();
    expect(fs.readdirSync(d)).toEqual([]);
  });

  it('does not take over a lock from another host (its pid means nothing here)', () => {
    const d = fresh('e');
    fs.writeFileSync(path.join(d, LOCK_FILE), lockOf(deadPid(), 'elsewhere'));
    expect(() => lockDirectory(d, '--out e')).toThrow(/in use by another invocation \(pid \d+ on elsewhere/);
  });
});
