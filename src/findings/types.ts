// The shape of a finding (src/findings/findings.ts): a base config and arms that differ in one lever, the
// metrics drawn per arm, and the pure evaluation of the arms' run records.
import type { Config } from '../sim/config.ts';
import type { Comparison, MetricGetter, Verdict } from './stats.ts';
import type { PresetName } from '../sim/presets.ts';
import type { GenerationRecord, RunRecord } from '../sim/record.ts';

/** One arm of a comparison: the settings that differ from the finding's base. */
export interface FindingArm {
  id: string;
  label: string;
  settings: Partial<Config>;
}

/** A metric drawn per arm (mean over seeds) on the results page and in the gallery. */
export interface FindingChart {
  key: string;
  title: string;
  get: MetricGetter;
  /** A closed-form prediction drawn dashed beside the measurement (it may read the whole run). */
  analytic?: (g: GenerationRecord, run: RunRecord) => number | null;
}

/** What the evaluation of a finding says. */
export interface FindingOutcome {
  verdict: Verdict;
  /** What we measured, one or two sentences with mean ± sd over seeds. */
  measured: string;
  /** The comparisons the verdict combines (each with its per-seed effect, margin and verdict). */
  comparisons: Comparison[];
  /** When the finding does not hold or is mixed: what the numbers show (mechanical, from the data). */
  reason?: string;
  /** Further lines for the page (stages, formats, histograms). */
  details: string[];
}

/** The arms' runs, by arm id; several seeds each. */
export type ArmRuns = Readonly<Record<string, readonly RunRecord[]>>;

/** A paper a finding cites: how the page cites it, and where to read it. */
export interface Paper {
  /** e.g. 'Keisha et al. 2025, arXiv 2509.04796'. */
  cite: string;
  /** The paper's own page (arXiv abstract or DOI). */
  url: string;
}

export interface Finding {
  id: string;
  title: string;
  papers: readonly Paper[];
  /** What the paper reports, with its figures (../shared/SCIENCE.md). */
  reports: string;
  /** The metric(s) that decide it. */
  metric: string;
  preset: PresetName;
  /** The base settings at each scale (arms' settings go on top). */
  scales: Record<FindingScale, Partial<Config>>;
  arms: FindingArm[];
  /** At least this many seeds, whatever the run asks (cheap models). */
  minSeeds?: number;
  charts: FindingChart[];
  /** Draw the samples' perplexity under generation 0 as histograms (generation 0 and the last). */
  histogram?: boolean;
  evaluate(runs: ArmRuns): FindingOutcome;
}

/** Full: the committed results page. Fast: reduced runs for tests and a quick look. */
export type FindingScale = 'full' | 'fast';

/** One finding as docs/RESULTS.md reports it: its row of the table. */
export interface RecordedVerdict {
  verdict: Verdict;
  /** What we measured (mean ± sd over seeds). */
  measured: string;
  /** Why it does not hold or is mixed, as the table's last column says; '' when it holds. */
  reason: string;
}

/**
 * docs/results/verdicts.json: the verdicts of docs/RESULTS.md, written with it by `npm run reproduce` from
 * the same evaluation, for the lab's findings gallery.
 */
export interface RecordedVerdicts {
  scale: FindingScale;
  /** Seeds per arm (some findings run more: Finding.minSeeds). */
  seeds: number;
  findings: Record<string, RecordedVerdict>;
}
