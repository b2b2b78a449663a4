// What a sweep leaves behind: one combined CSV, a Markdown table per run, and SVG charts of the
// main metrics (mean over seeds per configuration). `npm run sweep -- --replot DIR` redraws them
// from DIR/sweep.json and the records it lists.
import path from 'node:path';
import { lineChartSvg, type Series } from '../charts/svg-line-chart.ts';
import { metricsToCsv, type RunRecord } from '../sim/record.ts';
import { writeFileAtomic, writeJsonAtomic } from './atomic-write.ts';
import { FileError, readJsonFile } from './input-files.ts';
import { readRecordFile } from './record-files.ts';
import { markdownTable } from './table.ts';

export interface SweepRun {
  label: string;
  seed: number;
  record: RunRecord;
}

/** One line of DIR/sweep.json: a run's configuration label, seed and record file (relative to DIR). */
export interface SweepEntry {
  label: string;
  seed: number;
  file: string;
}

/** The manifest's name in a sweep's directory. */
export const SWEEP_MANIFEST = 'sweep.json';

/** The files a sweep's report writes in its directory (besides the manifest and runs/). */
export const reportFiles = (): string[] => [
  'metrics.csv',
  'tables.md',
  ...METRICS.map(([key]) => `${key}.svg`),
];

/** Writes DIR/sweep.json listing `entries`: only records this sweep has written. */
export const writeSweepManifest = (out: string, entries: readonly SweepEntry[]): void =>
  writeJsonAtomic(path.join(out, SWEEP_MANIFEST), entries, 1);

const METRICS: [string, string, (r: RunRecord['generations'][number]) => number | null][] = [
  ['accuracy', 'factual accuracy', (g) => g.metrics.accuracy],
  ['fluency', 'fluency (share grammatical)', (g) => g.metrics.fluency],
  ['corpusEntropy', 'entropy of samples (nats)', (g) => g.metrics.corpusEntropy],
  ['realPerplexity', 'perplexity on real text', (g) => g.metrics.realPerplexity],
  ['tailAccuracy', 'accuracy on tail facts', (g) => g.metrics.accuracyByPopularity.tail],
];

export function writeSweepReport(out: string, runs: readonly SweepRun[]): void {
  const records = runs.map((r) => r.record);
  // combined CSV: the job's label and seed before each run's per-generation rows
  const lines: string[] = [];
  records.forEach((r, i) => {
    const [head, ...rows] = metricsToCsv(r).trimEnd().split('\n');
    if (i === 0) lines.push(`configuration,seed,status,${head}`);
    for (const row of rows) lines.push(`"${runs[i]!.label}",${runs[i]!.seed},${r.status},${row}`);
  });
  writeFileAtomic(path.join(out, 'metrics.csv'), lines.join('\n') + '\n');
  const labels = [...new Set(runs.map((j) => j.label))];
  for (const [key, title, get] of METRICS) {
    const series: Series[] = labels.map((label) => {
      const same = records.filter((_, i) => runs[i]!.label === label);
      const G = same.reduce((n, r) => Math.max(n, r.generations.length), -Infinity);
      const points = Array.from({ length: G }, (_, g) => {
        const vals = same
          .map((r) => r.generations[g])
          .filter((x) => x)
          .map((x) => get(x!))
          .filter((v): v is number => v !== null);
        return [g, vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null] as [
          number,
          number | null,
        ];
      });
      return { label, points };
    });
    writeFileAtomic(
      path.join(out, `${key}.svg`),
      lineChartSvg(series, { title, xLabel: 'generation', yLabel: key }),
    );
  }
  // one Markdown table per run, for docs
  const summary = records.map(
    (r, i) =>
      `## ${runs[i]!.label} (seed ${runs[i]!.seed}, ${r.status})\n\n${markdownTable(r.generations)}\n`,
  );
  writeFileAtomic(path.join(out, 'tables.md'), summary.join('\n'));
}

/** Read a sweep's manifest and records back (for --replot); a damaged file is a FileError naming it. */
export function readSweep(out: string): SweepRun[] {
  const file = path.join(out, SWEEP_MANIFEST);
  const manifest = readJsonFile(file, 'sweep manifest');
  const entry = (m: unknown): m is SweepEntry =>
    typeof m === 'object' &&
    m !== null &&
    typeof (m as SweepEntry).label === 'string' &&
    typeof (m as SweepEntry).seed === 'number' &&
    typeof (m as SweepEntry).file === 'string';
  if (!Array.isArray(manifest) || !manifest.every(entry))
    throw new FileError(
      `sweep manifest ${file} is not a list of {"label", "seed", "file"} entries; it was not written by npm run sweep`,
    );
  if (!manifest.length) throw new FileError(`sweep manifest ${file} lists no run: nothing to redraw`);
  return manifest.map((m) => ({
    label: m.label,
    seed: m.seed,
    record: readRecordFile(path.join(out, m.file)),
  }));
}
