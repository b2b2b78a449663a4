// Writing synthetic documents: each prompt is continued token by token by the model until it
// emits <eos> or reaches the length limit. All unfinished documents advance together, one token
// position at a time, in engine.sample calls of at most SAMPLE_CHUNK documents.
import type { Engine, SampleOptions } from '../engine/types.ts';

export interface GenerateOptions extends SampleOptions {
  /** Most tokens to add to each prompt. */
  maxNewTokens: number;
  /** The end-of-document token. */
  eos: number;
  /** Called before the first position with (0, total), then after each position with (documents finished, total). */
  onProgress?: (done: number, total: number) => void;
  /** Checked between engine calls; once aborted, the documents are returned as they stand. */
  signal?: AbortSignal;
}

/**
 * Most documents one engine.sample call advances. A generation may write 200,000 documents; in one
 * call that is minutes of work that no Stop can cut (single-threaded WASM never returns to the
 * worker's message queue inside a call). 256 is the engines' largest sample batch, so each call is
 * one graph run, and the rows meet the engine's PRNG in the same order as one big call: the tokens
 * are the same.
 */
export const SAMPLE_CHUNK = 256;

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
  o.onProgress?.(docs.length - active.length, docs.length);
  for (let step = 0; step < o.maxNewTokens && active.length > 0; step++) {
    for (let start = 0; start < active.length; start += SAMPLE_CHUNK) {
      if (o.signal?.aborted) return docs;
      const chunk = active.slice(start, start + SAMPLE_CHUNK);
      const { tokens } = await engine.sample(
        chunk.map((i) => docs[i]!),
        sampling,
      );
      chunk.forEach((i, j) => docs[i]!.push(tokens[j]!));
    }
    active = active.filter((i) => docs[i]!.at(-1) !== o.eos);
    o.onProgress?.(docs.length - active.length, docs.length);
  }
  return docs;
}
