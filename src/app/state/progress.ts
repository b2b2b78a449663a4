// How far a run has got and how long it has left, from the generations finished so far and the
// current phase's counts. Pure functions, so they can be tested without a worker or a clock.
import type { Config } from '../../sim/config.ts';
import type { GenerationRecord } from '../../sim/record.ts';
import type { Phase } from '../../sim/simulation.ts';

/** The latest progress event of the current generation. */
export interface PhaseProgress {
  generation: number;
  phase: Phase;
  done: number;
  total: number;
}

type Timings = GenerationRecord['timings'];

const duration = (t: Timings): number => t.trainMs + t.sampleMs + t.evalMs;

/** Share of a generation's time each phase takes, from the latest finished one (else a typical split). */
function phaseShares(done: readonly { timings: Timings }[]): Record<Phase, number> {
  const t = done.at(-1)?.timings;
  const total = t ? duration(t) : 0;
  if (!t || total <= 0) return { train: 0.75, sample: 0.2, evaluate: 0.05 };
  return { train: t.trainMs / total, sample: t.sampleMs / total, evaluate: t.evalMs / total };
}

/** Fraction [0, 1] of the current generation that is done. */
export function generationFraction(
  phase: PhaseProgress | null,
  done: readonly { timings: Timings }[],
): number {
  if (!phase) return 0;
  const s = phaseShares(done);
  const within = phase.total > 0 ? Math.min(1, phase.done / phase.total) : 0;
  const before = phase.phase === 'train' ? 0 : phase.phase === 'sample' ? s.train : s.train + s.sample;
  return Math.min(1, before + s[phase.phase] * within);
}

/** Fraction [0, 1] of the whole run (generations + 1 of them, generation 0 included) that is done. */
export function runFraction(
  config: Pick<Config, 'generations'>,
  done: readonly { timings: Timings }[],
  phase: PhaseProgress | null,
): number {
  const all = config.generations + 1;
  const current = phase && phase.generation === done.length ? generationFraction(phase, done) : 0;
  return Math.min(1, (done.length + current) / all);
}

/** Mean wall time of finished generations: generation 0 (longer: it pre-trains) and the later ones. */
export function timePerGeneration(done: readonly { timings: Timings }[]): {
  first: number | null;
  later: number | null;
} {
  const later = done.slice(1).map((g) => duration(g.timings));
  return {
    first: done[0] ? duration(done[0].timings) : null,
    later: later.length ? later.reduce((a, b) => a + b, 0) / later.length : null,
  };
}

/**
 * Milliseconds left in the run, or null while there is too little to go on. The current generation
 * is extrapolated from its own progress; later generations take the mean of finished later ones, or
 * generation 0's time with its training scaled by how much less data a later generation trains on.
 */
export function remainingMs(
  config: Pick<Config, 'generations' | 'epochs' | 'gen0Epochs' | 'documentsPerGeneration' | 'realDocuments'>,
  done: readonly { timings: Timings }[],
  phase: PhaseProgress | null,
  elapsedInGeneration: number,
): number | null {
  const left = config.generations + 1 - done.length;
  if (left <= 0) return 0;
  const f = phase && phase.generation === done.length ? generationFraction(phase, done) : 0;
  const current = f >= 0.02 ? (elapsedInGeneration * (1 - f)) / f : null;
  const { first, later } = timePerGeneration(done);
  let perLater = later;
  if (perLater === null) {
    const gen0 = first ?? (current === null ? null : elapsedInGeneration + current);
    if (gen0 === null) return null;
    const train = first !== null && done[0] ? done[0].timings.trainMs / gen0 : 0.75;
    const ratio =
      (config.epochs * config.documentsPerGeneration) / (config.gen0Epochs * config.realDocuments);
    perLater = gen0 * (train * ratio + (1 - train));
  }
  const currentLeft = current ?? Math.max(0, perLater - elapsedInGeneration);
  return currentLeft + (left - 1) * perLater;
}

/** A duration for people: "45 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
