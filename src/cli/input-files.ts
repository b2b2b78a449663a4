// Reading the CLI's input files: only regular files (a device, FIFO or socket could block or never
// end), never more than the size limit plus one byte, and every problem one line naming the file.
import fs from 'node:fs';
import { describeFsError } from './atomic-write.ts';

/** A problem with a file the CLI reads or would write; the message names the file (and the option). */
export class FileError extends Error {
  override name = 'FileError';
}

/** What a non-regular file is, in words. */
export function fileKind(s: fs.Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  return s.isFile() ? 'a file' : 'not a regular file';
}

/**
 * The bytes of `file`, which must be a regular file of at most `maxBytes`. Opened without blocking
 * (a FIFO would otherwise wait for a writer) and checked after opening, so a file swapped in between
 * is caught too; reads at most `maxBytes + 1` bytes, so a file that grows cannot exhaust memory.
 * `label` starts every message, e.g. "corpus file run.txt" or "--corpus run.txt".
 */
export function readInputFile(
  file: string,
  label: string,
  maxBytes: number,
  /** The message for a file over the limit (`size`: its size, or the bytes read before stopping). */
  tooBigMessage: (size: number) => string = (size) =>
    `${label} is ${size > maxBytes ? `over ${maxBytes}` : size} bytes; the limit is ${maxBytes} bytes`,
): Uint8Array {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw new FileError(`cannot read ${label}: ${describeFsError(e).detail}`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile())
      throw new FileError(`cannot read ${label}: it is ${fileKind(stat)}, not a regular file`);
    const tooBig = (size: number) => new FileError(tooBigMessage(size));
    if (stat.size > maxBytes) throw tooBig(stat.size);
    // The size stat gives is a hint only (a device reports 0, a file may grow): read in chunks.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size + 1, 1 << 16), maxBytes + 1 - length));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      length += n;
      if (length > maxBytes) throw tooBig(length);
    }
    return new Uint8Array(Buffer.concat(chunks, length));
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(`cannot read ${label}: ${describeFsError(e).detail}`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Largest JSON file (record, manifest) read back by --resume and --replot. */
export const MAX_JSON_FILE_BYTES = 512 * 1024 * 1024;

/** A JSON file read back (a record, a manifest): its value, or a FileError naming the file. */
export function readJsonFile(file: string, what: string): unknown {
  const bytes = readInputFile(file, `${what} ${file}`, MAX_JSON_FILE_BYTES);
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text);
  } catch (e) {
    // Cut short: the parser failed at the very end (the wording varies with where the cut fell).
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    const cut =
      /end of JSON|Unterminated/i.test(message) || (at !== null && Number(at[1]) >= text.trimEnd().length)
        ? ` (it ends after ${bytes.length} bytes: cut short?)`
        : '';
    throw new FileError(`${what} ${file} is not valid JSON${cut}: ${message.split('\n')[0]!.slice(0, 100)}`);
  }
}
