// A run that diverged: a training step whose loss or gradient is not finite (placed in its generation),
// or a generation that finished with an exploded measure (see `explosion`). The message a user reads
// names the generation, what went wrong, and what to change.
import type { DivergenceError } from '../engine/types.ts';
import type { Config } from './config.ts';
import { MAX_PERPLEXITY } from './record.ts';

type Advised = Pick<Config, 'learningRate' | 'batchSize' | 'loss'>;

/** Any divergence: the run stops with this message as its error (status 'failed'). */
export class RunDiverged extends Error {
  override name = 'RunDiverged';
}

/** A divergence inside generation `generation`, at its training step `step` of `steps`. */
export class GenerationDiverged extends RunDiverged {
  override name = 'GenerationDiverged';
  constructor(
    readonly generation: number,
    readonly step: number,
    readonly steps: number,
    override readonly cause: DivergenceError,
    config: Advised,
  ) {
    super(divergenceMessage(generation, step, steps, cause, config));
  }
}

/** Generation `generation` finished training, but a measure of it exploded (see `explosion`). */
export class GenerationExploded extends RunDiverged {
  override name = 'GenerationExploded';
  constructor(
    readonly generation: number,
    readonly what: string,
    config: Advised,
  ) {
    super(
      `Generation ${generation} diverged: ${what}, so the run stopped there. Try ${advice(config)}. ${kept(generation)}`,
    );
  }
}

/**
 * What exploded in a GPT generation, or null when nothing did. Divergence is the optimiser blowing up, so
 * the bound is on the training loss, on the text the generation trained on: above 2 ln V (a uniform
 * guess scores ln V; the first step of a healthy run is about ln V, and later losses fall) or not finite.
 * Perplexity on real text is not bounded by V: a collapsed model that puts its mass on a few words can
 * score worse than a uniform guess on real text while training normally (a 200-generation `quick` run
 * passed V at generation 39), and that is the collapse being measured, not a divergence. It counts
 * only when it is not finite or past MAX_PERPLEXITY, which no run record may hold. Not applied to the
 * count n-gram model, whose unsmoothed perplexity is infinite by design.
 */
export function explosion(x: {
  /** exp(mean NLL) of held-out real text; NaN when there is no held-out text. */
  realPerplexity: number;
  heldOutDocuments: number;
  lastLoss: number | undefined;
  vocabSize: number;
}): string | null {
  const V = x.vocabSize;
  const show = (v: number) =>
    !Number.isFinite(v)
      ? String(v)
      : Math.abs(v) >= 1e6
        ? v.toExponential(2)
        : String(Number(v.toPrecision(4)));
  if (x.lastLoss !== undefined && !(x.lastLoss <= 2 * Math.log(V)))
    return `its last training loss was ${show(x.lastLoss)}, ${Number.isFinite(x.lastLoss) ? `above 2 ln V = ${(2 * Math.log(V)).toFixed(2)} (a uniform guess scores ln V = ${Math.log(V).toFixed(2)})` : 'not a number'}`;
  if (x.heldOutDocuments > 0 && !(x.realPerplexity <= MAX_PERPLEXITY))
    return `its perplexity on real text was ${show(x.realPerplexity)}, ${Number.isFinite(x.realPerplexity) ? `above ${MAX_PERPLEXITY.toExponential(0)}` : 'not a number'}`;
  return null;
}

const kept = (g: number) =>
  g === 0
    ? 'No generation had finished.'
    : g === 1
      ? 'Generation 0 is kept.'
      : `Generations 0–${g - 1} are kept.`;

/** What to change, from what the config allows: the same advice for every kind of divergence. */
function advice(config: Advised): string {
  const lower = Number((config.learningRate / 10).toPrecision(2));
  return [
    `a lower learningRate (it is ${config.learningRate}; try ${lower})`,
    config.batchSize < 256 ? `a larger batchSize (it is ${config.batchSize})` : null,
    config.loss === 'tce' ? 'loss=ce instead of tce' : null,
  ]
    .filter(Boolean)
    .join(', or ');
}

export function divergenceMessage(
  generation: number,
  step: number,
  steps: number,
  cause: Pick<DivergenceError, 'loss' | 'gradNorm'>,
  config: Advised,
): string {
  return (
    `Generation ${generation} diverged at training step ${step} of ${steps}: the loss was ${cause.loss} and ` +
    `the gradient norm ${cause.gradNorm}, so the run stopped there. Try ${advice(config)}. ${kept(generation)}`
  );
}
