import { defaultConfig } from './config.ts';

/** Keisha et al.'s three stages: A knowledge preserved, B knowledge collapsed (still fluent), C fluency collapsed. */
export type Stage = 'A' | 'B' | 'C';

/** What each stage means, for legends and tooltips. */
export const stageDescriptions: Readonly<Record<Stage, string>> = {
  A: 'Knowledge preservation: accuracy and fluency near generation 0.',
  B: 'Knowledge collapse: accuracy has fallen while fluency persists (fluent, confidently wrong).',
  C: 'Fluency collapse: output repetitive, off-format or gibberish.',
};

/** The two measurements a stage is judged on. */
export interface StagePoint {
  accuracy: number;
  fluency: number;
}

/** Stage thresholds; a Config satisfies this interface. */
export interface StageThresholds {
  /** B when accuracy < (1 − drop) × generation-0 accuracy. */
  stageBAccuracyDrop: number;
  /** C when fluency < this absolute floor. */
  stageCFluency: number;
  /** C when fluency < (1 − drop) × generation-0 fluency. */
  stageCFluencyDrop: number;
}

/**
 * Default thresholds, from the config defaults: B when accuracy falls below 0.7 × generation 0's
 * (a 30% relative drop); C when fluency falls below 0.5, or below 0.7 × generation 0's.
 */
export const defaultStageThresholds: StageThresholds = {
  stageBAccuracyDrop: defaultConfig.stageBAccuracyDrop,
  stageCFluency: defaultConfig.stageCFluency,
  stageCFluencyDrop: defaultConfig.stageCFluencyDrop,
};

// Guards the boundaries against rounding ((1 − 0.2) × 0.2 is 0.16000000000000003): a value equal to a
// threshold up to this tolerance does not cross it.
const TOLERANCE = 1e-9;

/**
 * Labels a generation: C when fluency collapsed (below the floor, or below (1 − drop) × generation 0's),
 * else B when accuracy fell below (1 − drop) × generation 0's, else A. Values exactly at a threshold
 * stay in the milder stage; NaN measurements never cross a threshold.
 */
export function labelStage(
  gen0: StagePoint,
  current: StagePoint,
  thresholds: StageThresholds = defaultStageThresholds,
): Stage {
  const below = (x: number, limit: number) => x < limit - TOLERANCE;
  const { stageBAccuracyDrop, stageCFluency, stageCFluencyDrop } = thresholds;
  if (below(current.fluency, stageCFluency) || below(current.fluency, (1 - stageCFluencyDrop) * gen0.fluency))
    return 'C';
  if (below(current.accuracy, (1 - stageBAccuracyDrop) * gen0.accuracy)) return 'B';
  return 'A';
}
