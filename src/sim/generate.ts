// Writing synthetic documents: each prompt is continued token by token by the model until it
// emits <eos> or reaches the length limit. All unfinished documents advance together in one
// engine.generate call (incremental decoding where the engine has it).
import type { Engine, SampleOptions } from '../engine/types.ts';

export interface GenerateOptions extends SampleOptions {
  /** Most tokens to add to each prompt. */
  maxNewTokens: number;
  /** The end-of-document token. */
  eos: number;
  /** Called before the first position with (0, total), then after each position with (documents finished, total). */
  onProgress?: (done: number, total: number) => void;
  /** Cancels the writing between token positions; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Continue every prompt; returns prompt + continuation (ending in eos unless cut at the limit). */
export async function generateDocuments(
  engine: Engine,
  prompts: readonly (readonly number[])[],
  o: GenerateOptions,
): Promise<number[][]> {
  const docs = prompts.map((p) => [...p]);
  // A prompt that already ends the document is written as it is.
  const open = docs.map((_, i) => i).filter((i) => docs[i]!.at(-1) !== o.eos);
  const finished = docs.length - open.length;
  if (open.length === 0) return docs;
  const { tokens } = await engine.generate(
    open.map((i) => docs[i]!),
    {
      maxNewTokens: o.maxNewTokens,
      eos: o.eos,
      temperature: o.temperature,
      topK: o.topK,
      topP: o.topP,
      greedy: o.greedy,
      onStep: (done) => o.onProgress?.(finished + done, docs.length),
      signal: o.signal,
    },
  );
  open.forEach((i, j) => {
    for (const t of tokens[j]!) docs[i]!.push(t);
  });
  return docs;
}
