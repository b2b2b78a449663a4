// Recorded runs shipped with the site (public/runs/): the embed replays them instantly, and the lab can
// open them. They are made by `npm run record-runs` (src/cli/record-runs.ts) with the same simulation
// code as every other run; this module says which runs to record and how a record is trimmed for the web.
import type { RunRecord } from './record.ts';

/** One run to record: a preset, the settings changed from it, and what to call it. */
export interface RecordedRunSpec {
  /** File stem in public/runs/ and the value of `?embed=` that replays it. */
  id: string;
  title: string;
  /** One or two sentences for the embed's caption. */
  description: string;
  preset: string;
  /** "key=value" overrides on top of the preset. */
  set: string[];
  /** A second recorded run drawn beside this one, for contrast. */
  compareWith?: string;
}

/** What public/runs/index.json lists for each recorded run. */
export interface RecordedRunEntry extends RecordedRunSpec {
  file: string;
  generations: number;
  /** The command that produced the file. */
  command: string;
  /** Git commit of the code that produced it. */
  commit: string;
  createdAt: string;
}

/** The index of public/runs/. */
export interface RecordedRunIndex {
  runs: RecordedRunEntry[];
}

/** The runs the site ships, the embed's default first. */
export const recordedRunSpecs: RecordedRunSpec[] = [
  {
    id: 'collapse',
    title: 'Fully synthetic loop (α = 1)',
    description:
      'Each generation of a tiny GPT trains only on text its previous generation wrote. Accuracy falls while the text stays fluent: knowledge collapse (stage B); in this seed (3) the fluency goes too, later (stage C). Of five seeds, two reach stage C within 15 generations.',
    preset: 'default',
    // Seed 3: of the five seeds docs/default-run.md shows, the one that passes through all three stages.
    set: ['seed=3'],
    compareWith: 'anchored',
  },
  {
    id: 'anchored',
    title: 'A fixed real anchor (α = 0.25)',
    description:
      'The same loop with a fixed real anchor: only a quarter of each generation’s training text is synthetic.',
    preset: 'default',
    set: ['syntheticFraction=0.25', 'seed=3'],
    compareWith: 'collapse',
  },
  {
    id: 'quick',
    title: 'Quick demo (nano GPT)',
    description:
      'A nano GPT on a small world for three generations: the preset the lab trains in half a minute.',
    preset: 'quick',
    set: [],
  },
  {
    id: 'ngram',
    title: 'Count model drift (unigram)',
    description:
      'A unigram model refit on its own samples: diversity drifts down as the closed forms predict, and rare words vanish.',
    preset: 'ngram',
    set: [],
  },
];

/** Facts whose probe answers a recorded run keeps (every format): enough for the probe table. */
export const RECORDED_PROBE_FACTS = 8;

/**
 * The record trimmed for the web: probe answers only for the first `probeFacts` facts that generation 0
 * was asked about (every format, every generation); everything else — metrics, losses, rank-frequency,
 * histograms, samples — is kept as the simulation wrote it.
 */
export function trimRecord(record: RunRecord, probeFacts = RECORDED_PROBE_FACTS): RunRecord {
  const facts = new Set<string>();
  for (const p of record.generations[0]?.probes ?? []) {
    if (facts.size >= probeFacts && !facts.has(p.factId)) break;
    facts.add(p.factId);
  }
  return {
    ...record,
    generations: record.generations.map((g) => ({
      ...g,
      probes: g.probes.filter((p) => facts.has(p.factId)),
    })),
  };
}
