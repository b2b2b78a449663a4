// Output paths checked before any training starts: each must be writable, not a directory or a device,
// and not the same file as an input or another output (compared by real path and by inode, so a
// symlink or a hard link to an input is caught too). Every refusal is one line naming the option,
// the path and the problem.
import fs from 'node:fs';
import path from 'node:path';
import { describeFsError, temporaryName } from './atomic-write.ts';
import { FileError, fileKind } from './input-files.ts';

/** A path and the option that named it ("--out", "--corpus", or "--out DIR" for a file inside DIR). */
export interface NamedPath {
  option: string;
  path: string;
}

const statOrNull = (p: string): fs.Stats | null => {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
};

/** What identifies a file: its device and inode when it exists, else its real directory and name. */
function identity(p: string): string[] {
  const ids: string[] = [];
  const s = statOrNull(p);
  if (s) ids.push(`inode:${s.dev}:${s.ino}`);
  try {
    ids.push(`path:${fs.realpathSync(p)}`);
  } catch {
    try {
      ids.push(`path:${path.join(fs.realpathSync(path.dirname(p)), path.basename(p))}`);
    } catch {
      ids.push(`path:${path.resolve(p)}`);
    }
  }
  return ids;
}

/** The directory can take a new file: a probe file is created in it and removed. */
function checkWritableDirectory(dir: string, what: string): void {
  const s = statOrNull(dir);
  if (!s) throw new FileError(`${what}: the directory ${dir} does not exist`);
  if (!s.isDirectory()) throw new FileError(`${what}: ${dir} is ${fileKind(s)}, not a directory`);
  const probe = temporaryName(path.join(dir, 'write-check'));
  try {
    fs.closeSync(fs.openSync(probe, 'wx'));
    fs.rmSync(probe);
  } catch (e) {
    throw new FileError(`${what}: cannot write in ${dir}: ${describeFsError(e).detail}`);
  }
}

/** Refuses an output file that cannot be written, or that is a directory or not a regular file. */
function checkOutputFile(o: NamedPath): void {
  const what = `${o.option} ${o.path}`;
  const s = statOrNull(o.path);
  if (s && !s.isFile())
    throw new FileError(
      `${what}: it is ${fileKind(s)}; give the name of a file to write${s.isDirectory() ? ' (e.g. DIR/run.json)' : ''}`,
    );
  checkWritableDirectory(path.dirname(o.path), what);
}

/** Refuses two outputs that are the same file, or an output that is the same file as an input. */
function checkDistinct(outputs: readonly NamedPath[], inputs: readonly NamedPath[]): void {
  const seen = new Map<string, NamedPath>();
  for (const i of inputs) for (const id of identity(i.path)) seen.set(id, i);
  for (const o of outputs) {
    const ids = identity(o.path);
    const clash = ids.map((id) => seen.get(id)).find((x) => x !== undefined);
    if (clash) {
      const input = inputs.includes(clash);
      throw new FileError(
        `${o.option} ${o.path} is the same file as ${clash.option} ${clash.path}: ` +
          (input ? 'writing it would destroy that input' : 'one would overwrite the other'),
      );
    }
    for (const id of ids) seen.set(id, o);
  }
}

/** Checks files to be written (before anything runs); throws FileError naming the first problem. */
export function checkOutputFiles(outputs: readonly NamedPath[], inputs: readonly NamedPath[] = []): void {
  for (const o of outputs) checkOutputFile(o);
  checkDistinct(outputs, inputs);
}

/**
 * Makes the output directory (and `subdirs` in it) if needed and checks it can be written; `files`
 * (relative to it) are the files the command will write there, checked against `inputs`.
 */
export function prepareOutputDirectory(
  dir: NamedPath,
  o: { subdirs?: readonly string[]; files?: readonly string[]; inputs?: readonly NamedPath[] } = {},
): void {
  const what = `${dir.option} ${dir.path}`;
  const s = statOrNull(dir.path);
  if (s && !s.isDirectory()) throw new FileError(`${what}: it is ${fileKind(s)}, not a directory`);
  for (const sub of ['', ...(o.subdirs ?? [])]) {
    const full = path.join(dir.path, sub);
    try {
      fs.mkdirSync(full, { recursive: true });
    } catch (e) {
      throw new FileError(`${what}: cannot create ${full}: ${describeFsError(e).detail}`);
    }
    checkWritableDirectory(full, what);
  }
  const files = (o.files ?? []).map((f) => ({
    option: `${dir.option} DIR/${f}`,
    path: path.join(dir.path, f),
  }));
  for (const f of files) {
    const fs_ = statOrNull(f.path);
    if (fs_ && !fs_.isFile())
      throw new FileError(`${f.path}: it is ${fileKind(fs_)}; ${what} needs to write a file there`);
  }
  checkDistinct(files, o.inputs ?? []);
}
