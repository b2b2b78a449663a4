// generate() as one sample() call per step: the n-gram engine's generate, and the reference the
// incremental (key/value cached) decoding of the GPT engines is tested against.
import type { Contexts, GenerateOptions, GenerateResult, SampleOptions, SampleResult } from './types.ts';

/** Stop if the caller's signal has fired (its reason, or an AbortError). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('generation aborted', 'AbortError');
}

/**
 * Lets the thread's event loop run (a macrotask, without setTimeout's 4 ms clamp), then stops if the
 * signal has fired. A stop request arrives as a message to a worker: WASM inference resolves its
 * promises without ever returning to the event loop, so without this a long loop of engine calls never
 * sees it.
 */
export async function yieldThenCheck(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await new Promise<void>((resolve) => {
    if (typeof MessageChannel === 'undefined') return void setTimeout(resolve, 0);
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
  throwIfAborted(signal);
}

/**
 * Continue every prompt with `sample` called once per step on the unfinished rows, in prompt order.
 * Options must already be checked.
 */
export async function generateByStepping(
  sample: (contexts: Contexts, options: SampleOptions) => Promise<SampleResult>,
  prompts: Contexts,
  o: GenerateOptions,
): Promise<GenerateResult> {
  const docs = prompts.map((p) => Array.from(p));
  const tokens = prompts.map((): number[] => []);
  const logProb = prompts.map((): number[] => []);
  const sampling: SampleOptions = {
    temperature: o.temperature,
    topK: o.topK,
    topP: o.topP,
    greedy: o.greedy,
  };
  let active = docs.map((_, i) => i);
  for (let step = 0; step < o.maxNewTokens && active.length > 0; step++) {
    throwIfAborted(o.signal);
    const r = await sample(
      active.map((i) => docs[i]!),
      sampling,
    );
    active.forEach((i, j) => {
      docs[i]!.push(r.tokens[j]!);
      tokens[i]!.push(r.tokens[j]!);
      logProb[i]!.push(r.logProb[j]!);
    });
    active = active.filter((i) => tokens[i]!.at(-1) !== o.eos);
    o.onStep?.(docs.length - active.length, docs.length);
  }
  return { tokens, logProb };
}
