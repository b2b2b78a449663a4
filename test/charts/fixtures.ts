// Hand-made run records with known values for the chart tests, and the real records produced by
// `npm run simulate` (samples and probes dropped, numbers rounded to 5 digits) in fixtures/.
import type { GenerationMetrics, GenerationRecord, RunRecord } from '../../src/sim/record.ts';
import type { Stage } from '../../src/sim/stages.ts';
import { cumulative, Rng } from '../../src/world/rng.ts';
import defaultRun from './fixtures/default-6.json' with { type: 'json' };
import ngramAlpha1 from './fixtures/ngram-alpha1.json' with { type: 'json' };
import ngramAlpha025 from './fixtures/ngram-alpha025.json' with { type: 'json' };
import quickRun from './fixtures/quick-4.json' with { type: 'json' };

/** `--preset default` (tiny GPT, α = 1), the first 6 of 12 generations: stages A A A C C C. */
export const DEFAULT_RUN = defaultRun as unknown as RunRecord;
/** `--preset ngram` (α = 1), 51 generations, closed forms included. */
export const NGRAM_ALPHA_1 = ngramAlpha1 as unknown as RunRecord;
/** `--preset ngram --set syntheticFraction=0.25`. */
export const NGRAM_ALPHA_025 = ngramAlpha025 as unknown as RunRecord;
/** `--preset quick`: 4 generations with per-step losses. */
export const QUICK_RUN = quickRun as unknown as RunRecord;

/** Perplexity histogram edges like the simulation's: geometric, 1 … 1000, 24 bins. */
export const EDGES = Array.from({ length: 25 }, (_, i) => 10 ** (i / 8));

/** A generation whose metrics are all `fill` except those given. */
export function generation(
  g: number,
  stage: Stage,
  metrics: Partial<GenerationMetrics> = {},
  extra: Partial<GenerationRecord> = {},
): GenerationRecord {
  const base: GenerationMetrics = {
    accuracy: 0.5,
    accuracyByFormat: { declarative: 0.5, qa: 0.5, instruction: 0.5 },
    accuracyByPopularity: { head: 0.8, torso: 0.5, tail: 0.2 },
    answerConfidence: 0.6,
    confidentlyWrongRate: 0.1,
    ece: 0.1,
    realPerplexity: 10,
    modelEntropy: 2,
    sampleEntropy: 3,
    corpusEntropy: 4,
    distinct1: 0.1,
    distinct2: 0.3,
    typeTokenRatio: 0.1,
    giniSimpson: 0.9,
    supportSize: 100,
    fluency: 0.9,
    hallucinationRate: 0.2,
    gen0Perplexity: { mean: 5, histogram: { edges: EDGES, counts: EDGES.slice(1).map(() => 0) } },
    weightDistance: null,
  };
  return {
    generation: g,
    stage,
    metrics: { ...base, ...metrics },
    losses: [],
    samples: [],
    probes: [],
    timings: { trainMs: 0, sampleMs: 0, evalMs: 0 },
    ...extra,
  };
}

/**
 * Eight generations, stages A A A B B B C C: accuracy falls 0.8, 0.7, …, 0.1 (0.8 − 0.1 g), fluency is
 * not measured at generation 4 (a gap), and the tail's accuracy is measured only at generation 6
 * between two gaps (an isolated point).
 */
export const STAGED: GenerationRecord[] = (['A', 'A', 'A', 'B', 'B', 'B', 'C', 'C'] as const).map((s, g) =>
  generation(g, s, {
    accuracy: Math.round((0.8 - 0.1 * g) * 10) / 10,
    accuracyByFormat: { declarative: 0.9 - 0.1 * g, qa: 0.7 - 0.05 * g, instruction: 0.6 },
    accuracyByPopularity: { head: 0.9, torso: 0.6 - 0.05 * g, tail: g === 6 ? 0.05 : null },
    fluency: g === 4 ? null : 0.95 - 0.05 * g,
    gen0Perplexity: {
      mean: 4 + g,
      histogram: {
        edges: EDGES,
        counts: EDGES.slice(1).map((_, i) => (i === 8 + g ? 30 : i === 9 + g ? 10 : 0)),
      },
    },
  }),
);

/**
 * Rank–frequency data until the simulation records it: a Zipf(1.07) corpus of `tokens` tokens over
 * `vocabulary` word types, then resampled from its own counts each generation (what a count model
 * trained on its own output does to its unigrams, Wright–Fisher drift), so the tail vanishes.
 */
export function driftingRankFrequency(
  generations: number,
  vocabulary = 3000,
  tokens = 30_000,
  seed = 7,
): { generation: number; frequencies: number[] }[] {
  const rng = new Rng(seed);
  const sample = (weights: readonly number[]) => {
    const cum = cumulative(weights);
    const counts = new Array<number>(weights.length).fill(0);
    for (let i = 0; i < tokens; i++) counts[rng.sampleCumulative(cum)]! += 1;
    return counts;
  };
  let counts = sample(Array.from({ length: vocabulary }, (_, r) => (r + 1) ** -1.07));
  const out: { generation: number; frequencies: number[] }[] = [];
  for (let g = 0; g < generations; g++) {
    if (g > 0) counts = sample(counts);
    out.push({ generation: g, frequencies: counts.filter((c) => c > 0).sort((a, b) => b - a) });
  }
  return out;
}
