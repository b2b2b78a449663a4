// Loading the recorded runs shipped in public/runs/ (same origin, relative to the page, so the embed
// works from any path and makes no request elsewhere). Every file is validated like an imported run.
import { parseRecord, type RunRecord } from '../../sim/record.ts';
import type { RecordedRunEntry, RecordedRunIndex } from '../../sim/recorded-runs.ts';

const runsUrl = (file: string): string => new URL(`runs/${file}`, document.baseURI).href;

async function fetchJson(file: string): Promise<unknown> {
  const response = await fetch(runsUrl(file));
  if (!response.ok) throw new Error(`runs/${file}: the server answered ${response.status}`);
  try {
    return await response.json();
  } catch {
    throw new Error(`runs/${file} is not valid JSON`);
  }
}

/** The list of recorded runs. */
export async function loadIndex(): Promise<RecordedRunEntry[]> {
  const index = (await fetchJson('index.json')) as Partial<RecordedRunIndex> | null;
  if (!index || !Array.isArray(index.runs)) throw new Error('runs/index.json lists no runs');
  return index.runs;
}

/** One recorded run's record. */
export async function loadRecord(entry: RecordedRunEntry): Promise<RunRecord> {
  const parsed = parseRecord(await fetchJson(entry.file));
  if (!parsed.ok) throw new Error(`runs/${entry.file}: ${parsed.errors.map((e) => e.message).join('; ')}`);
  return parsed.record;
}
