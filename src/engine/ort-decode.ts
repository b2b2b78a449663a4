// Incremental decoding for the GPT engines: generate() with a key/value cache.
//
// Every unfinished row of a call advances in one batch per step: one chunk of rows, or a few when
// rows' windows slide at different steps (prompts of different lengths) or the caches would pass
// CACHE_BYTES. A step is one of two graph calls for each chunk:
// * a window pass (the sample graph) when a row has no cache yet or its window has slid (see
//   model/window.ts): it recomputes every row's window and returns the next tokens and the caches;
// * a decode step otherwise: one position per row, reading the caches; on WebGPU the graph writes
//   the new keys and values into them, on the CPU backends the decoder does, in place.
// Both compute each row exactly as sample() would on the row's whole context, and uniforms are
// drawn as sample() draws them (one per unfinished row per step, in prompt order), so a seed gives
// the same tokens on either path. When a chunk's unfinished rows fit a smaller power of two, its
// caches are compacted to it (a Gather graph). On WebGPU the caches stay in GPU buffers; only the
// drawn tokens and their log-probabilities are read back.
import type * as OrtCommon from 'onnxruntime-common';
import { cacheNames, FEED, OUTPUT } from '../model/io-names.ts';
import { cacheBytesPerRow, parameterCount, type ModelSpec } from '../model/spec.ts';
import { windowStart, windowStride } from '../model/window.ts';
import { drawRows, type HeadOutputs } from './draw.ts';
import { throwIfAborted, yieldThenCheck } from './stepping.ts';
import type { Contexts, GenerateOptions, GenerateResult } from './types.ts';
import type { SamplePlan } from './validate.ts';

type OrtTensor = OrtCommon.Tensor;
type Session = OrtCommon.InferenceSession;

/** What the decoder needs from its engine. */
export interface DecodeHost {
  readonly spec: ModelSpec;
  /** The window pass ('sample') or decode step ('step') session for B rows. */
  session(kind: 'sample' | 'step', B: number): Promise<Session>;
  /** The compaction session from Bin to Bout rows. */
  gatherSession(Bin: number, Bout: number): Promise<Session>;
  tensor(data: Float32Array | Int32Array, dims: readonly number[]): OrtTensor;
  scalar(v: number): OrtTensor;
  /** The parameter feeds of the sample and step graphs. */
  paramFeeds(): Record<string, OrtTensor>;
  /** The next uniform draw in [0, 1). */
  uniform(): number;
  /**
   * Whether decode steps write the caches themselves (GPU buffers) or return the new keys and
   * values for the decoder to write into the CPU caches in place.
   */
  readonly cachesInGraph: boolean;
}

/** The head outputs a draw needs (engine/draw.ts): no probabilities for a greedy one. */
export const headOutputs = (greedy: boolean): string[] =>
  greedy ? [OUTPUT.logp] : [OUTPUT.logp, OUTPUT.probs];

/** The outputs a draw needs, read back from a window or step pass. */
export async function readHead(
  out: OrtCommon.InferenceSession.ReturnType,
  greedy: boolean,
): Promise<HeadOutputs> {
  return {
    logp: (await out[OUTPUT.logp]!.getData()) as Float32Array,
    probs: greedy ? undefined : ((await out[OUTPUT.probs]!.getData()) as Float32Array),
  };
}

/** Most bytes one chunk's caches may take (all layers, keys and values). */
export const CACHE_BYTES = 64 << 20;

/**
 * Most multiply-adds one chunk's window pass may cost (rows × window × parameters): about a second on
 * single-threaded WASM on a loaded 2-core machine (small: 256 rows of 64 positions took 6.3 s at load 8).
 * The stop signal is checked between chunks, so Stop is honoured within about that.
 */
export const CHUNK_WORK = 2 ** 31;

/**
 * Largest power-of-two row count whose caches fit CACHE_BYTES and whose window pass fits CHUNK_WORK (at
 * least 1). Chunking never changes the tokens: every step's uniforms are drawn for all rows first.
 */
export function maxDecodeRows(spec: ModelSpec): number {
  const perRow = cacheBytesPerRow(spec);
  const work = spec.contextLength * parameterCount(spec);
  let rows = 1;
  while (rows * 2 * perRow <= CACHE_BYTES && rows * 2 * work <= CHUNK_WORK && rows < 4096) rows *= 2;
  return rows;
}

/**
 * Rows a chunk's sessions are built for: n rounded up to a multiple of an eighth of the power of
 * two at or below it (300 → 320, not 512): the first step's padding wastes at most an eighth.
 */
export function batchRows(n: number): number {
  const quantum = Math.max(1, 2 ** Math.floor(Math.log2(Math.max(1, n))) / 8);
  return Math.ceil(n / quantum) * quantum;
}

interface Chunk {
  /** Batch size of its sessions (batchRows). */
  B: number;
  /** The prompt index in each slot (length ≤ B; the rest is padding). */
  rows: number[];
  /** Window start each slot's cache was computed from. */
  starts: number[];
  /** One cache per layer, or null before the first window pass. */
  cache: OrtTensor[] | null;
}

const release = (cache: OrtTensor[] | null): void => {
  for (const t of cache ?? []) if (t.location === 'gpu-buffer') t.dispose();
};

/** generate() on a GPT engine; prompts and options already checked, called inside the engine's queue. */
export async function decode(
  host: DecodeHost,
  prompts: Contexts,
  o: GenerateOptions,
  plan: SamplePlan,
): Promise<GenerateResult> {
  const { spec } = host;
  const T = spec.contextLength;
  const docs = prompts.map((p) => Array.from(p));
  const tokens = prompts.map((): number[] => []);
  const logProb = prompts.map((): number[] => []);
  const done = new Array<boolean>(prompts.length).fill(false);
  const maxRows = maxDecodeRows(spec);
  // Rows whose windows slide at the same steps share a chunk, so a slide re-runs only them: those
  // with the same length modulo the stride, or all rows that never slide within this call.
  const S = windowStride(T);
  const groups = new Map<number, number[]>();
  docs.forEach((doc, i) => {
    const key = doc.length + o.maxNewTokens - 1 <= T ? -1 : doc.length % S;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  const chunks: Chunk[] = [];
  for (const group of groups.values())
    for (let k = 0; k < group.length; k += maxRows) {
      const rows = group.slice(k, k + maxRows);
      chunks.push({ B: batchRows(rows.length), rows, starts: [], cache: null });
    }
  const past = cacheNames(spec, 'past');
  const present = cacheNames(spec, 'present');
  const fresh = cacheNames(spec, 'fresh');
  const head = headOutputs(plan.greedy);
  const windowFetches = [...head, ...present];
  const stepFetches = [...head, ...(host.cachesInGraph ? present : fresh)];
  const [H, Dh] = [spec.heads, spec.dModel / spec.heads];
  const invTemperature = host.scalar(plan.invTemperature);
  let finished = 0;
  try {
    for (let step = 0; step < o.maxNewTokens && finished < prompts.length; step++) {
      // The last step's caches are never read: they are not fetched (a probe's one-token answer
      // costs one window pass and no cache copies).
      const final = step === o.maxNewTokens - 1;
      throwIfAborted(o.signal);
      const uniform = new Map<number, number>();
      for (let i = 0; i < prompts.length; i++) if (!done[i]) uniform.set(i, host.uniform());
      for (const chunk of chunks) {
        const live = chunk.rows.filter((i) => !done[i]);
        if (live.length === 0) continue;
        await yieldThenCheck(o.signal);
        const slid = (i: number, slot: number) => windowStart(docs[i]!.length, T) !== chunk.starts[slot];
        const windowPass = chunk.cache === null || chunk.rows.some((i, slot) => !done[i] && slid(i, slot));
        // Compact to the next power of two once the rows fit one below the batch: a chunk starts at
        // batchRows and then takes only powers of two, so a run builds few sessions.
        const B = 2 ** Math.ceil(Math.log2(live.length));
        if (B < chunk.B) {
          if (!windowPass) {
            const slots = live.map((i) => chunk.rows.indexOf(i));
            const gather = await host.gatherSession(chunk.B, B);
            const feeds: Record<string, OrtTensor> = {
              [FEED.rows]: host.tensor(
                Int32Array.from({ length: B }, (_, k) => slots[k] ?? 0),
                [B],
              ),
            };
            chunk.cache!.forEach((t, i) => (feeds[past[i]!] = t));
            const out = await gather.run(feeds);
            release(chunk.cache);
            chunk.cache = present.map((name) => out[name]!);
            chunk.starts = slots.map((s) => chunk.starts[s]!);
          }
          chunk.B = B;
          chunk.rows = live;
        }
        let out: OrtCommon.InferenceSession.ReturnType;
        if (windowPass) {
          const ids = new Int32Array(chunk.B * T);
          const last = new Int32Array(chunk.B);
          chunk.starts = chunk.rows.map((i, slot) => {
            const doc = docs[i]!;
            const start = windowStart(doc.length, T);
            ids.set(doc.slice(start), slot * T);
            last[slot] = doc.length - start - 1;
            return start;
          });
          const session = await host.session('sample', chunk.B);
          out = await session.run(
            {
              [FEED.ids]: host.tensor(ids, [chunk.B, T]),
              [FEED.last]: host.tensor(last, [chunk.B]),
              [FEED.invTemperature]: invTemperature,
              ...host.paramFeeds(),
            },
            final ? head : windowFetches,
          );
          release(chunk.cache);
          chunk.cache = final ? null : present.map((name) => out[name]!);
        } else {
          const ids = new Int32Array(chunk.B);
          const pos = new Int32Array(chunk.B);
          chunk.rows.forEach((i, slot) => {
            const doc = docs[i]!;
            ids[slot] = doc.at(-1)!;
            pos[slot] = doc.length - 1 - chunk.starts[slot]!;
          });
          const feeds: Record<string, OrtTensor> = {
            [FEED.ids]: host.tensor(ids, [chunk.B]),
            [FEED.pos]: host.tensor(pos, [chunk.B]),
            [FEED.invTemperature]: invTemperature,
            ...host.paramFeeds(),
          };
          chunk.cache!.forEach((t, i) => (feeds[past[i]!] = t));
          const session = await host.session('step', chunk.B);
          out = await session.run(feeds, final ? head : stepFetches);
          // after the final step the caches are released with the rest (finally below)
          if (!final && host.cachesInGraph) {
            release(chunk.cache);
            chunk.cache = present.map((name) => out[name]!);
          } else if (!final) {
            // Write each row's new key and value into slot pos of its CPU cache.
            for (const [c, name] of fresh.entries()) {
              const cache = chunk.cache![c]!.data as Float32Array;
              const row = out[name]!.data as Float32Array;
              for (let slot = 0; slot < chunk.rows.length; slot++)
                for (let h = 0; h < H; h++) {
                  const from = (slot * H + h) * Dh;
                  cache.set(row.subarray(from, from + Dh), ((slot * H + h) * T + pos[slot]!) * Dh);
                }
            }
          }
        }
        const drawn = await readHead(out, plan.greedy);
        const rows = chunk.rows;
        const { tokens: tok, logProb: lp } = drawRows(
          drawn,
          spec.vocabSize,
          rows.length,
          plan,
          (slot) => uniform.get(rows[slot]!) ?? 0,
        );
        chunk.rows.forEach((i, slot) => {
          if (done[i]) return;
          docs[i]!.push(tok[slot]!);
          tokens[i]!.push(tok[slot]!);
          logProb[i]!.push(lp[slot]!);
          if (tok[slot] === o.eos) {
            done[i] = true;
            finished++;
          }
        });
      }
      o.onStep?.(finished, prompts.length);
    }
  } finally {
    for (const chunk of chunks) release(chunk.cache);
  }
  return { tokens, logProb };
}
