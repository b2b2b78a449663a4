// Run files: what export writes and import reads (a run record as JSON), checked before anything is saved.
import { parseRecord, type RunRecord } from '../../sim/record.ts';

/** Largest run file import accepts (a 200-generation tiny-GPT run with samples is about 10 MiB). */
export const MAX_RUN_FILE_BYTES = 64 * 1024 * 1024;
/** Most problems listed for one file; the rest are counted. */
const MAX_LISTED = 12;

const tooBig = (size: number) =>
  `the file is ${(size / 2 ** 20).toFixed(0)} MiB, over the limit: run files up to 64 MiB are accepted`;

/**
 * Reads and parses a run file (a File from an input or a drop). The size is checked before a byte is
 * read, and the bytes must be UTF-8: a binary file is refused as such rather than parsed as mojibake.
 */
export async function readRunFile(
  file: Pick<Blob, 'size' | 'arrayBuffer'>,
): Promise<{ ok: true; record: RunRecord } | { ok: false; errors: string[] }> {
  if (file.size > MAX_RUN_FILE_BYTES) return { ok: false, errors: [tooBig(file.size)] };
  if (file.size === 0) return { ok: false, errors: ['the file is empty'] };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
  } catch (e) {
    const why = e instanceof TypeError ? 'it is not UTF-8 text (a binary file?)' : (e as Error).message;
    return { ok: false, errors: [`the file cannot be read: ${why}`] };
  }
  return parseRunFile(text, file.size);
}

/** The text of a run file: the record as indented JSON. */
export const runFileText = (record: RunRecord): string => JSON.stringify(record, null, 1);

/** A file name from a run's name: "quick · topK=40" → "quick-topK-40". */
export function fileStem(name: string): string {
  const stem = name
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return stem || 'run';
}

/**
 * Parses the text of a run file into a record, or into readable problems: not JSON (with where),
 * not a run record, or each bad value by path.
 */
export function parseRunFile(
  text: string,
  size = text.length,
): { ok: true; record: RunRecord } | { ok: false; errors: string[] } {
  if (size > MAX_RUN_FILE_BYTES) return { ok: false, errors: [tooBig(size)] };
  if (!text.trim()) return { ok: false, errors: ['the file is empty'] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`the file is not JSON: ${(e as Error).message}`] };
  }
  const r = parseRecord(json);
  if (r.ok) return r;
  const errors = r.errors.slice(0, MAX_LISTED).map((e) => e.message);
  if (r.errors.length > MAX_LISTED) errors.push(`… and ${r.errors.length - MAX_LISTED} more problems`);
  return { ok: false, errors };
}
