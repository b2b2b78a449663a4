// The recorded runs shipped with the site (public/runs/), read and validated as the site reads them.
import fs from 'node:fs';
import { parseRecord, type RunRecord } from '../../src/sim/record.ts';

/** The record of recorded run `id` (e.g. 'collapse'); throws naming what is wrong with an invalid file. */
export function recordedRun(id: string): RunRecord {
  const r = parseRecord(JSON.parse(fs.readFileSync(`public/runs/${id}.json`, 'utf8')));
  if (!r.ok) throw new Error(`public/runs/${id}.json: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.record;
}
