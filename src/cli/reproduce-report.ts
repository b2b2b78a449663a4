// What `npm run reproduce` leaves behind: DIR/RESULTS.md (a table of every finding, then one section
// each with its comparisons and SVG figures) and DIR/results/ (manifest.json, the run records, the
// figures, verdicts.json: each finding's row of the table, for the lab's gallery). Hand-written
// interpretation ("our reading"), where there is some, is read from DIR/results/notes.json:
// { "finding-id": "text" }; the table shows it where a finding does not hold.
import fs from 'node:fs';
import path from 'node:path';
import { lineChartSvg, type Series } from '../charts/svg-line-chart.ts';
import { formatSummary, meanSeries, VERDICT_RULE, type Comparison } from '../findings/stats.ts';
import {
  findingById,
  scaleRationale,
  type Finding,
  type FindingOutcome,
  type RecordedVerdicts,
} from '../findings/findings.ts';
import { configToOverrides, resolveConfig } from '../sim/presets.ts';
import type { RunRecord } from '../sim/record.ts';
import { writeFileAtomic, writeJsonAtomic } from './atomic-write.ts';
import { FileError, readJsonFile } from './input-files.ts';
import { readRecordFile } from './record-files.ts';

/** One `npm run reproduce` invocation: what it ran and how long it took. */
export interface Invocation {
  command: string;
  commit: string;
  startedAt: string;
  wallSeconds: number;
  /** Runs it ran (the others were reused from earlier invocations by --resume). */
  ran?: number;
}

/** What was run, where it is, and how long it took. */
export interface Manifest extends Invocation {
  /** Earlier invocations whose records this one reused (--resume), oldest first. */
  earlier?: Invocation[];
  scale: 'full' | 'fast';
  seeds: number;
  workers: number;
  machine: string;
  /** Each finding's arms and their records' files (relative to DIR/results/), one per seed. */
  findings: { id: string; arms: { id: string; files: string[] }[] }[];
}

/** The manifest's name in DIR/results/. */
export const RESULTS_MANIFEST = 'manifest.json';

/** DIR/results/manifest.json read back; a damaged or foreign file is a FileError naming it. */
export function readManifest(dir: string): Manifest {
  const file = path.join(dir, RESULTS_MANIFEST);
  const m = readJsonFile(file, 'manifest') as Partial<Manifest> | null;
  const valid =
    typeof m === 'object' &&
    m !== null &&
    typeof m.command === 'string' &&
    (m.scale === 'full' || m.scale === 'fast') &&
    Array.isArray(m.findings) &&
    m.findings.every(
      (f) =>
        typeof f?.id === 'string' &&
        Array.isArray(f.arms) &&
        f.arms.every(
          (a) =>
            typeof a?.id === 'string' &&
            Array.isArray(a.files) &&
            a.files.every((x: unknown) => typeof x === 'string'),
        ),
    );
  if (!valid)
    throw new FileError(
      `manifest ${file} is not a reproduction manifest (command, scale, findings with arms and files)`,
    );
  return m as Manifest;
}

/** The manifest and every record it names. */
export function readResults(dir: string): { manifest: Manifest; runs: Map<string, RunRecord> } {
  const manifest = readManifest(dir);
  const runs = new Map<string, RunRecord>();
  for (const f of manifest.findings)
    for (const a of f.arms)
      for (const file of a.files) if (!runs.has(file)) runs.set(file, readRecordFile(path.join(dir, file)));
  return { manifest, runs };
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
const VERDICT_MARK = { holds: '**holds**', 'does not hold': '**does not hold**', mixed: '**mixed**' };

/** The finding's papers, each a link. */
const citation = (f: Finding) => f.papers.map((p) => `[${p.cite}](${p.url})`).join('; ');

function comparisonLine(c: Comparison): string {
  const e = c.effect;
  const spread = `${formatSummary(e, 3, true)} (mean ± sd over ${e.n} seeds; standard error ${e.se.toFixed(3)})`;
  return c.kind === 'closed-form'
    ? `- ${c.label}: residual ${spread}; allowed ±${c.margin.toFixed(4)} (3 standard errors) → ${c.verdict}`
    : `- ${c.label}: ${spread}; paper's direction in ${c.wins} of ${e.n} seeds; margin ${c.margin} → ${c.verdict}`;
}

/** Histogram of generation-0-scored perplexity, pooled over seeds: generation 0 and the last, per arm. */
function histogramSvg(f: Finding, runs: Record<string, RunRecord[]>): string {
  const series: Series[] = f.arms.flatMap((a) =>
    (['first', 'last'] as const).flatMap((which) => {
      const hs = (runs[a.id] ?? []).flatMap((r) => {
        const g = which === 'first' ? r.generations[0] : r.generations.at(-1);
        return g ? [{ g: g.generation, h: g.metrics.gen0Perplexity.histogram }] : [];
      });
      if (!hs.length) return [];
      const { edges } = hs[0]!.h;
      const counts = edges.slice(0, -1).map((_, i) => hs.reduce((s, x) => s + (x.h.counts[i] ?? 0), 0));
      const total = counts.reduce((x, y) => x + y, 0) || 1;
      const mid = (i: number) => (Math.log10(edges[i]!) + Math.log10(edges[i + 1]!)) / 2;
      return [
        {
          label: `${a.label}, generation ${which === 'first' ? 0 : hs[0]!.g}`,
          points: counts.map((c, i) => [Number(mid(i).toFixed(3)), c / total] as [number, number]),
          dashed: which === 'first',
        },
      ];
    }),
  );
  // Arms that share generation 0 (same seeds, same first model) draw its histogram once.
  const seen = new Set<string>();
  const unique = series.filter((x) => {
    if (!x.dashed) return true;
    const key = JSON.stringify(x.points);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length < series.length)
    for (const x of unique)
      if (x.dashed) x.label = x.label.replace(/^.*, generation 0$/, 'generation 0 (shared)');
  return lineChartSvg(unique, {
    title: 'samples’ perplexity under generation 0 (pooled over seeds)',
    xLabel: 'log₁₀ perplexity under generation 0',
    yLabel: 'share of samples',
  });
}

function figures(dir: string, f: Finding, runs: Record<string, RunRecord[]>): string[] {
  const files: string[] = [];
  for (const chart of f.charts) {
    const series: Series[] = f.arms.flatMap((a) => {
      const rs = runs[a.id] ?? [];
      const measured: Series = { label: a.label, points: meanSeries(rs, chart.get) };
      return chart.analytic
        ? [
            measured,
            { label: `${a.label}: closed form`, points: meanSeries(rs, chart.analytic), dashed: true },
          ]
        : [measured];
    });
    const file = `${f.id}-${chart.key}.svg`;
    const title = `${chart.title}, mean over seeds`;
    writeFileAtomic(
      path.join(dir, file),
      lineChartSvg(series, { title, xLabel: 'generation', yLabel: chart.key }),
    );
    files.push(file);
  }
  if (f.histogram) {
    const file = `${f.id}-gen0-perplexity-histogram.svg`;
    writeFileAtomic(path.join(dir, file), histogramSvg(f, runs));
    files.push(file);
  }
  return files;
}

/** The arm's settings beyond the finding's base, as key=value. */
function armSettings(f: Finding, armId: string, scale: 'full' | 'fast'): string {
  const base = resolveConfig(f.preset, f.scales[scale]);
  const armCfg = resolveConfig(f.preset, {
    ...f.scales[scale],
    ...f.arms.find((a) => a.id === armId)!.settings,
  });
  if (!base.ok || !armCfg.ok) return '';
  return configToOverrides(armCfg.config, base.config).join(' ');
}

export function writeResults(
  out: string,
  manifest: Manifest,
  runs: ReadonlyMap<string, RunRecord>,
  opts: { redrawnAt?: string } = {},
): void {
  const dir = path.join(out, 'results');
  fs.mkdirSync(dir, { recursive: true });
  writeJsonAtomic(path.join(dir, RESULTS_MANIFEST), manifest, 1);
  const notesFile = path.join(dir, 'notes.json');
  const notes = fs.existsSync(notesFile) ? (readJsonFile(notesFile, 'notes') as Record<string, string>) : {};
  const evaluated: {
    f: Finding;
    o: FindingOutcome;
    reason: string;
    figs: string[];
    runs: Record<string, RunRecord[]>;
  }[] = [];
  for (const m of manifest.findings) {
    const f = findingById(m.id);
    if (!f) continue;
    const armRuns = Object.fromEntries(m.arms.map((a) => [a.id, a.files.map((file) => runs.get(file)!)]));
    const o = f.evaluate(armRuns);
    const reason = o.verdict === 'holds' ? '' : (notes[f.id] ?? o.reason ?? '');
    evaluated.push({ f, o, reason, figs: figures(dir, f, armRuns), runs: armRuns });
  }
  const verdicts: RecordedVerdicts = {
    scale: manifest.scale,
    seeds: manifest.seeds,
    findings: Object.fromEntries(
      evaluated.map(({ f, o, reason }) => [f.id, { verdict: o.verdict, measured: o.measured, reason }]),
    ),
  };
  writeJsonAtomic(path.join(dir, 'verdicts.json'), verdicts, 1);
  const rel = path.basename(dir);
  const gpt = manifest.findings.find((m) => findingById(m.id)?.preset === 'default');
  const base = gpt ? findingById(gpt.id)!.scales[manifest.scale] : undefined;
  const lines = [
    '# Reproducing the literature',
    '',
    [...(manifest.earlier ?? []), manifest]
      .map(
        (x, i) =>
          `${i ? 'Then by' : 'Generated by'} \`${x.command}\` at commit \`${x.commit}\`, started ${x.startedAt}; ` +
          `wall time ${(x.wallSeconds / 60).toFixed(1)} min (${x.wallSeconds} s)` +
          (x.ran !== undefined && (manifest.earlier ?? []).length ? `, ${x.ran} runs` : '') +
          (i ? ', reusing the earlier records of identical configs.' : '.'),
      )
      .join(' ') +
      ` ${manifest.workers} worker threads on ${manifest.machine}, shared with other work.` +
      (opts.redrawnAt
        ? ` Page redrawn from the saved records by \`npm run reproduce -- --replot\` at commit \`${opts.redrawnAt}\`.`
        : ''),
    '',
    ...(notes._run ? [notes._run, ''] : []),
    `Scale: **${manifest.scale}**, ${manifest.seeds} seeds per arm (the n-gram finding: at least 10).` +
      (base
        ? ` GPT findings start from the default preset with ${Object.entries(base)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(', ')}.`
        : ''),
    '',
    scaleRationale[manifest.scale],
    '',
    `Each finding compares arms that differ in one lever, paired by seed. Verdict: ${VERDICT_RULE} ` +
      'The closed-form finding holds when the mean residual is within 3 standard errors of 0. ' +
      `The run records (per-probe answers left out) are in \`${rel}/runs/\`, listed by \`${rel}/manifest.json\`.`,
    '',
    '| finding | what the paper reports | what we measured (mean ± sd over seeds) | holds here? | when not, why |',
    '|---|---|---|---|---|',
    ...evaluated.map(
      ({ f, o, reason }) =>
        `| [${cell(f.title)}](#${f.id}) (${cell(citation(f))}) | ${cell(f.reports)} | ${cell(o.measured)} | ${VERDICT_MARK[o.verdict]} | ${cell(reason)} |`,
    ),
    '',
  ];
  for (const { f, o, figs, runs: armRuns } of evaluated) {
    for (const line of [
      `## ${f.title}`,
      '',
      `<a id="${f.id}"></a>\`${f.id}\` — ${citation(f)}. **${o.verdict}**.`,
      '',
      `Paper: ${f.reports}`,
      '',
      `Decided by: ${f.metric}.`,
      '',
      'Arms: ' +
        f.arms
          .map((a) => {
            const set = armSettings(f, a.id, manifest.scale);
            return `${a.label} (${set ? `\`${set}\`` : 'the base settings'}, ${armRuns[a.id]?.length ?? 0} seeds)`;
          })
          .join('; ') +
        '.',
      '',
      `Measured: ${o.measured}`,
      '',
      ...o.comparisons.map(comparisonLine),
      ...(o.details.length ? ['', ...o.details.map((d) => `- ${d}`)] : []),
      ...(o.reason ? ['', `What the numbers show: ${o.reason}.`] : []),
      ...(notes[f.id] ? ['', `Our reading: ${notes[f.id]}`] : []),
      '',
      ...figs.map((file) => `![${file}](${rel}/${file})`),
      '',
    ])
      lines.push(line);
  }
  writeFileAtomic(path.join(out, 'RESULTS.md'), lines.join('\n'));
}
