// Output paths are checked before anything runs: one line naming the option, the path and the problem.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutputFiles, prepareOutputDirectory } from '../../src/cli/output-paths.ts';
import { FileError, readInputFile } from '../../src/cli/input-files.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ouro-paths-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => path.join(dir, name);
fs.writeFileSync(at('corpus.txt'), 'precious text\n');

const refusal = (f: () => void): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FileError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('checkOutputFiles', () => {
  const corpus = { option: '--corpus', path: at('corpus.txt') };

  it('refuses an output that is an input: the same path, a symlink to it, a hard link, another spelling', () => {
    fs.symlinkSync(at('corpus.txt'), at('link.txt'));
    fs.linkSync(at('corpus.txt'), at('hard.txt'));
    for (const out of [at('corpus.txt'), at('link.txt'), at('hard.txt'), `${dir}/./corpus.txt`])
      expect(refusal(() => checkOutputFiles([{ option: '--out', path: out }], [corpus]))).toBe(
        `--out ${out} is the same file as --corpus ${at('corpus.txt')}: writing it would destroy that input`,
      );
    expect(fs.readFileSync(at('corpus.txt'), 'utf8')).toBe('precious text\n');
  });

  it('refuses two outputs that are one file, existing or not', () => {
    const outputs = [
      { option: '--out', path: at('run.json') },
      { option: '--csv', path: at('run.json') },
    ];
    expect(refusal(() => checkOutputFiles(outputs))).toBe(
      `--csv ${at('run.json')} is the same file as --out ${at('run.json')}: one would overwrite the other`,
    );
  });

  it('refuses a directory, a device, a FIFO and a missing or read-only directory', () => {
    const out = (p: string) => () => checkOutputFiles([{ option: '--out', path: p }]);
    expect(refusal(out(dir))).toBe(
      `--out ${dir}: it is a directory; give the name of a file to write (e.g. DIR/run.json)`,
    );
    expect(refusal(out('/dev/full'))).toBe(
      '--out /dev/full: it is a device; give the name of a file to write',
    );
    execFileSync('mkfifo', [at('pipe')]);
    expect(refusal(out(at('pipe')))).toMatch(
      /: it is a FIFO \(named pipe\); give the name of a file to write$/,
    );
    expect(refusal(out(at('nowhere/run.json')))).toBe(
      `--out ${at('nowhere/run.json')}: the directory ${at('nowhere')} does not exist`,
    );
    expect(refusal(out(at('corpus.txt/run.json')))).toBe(
      `--out ${at('corpus.txt/run.json')}: ${at('corpus.txt')} is a file, not a directory`,
    );
    // a read-only file system (root ignores permission bits, not EROFS)
    if (fs.existsSync('/proc/self'))
      expect(refusal(out('/proc/self/run.json'))).toMatch(
        /^--out \/proc\/self\/run\.json: cannot write in \/proc\/self: E[A-Z]+: /,
      );
  });

  it('accepts new and existing files in a writable directory, and leaves no probe file behind', () => {
    fs.writeFileSync(at('old.json'), '{}');
    checkOutputFiles([
      { option: '--out', path: at('new.json') },
      { option: '--csv', path: at('old.json') },
    ]);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(fs.existsSync(at('new.json'))).toBe(false);
  });
});

describe('prepareOutputDirectory', () => {
  it('creates the directory and its subdirectories, and refuses a file in place of it', () => {
    prepareOutputDirectory({ option: '--out', path: at('sweep') }, { subdirs: ['runs'] });
    expect(fs.statSync(at('sweep/runs')).isDirectory()).toBe(true);
    expect(refusal(() => prepareOutputDirectory({ option: '--out', path: at('corpus.txt') }))).toBe(
      `--out ${at('corpus.txt')}: it is a file, not a directory`,
    );
  });

  it('refuses when a file it will write is an input, or is a directory', () => {
    fs.writeFileSync(at('sweep/settings.json'), '{}');
    expect(
      refusal(() =>
        prepareOutputDirectory(
          { option: '--out', path: at('sweep') },
          { files: ['settings.json'], inputs: [{ option: '--config', path: at('sweep/settings.json') }] },
        ),
      ),
    ).toBe(
      `--out DIR/settings.json ${at('sweep/settings.json')} is the same file as --config ${at('sweep/settings.json')}: writing it would destroy that input`,
    );
    fs.mkdirSync(at('sweep/metrics.csv'));
    expect(
      refusal(() =>
        prepareOutputDirectory({ option: '--out', path: at('sweep') }, { files: ['metrics.csv'] }),
      ),
    ).toBe(`${at('sweep/metrics.csv')}: it is a directory; --out ${at('sweep')} needs to write a file there`);
  });
});

describe('readInputFile', () => {
  it('refuses a device, a FIFO and a directory without blocking, and a file over the limit', () => {
    expect(refusal(() => readInputFile('/dev/zero', 'corpus file /dev/zero', 100))).toBe(
      'cannot read corpus file /dev/zero: it is a device, not a regular file',
    );
    expect(refusal(() => readInputFile(at('pipe'), 'corpus file pipe', 100))).toBe(
      'cannot read corpus file pipe: it is a FIFO (named pipe), not a regular file',
    );
    expect(refusal(() => readInputFile(dir, 'x', 100))).toBe(
      'cannot read x: it is a directory, not a regular file',
    );
    fs.writeFileSync(at('big.txt'), 'x'.repeat(101));
    expect(refusal(() => readInputFile(at('big.txt'), 'f', 100))).toBe(
      'f is over 100 bytes; the limit is 100 bytes',
    );
    expect(new TextDecoder().decode(readInputFile(at('corpus.txt'), 'f', 14))).toBe('precious text\n');
  });
});
