// Writing synthetic documents: each prompt is continued token by token by the model until it
// emits <eos> or reaches the length limit. All unfinished documents advance together, one
// engine.sample call per token position.
import type { Engine, SampleOptions } from '../engine/types.ts';

export interface GenerateOptions extends SampleOptions {
  /** Most tokens to add to each prompt. */
  maxNewTokens: number;
  /** The end-of-document token. */
  eos: number;
  /** Called after each token position with (documents finished, total). */
  onProgress?: (done: number, total: number) => void;
  /** Checked between positions; returning true abandons the work. */
  shouldStop?: () => boolean;
}

/** Continue every prompt; returns prompt + continuation (ending in eos unless cut at the limit). */
export async function generateDocuments(
  engine: Engine,
  prompts: readonly (readonly number[])[],
  o: GenerateOptions,
): Promise<number[][]> {
  const docs = prompts.map((p) => [...p]);
  let active = docs.map((_, i) => i).filter((i) => docs[i]!.at(-1) !== o.eos);
  const sampling: SampleOptions = {
    temperature: o.temperature,
    topK: o.topK,
    topP: o.topP,
    greedy: o.greedy,
  };
  for (let step = 0; step < o.maxNewTokens && active.length > 0; step++) {
    if (o.shouldStop?.()) break;
    const { tokens } = await engine.sample(
      active.map((i) => docs[i]!),
      sampling,
    );
    active.forEach((i, j) => docs[i]!.push(tokens[j]!));
    active = active.filter((i) => docs[i]!.at(-1) !== o.eos);
    o.onProgress?.(docs.length - active.length, docs.length);
  }
  return docs;
}
