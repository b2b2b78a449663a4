// What travels through the queue: one job per run, named by a hash of the code version and the config
// (the seed is part of it), so that enqueuing the same run twice adds nothing; and the finished record,
// gzip-compressed (a record with every probe answer is a few MB of JSON, a tenth of that compressed),
// as JSON that keeps non-finite numbers: the collector gets the very record a worker thread would
// have posted (an unsmoothed n-gram's loss is Infinity, which the CSV shows as such).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Config } from '../sim/config.ts';
import type { RunRecord } from '../sim/record.ts';

/** The job's payload: the run's config and the code version that must run it. */
export interface JobData {
  code: string;
  config: Config;
}

/** A finished job's return value: the record's status and error, and the record itself compressed. */
export interface JobResult {
  status: RunRecord['status'];
  error?: string;
  /** The record as JSON, gzip-compressed, base64. */
  gzip: string;
}

/**
 * Largest compressed record sent through Redis. Redis holds strings up to 512 MB, but every byte also
 * passes through a Lua script and the collector's memory; a record this large means a config far
 * beyond any preset, and the worker fails its job with this limit in the message instead.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

let cached: string | undefined;

/**
 * The code version: a hash of everything that decides a run's record (src/, the model specs in
 * models/, and the locked package versions in package-lock.json). Computed from the files, so it is the
 * same on every machine with the same checkout, git or not, and changes with any uncommitted edit.
 */
export function codeVersion(): string {
  if (cached) return cached;
  const h = createHash('sha256');
  const files = [...listFiles(path.join(root, 'src')), ...listFiles(path.join(root, 'models'))]
    .map((f) => path.relative(root, f).split(path.sep).join('/'))
    .sort();
  for (const f of [...files, 'package-lock.json']) {
    h.update(`${f}\0`);
    h.update(fs.readFileSync(path.join(root, f)));
    h.update('\0');
  }
  return (cached = h.digest('hex').slice(0, 12));
}

/** Queue of one code version: workers of another version never see its jobs. */
export const queueName = (code: string) => `ouroboros-${code}`;

/** JSON with object keys sorted, so that equal configs hash equally whatever their key order. */
function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (x !== null && typeof x === 'object')
    return `{${Object.keys(x)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((x as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(x);
}

/** The job id of a run: code version and config (seed included), hashed. */
export const jobId = (code: string, config: Config): string =>
  `run-${createHash('sha256')
    .update(`${code}\0${canonical(config)}`)
    .digest('hex')
    .slice(0, 32)}`;

// A non-finite number travels as a string that no record holds (it starts with a NUL character).
const NON_FINITE = '\u0000number:';
const keepNonFinite = (_: string, x: unknown) =>
  typeof x === 'number' && !Number.isFinite(x) ? `${NON_FINITE}${x}` : x;
const restoreNonFinite = (_: string, x: unknown) =>
  typeof x === 'string' && x.startsWith(NON_FINITE) ? Number(x.slice(NON_FINITE.length)) : x;

/** A record as a job result; throws when it is over `limit` bytes compressed. */
export function encodeRecord(record: RunRecord, limit = MAX_MESSAGE_BYTES): JobResult {
  const zipped = gzipSync(JSON.stringify(record, keepNonFinite));
  if (zipped.length > limit)
    throw new Error(
      `the run's record is ${zipped.length} bytes compressed, over the queue's limit of ${limit} bytes per message`,
    );
  return {
    status: record.status,
    ...(record.error !== undefined ? { error: record.error } : {}),
    gzip: zipped.toString('base64'),
  };
}

/** The record inside a job result, non-finite numbers restored (not yet validated). */
export function decodeRecord(result: JobResult): unknown {
  return JSON.parse(gunzipSync(Buffer.from(result.gzip, 'base64')).toString('utf8'), restoreNonFinite);
}
