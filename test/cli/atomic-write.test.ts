// Atomic writes: a process killed in the middle of a large write, or a write that finds the disk
// full, leaves the previous complete file — never a cut one — and no temporary file behind a failure.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { WriteError, writeFileAtomic } from '../../src/cli/atomic-write.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ouro-atomic-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const SIZE = 16 * 2 ** 20;

/** Starts the writer (node itself, not the tsx wrapper, so that the kill reaches it); resolves once a write is under way (its temporary file exists), then kills it. */
function killMidWrite(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/helpers/write-loop.ts', file, String(SIZE)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let writes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      writes += chunk.toString().split('\n').length - 1;
      if (writes !== 1) return;
      // after the first complete write: wait for the next one to be in progress, then SIGKILL
      const poll = setInterval(() => {
        if (fs.readdirSync(dir).some((f) => f.startsWith(`.${path.basename(file)}.`) && f.endsWith('.tmp'))) {
          clearInterval(poll);
          child.kill('SIGKILL');
        }
      }, 1);
    });
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited: ${signal}`)),
    );
  });
}

describe('writeFileAtomic', () => {
  it(
    'a writer killed with SIGKILL during a 16 MiB write leaves one of the complete files, every time',
    { timeout: 300_000 },
    async () => {
      const file = path.join(dir, 'record.json');
      for (let round = 0; round < 5; round++) {
        await killMidWrite(file);
        const text = fs.readFileSync(file, 'utf8');
        expect(text.length, `round ${round}`).toBe(SIZE);
        const value = JSON.parse(text) as string; // complete JSON, not cut
        expect(value === 'a'.repeat(SIZE - 2) || value === 'b'.repeat(SIZE - 2)).toBe(true);
        // the kill may leave the temporary file it was writing: hidden, and never the target
        for (const f of fs.readdirSync(dir)) if (f !== 'record.json') fs.rmSync(path.join(dir, f));
      }
    },
  );

  it('a full disk (ENOSPC) keeps the previous file and removes the temporary one', () => {
    const file = path.join(dir, 'run.json');
    writeFileAtomic(file, '{"generations": [0, 1, 2]}');
    vi.spyOn(fs, 'writeFileSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    let error: unknown;
    try {
      writeFileAtomic(file, '{"generations": [0, 1, 2, 3]}');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WriteError);
    expect((error as WriteError).code).toBe('ENOSPC');
    expect((error as Error).message).toBe(`cannot write ${file}: ENOSPC: no space left on device`);
    vi.restoreAllMocks();
    expect(fs.readFileSync(file, 'utf8')).toBe('{"generations": [0, 1, 2]}');
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.run.json.'))).toEqual([]);
  });

  it('names the file and the reason when the directory is missing; writes nothing', () => {
    const file = path.join(dir, 'missing', 'x.json');
    expect(() => writeFileAtomic(file, 'x')).toThrow(
      `cannot write ${file}: ENOENT: no such file or directory`,
    );
  });
});
