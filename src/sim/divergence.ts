// A training step whose loss or gradient is not finite, placed in its generation: the message a user
// reads names the generation, the step within it, and what to change.
import { DivergenceError } from '../engine/ort-engine.ts';
import type { Config } from './config.ts';

/** A divergence inside generation `generation`, at its training step `step` of `steps`. */
export class GenerationDiverged extends Error {
  override name = 'GenerationDiverged';
  constructor(
    readonly generation: number,
    readonly step: number,
    readonly steps: number,
    override readonly cause: DivergenceError,
    config: Pick<Config, 'learningRate' | 'batchSize' | 'loss'>,
  ) {
    super(divergenceMessage(generation, step, steps, cause, config));
  }
}

const kept = (g: number) =>
  g === 0
    ? 'No generation had finished.'
    : g === 1
      ? 'Generation 0 is kept.'
      : `Generations 0–${g - 1} are kept.`;

export function divergenceMessage(
  generation: number,
  step: number,
  steps: number,
  cause: Pick<DivergenceError, 'loss' | 'gradNorm'>,
  config: Pick<Config, 'learningRate' | 'batchSize' | 'loss'>,
): string {
  const lower = Number((config.learningRate / 10).toPrecision(2));
  const tries = [
    `a lower learningRate (it is ${config.learningRate}; try ${lower})`,
    config.batchSize < 256 ? `a larger batchSize (it is ${config.batchSize})` : null,
    config.loss === 'tce' ? 'loss=ce instead of tce' : null,
  ].filter(Boolean);
  return (
    `Generation ${generation} diverged at training step ${step} of ${steps}: the loss was ${cause.loss} and ` +
    `the gradient norm ${cause.gradNorm}, so the run stopped there. Try ${tries.join(', or ')}. ${kept(generation)}`
  );
}
