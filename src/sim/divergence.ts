// A run that diverged: a training step whose loss or gradient is not finite (placed in its generation),
// or a generation that finished with an exploded measure (see `explosion`). The message a user reads
// names the generation, what went wrong, and what to change.
import type { DivergenceError } from '../engine/ort-engine.ts';
import type { Config } from './config.ts';

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
 * What exploded in a GPT generation, or null when nothing did. The bounds: perplexity on real text
 * above the vocabulary size V (worse than a model that guesses every word uniformly, which scores
 * exactly V), or a last training loss above 2 ln V (the uniform guess's loss is ln V), or either not
 * finite. Healthy runs stay far inside: the recorded runs and every reproduction's records
 * (docs/results/runs) peak at a real-text perplexity of 13 with V ≈ 450, and the first step's loss
 * is ln V ≈ 6.1; learningRate=1 reaches 1e16 at generation 0. Not applied to the count n-gram model,
 * whose unsmoothed perplexity is infinite by design.
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
  if (x.heldOutDocuments > 0 && !(x.realPerplexity <= V))
    return `its perplexity on real text was ${show(x.realPerplexity)}, ${Number.isFinite(x.realPerplexity) ? `above the vocabulary size ${V} (a uniform guess scores ${V})` : 'not a number'}`;
  if (x.lastLoss !== undefined && !(x.lastLoss <= 2 * Math.log(V)))
    return `its last training loss was ${show(x.lastLoss)}, ${Number.isFinite(x.lastLoss) ? `above 2 ln V = ${(2 * Math.log(V)).toFixed(2)} (a uniform guess scores ln V = ${Math.log(V).toFixed(2)})` : 'not a number'}`;
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
