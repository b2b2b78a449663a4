// Checks of a config against its setup, made before any engine starts (the lab and the CLI both create
// every run through Simulation.create): a config under which a generation would train zero steps is
// refused. Training packs a generation's documents into one token stream cut into windows of T + 1
// tokens (src/sim/data.ts, packWindows); a stream shorter than one window gives no window, so no step.
import type { Config } from './config.ts';
import { realNeeded, syntheticNeeded, type TrainingDocument } from './data.ts';
import type { RunSetup } from './setup.ts';

/** A config refused before the run: the message names the setting to change. */
export class ConfigRefused extends Error {
  override name = 'ConfigRefused';
}

const tokens = (docs: readonly TrainingDocument[]) => docs.reduce((n, d) => n + d.ids.length, 0);
const round = (x: number) => Math.round(x).toLocaleString('en');

/**
 * Why a generation of this run would train zero steps, or null. Generation 0's text is known exactly:
 * refused below one window. A later generation's synthetic documents are not written yet: a model
 * imitating the real documents writes documents about as long as they are (capped by the prompt and
 * maxNewTokens), so its expected text is estimated from them; refused below two windows (one step
 * per epoch at most, and zero once collapse shortens the documents: `documentsPerGeneration=1` on the
 * quick preset trained 2 steps in generation 1 and none in generation 2).
 */
export function zeroStepProblem(
  c: Config,
  s: Pick<RunSetup, 'real' | 'domainReal' | 'spec' | 'corpus'>,
): string | null {
  const window = s.spec.contextLength + 1;
  const gen0 = tokens(s.real);
  if (gen0 < window)
    return (
      `Generation 0 would train zero steps: the real corpus holds ${round(gen0)} tokens, fewer than one training ` +
      `window of ${window} tokens. ${s.corpus ? 'Use a longer corpus' : `Raise realDocuments (it is ${c.realDocuments})`}.`
    );
  if (c.generations < 1 || c.dataMode === 'accumulate') return null; // accumulate keeps all real text
  const source = c.domainSpecific ? s.domainReal : s.real;
  const lengths = source.map((d) => d.ids.length);
  const meanReal = lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length);
  const maxReal = lengths.reduce((a, b) => Math.max(a, b), 0);
  const prompt = c.promptSource === 'unconditional' ? 1 : Math.min(c.promptTokens, maxReal);
  const maxSynthetic = prompt + c.maxNewTokens;
  const meanSynthetic = Math.min(maxSynthetic, Math.max(prompt, meanReal));
  const n = c.documentsPerGeneration;
  let most: number;
  let likely: number;
  if (c.dataMode === 'accumulate-subsample') {
    most = n * Math.max(maxReal, maxSynthetic);
    likely = n * Math.min(meanReal, meanSynthetic);
  } else {
    const real = realNeeded(c.syntheticFraction, n);
    const synthetic = syntheticNeeded(c.dataMode, c.syntheticFraction, n);
    // replace: the first documents of the fixed real anchor; fresh: new real documents like them.
    const realTokens = c.dataMode === 'replace' ? tokens(source.slice(0, real)) : real * meanReal;
    most = (c.dataMode === 'replace' ? realTokens : real * maxReal) + synthetic * maxSynthetic;
    likely = realTokens + synthetic * meanSynthetic;
  }
  // Two windows of expected text: with less, a generation trains one step per epoch at best, and none
  // as soon as its model's documents come out shorter than the real ones (collapse shortens them).
  if (likely >= 2 * window) return null;
  const perDocument = Math.max(1, likely / n);
  const docs = `${n} training document${n === 1 ? '' : 's'} (documentsPerGeneration=${n})`;
  const raise = `Raise documentsPerGeneration to at least ${Math.ceil((2 * window) / perDocument)}.`;
  if (most < window)
    return `Generation 1 would train zero steps: its ${docs} hold${n === 1 ? 's' : ''} at most ${round(most)} tokens, fewer than one training window of ${window} tokens. ${raise}`;
  return (
    `Generation 1 would train ${likely < window ? 'zero steps' : 'one step per epoch at most'}: its ${docs} hold${n === 1 ? 's' : ''} about ` +
    `${round(likely)} tokens, ${likely < window ? 'fewer than one' : 'less than two'} training windows of ${window} tokens` +
    `${likely < window ? '' : ', and zero once its model writes shorter documents'}. ${raise}`
  );
}
