// Writing synthetic documents: each prompt is continued token by token by the model until it
// emits <eos> or reaches the length limit. The unfinished documents advance together in engine.generate
// calls (incremental decoding where the engine has it), as many in one call as their key/value caches
// allow (WRITE_CACHE_BYTES), so that writing 200,000 documents holds a bounded amount of memory.
import type { Engine, SampleOptions } from '../engine/types.ts';
import { cacheBytesPerRow, type EngineSpec } from '../model/spec.ts';

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

/** Most bytes the key/value caches of one generate call may take (every row, layer, key and value). */
export const WRITE_CACHE_BYTES = 256 << 20;

/** Documents one generate call writes for `spec`: all of them for a model without caches. */
export function writeBlock(spec: EngineSpec): number {
  const perRow = cacheBytesPerRow(spec);
  return perRow > 0 ? Math.max(1, Math.floor(WRITE_CACHE_BYTES / perRow)) : Infinity;
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
  o.onProgress?.(finished, docs.length);
  const block = writeBlock(engine.spec);
  let written = finished;
  for (let start = 0; start < open.length; start += block) {
    const rows = open.slice(start, start + block);
    const { tokens } = await engine.generate(
      rows.map((i) => docs[i]!),
      {
        maxNewTokens: o.maxNewTokens,
        eos: o.eos,
        temperature: o.temperature,
        topK: o.topK,
        topP: o.topP,
        greedy: o.greedy,
        onStep: (done) => o.onProgress?.(written + done, docs.length),
        signal: o.signal,
      },
    );
    rows.forEach((i, j) => {
      for (const t of tokens[j]!) docs[i]!.push(t);
    });
    written += rows.length;
  }
  return docs;
}
