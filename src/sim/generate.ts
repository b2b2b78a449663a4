// Writing synthetic documents: each prompt is continued token by token by the model until it
// emits <eos> or reaches the length limit. All unfinished documents advance together, one token
// position at a time, in engine.sample calls of a bounded size (sampleChunk).
import type { Engine, SampleOptions } from '../engine/types.ts';
import { parameterCount, type ModelSpec } from '../model/spec.ts';

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
 * How many documents one engine.sample call advances. A generation may write 200,000 documents: in
 * one call that is minutes of work that no Stop can cut (single-threaded WASM never returns to the
 * worker's message queue inside a call). A call costs about rows × window × parameters multiply-adds;
 * SAMPLE_WORK of them took about a second on single-threaded WASM on a loaded 2-core machine (small:
 * 256 rows of 64 positions in 6.3 s at load 8). Rows are a power of two up to 256, the engines'
 * largest sample batch, so each call is one graph run on a batch the engines already use, and rows
 * meet the engine's PRNG in the same order as in one big call.
 */
export const SAMPLE_WORK = 2 ** 31;

/** Rows per sample call for `spec` (1 to 256, a power of two). */
export function sampleChunk(spec: ModelSpec): number {
  const perRow = spec.contextLength * parameterCount(spec);
  let rows = 256;
  while (rows > 1 && rows * perRow > SAMPLE_WORK) rows /= 2;
  return rows;
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
  const chunk = sampleChunk(engine.spec);
  o.onProgress?.(docs.length - active.length, docs.length);
  for (let step = 0; step < o.maxNewTokens && active.length > 0; step++) {
    for (let start = 0; start < active.length; start += chunk) {
      if (o.signal?.aborted) return docs;
      const rows = active.slice(start, start + chunk);
      const { tokens } = await engine.sample(
        rows.map((i) => docs[i]!),
        sampling,
      );
      rows.forEach((i, j) => docs[i]!.push(tokens[j]!));
    }
    active = active.filter((i) => docs[i]!.at(-1) !== o.eos);
    o.onProgress?.(docs.length - active.length, docs.length);
  }
  return docs;
}
