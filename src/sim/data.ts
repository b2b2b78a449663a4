// Training data for one generation: which documents it trains on (by data mode), and how they
// become fixed-size token windows for the engine.
import { IGNORE_TARGET, type TokenBatch } from '../engine/types.ts';
import type { Rng } from '../world/rng.ts';

/** Where a training document came from. */
export type Provenance = 'real' | 'synthetic';

/** A tokenised document ([bos, …, eos]) with its origin. */
export interface TrainingDocument {
  ids: number[];
  provenance: Provenance;
  /** Generation whose model wrote it (real documents: the generation that drew them, 0 for the corpus). */
  generation: number;
}

export type DataMode = 'replace' | 'accumulate' | 'accumulate-subsample' | 'fresh';

export interface MixInput {
  mode: DataMode;
  /** Synthetic fraction α of a generation's training set (replace, fresh). */
  syntheticFraction: number;
  /** Size of a generation's training set (replace, fresh, accumulate-subsample). */
  documentsPerGeneration: number;
  /** The fixed real anchor (replace) — the first (1 − α)·n of it is used. */
  anchor: readonly TrainingDocument[];
  /** All real documents (accumulate). */
  allReal: readonly TrainingDocument[];
  /** This generation's fresh real documents (fresh mode). */
  freshReal: readonly TrainingDocument[];
  /** Synthetic documents written by the previous generation's model. */
  newSynthetic: readonly TrainingDocument[];
  /** Synthetic documents of all earlier generations (accumulate modes). */
  pastSynthetic: readonly TrainingDocument[];
}

/** How many synthetic documents a generation needs from the previous model. */
export function syntheticNeeded(mode: DataMode, alpha: number, n: number): number {
  if (mode === 'accumulate' || mode === 'accumulate-subsample') return n;
  return Math.round(alpha * n);
}

/** How many real documents a generation's set holds in replace and fresh modes. */
export const realNeeded = (alpha: number, n: number): number => n - Math.round(alpha * n);

/** The training set of one generation (g ≥ 1) under the data mode. */
export function composeTrainingSet(m: MixInput, rng: Rng): TrainingDocument[] {
  const n = m.documentsPerGeneration;
  switch (m.mode) {
    case 'replace':
      return [...m.anchor.slice(0, realNeeded(m.syntheticFraction, n)), ...m.newSynthetic];
    case 'fresh':
      return [...m.freshReal.slice(0, realNeeded(m.syntheticFraction, n)), ...m.newSynthetic];
    case 'accumulate':
      return [...m.allReal, ...m.pastSynthetic, ...m.newSynthetic];
    case 'accumulate-subsample': {
      const pool = [...m.allReal, ...m.pastSynthetic, ...m.newSynthetic];
      return rng.shuffle(pool).slice(0, n);
    }
  }
}

/**
 * Pack documents (in the given order) into one token stream and cut it into windows of T + 1
 * tokens: inputs are the first T, targets the last T. The tail that does not fill a window is
 * dropped. Returns windows of length T + 1.
 */
export function packWindows(docs: readonly { ids: readonly number[] }[], T: number): Int32Array[] {
  const stream: number[] = [];
  for (const d of docs) for (const id of d.ids) stream.push(id);
  const windows: Int32Array[] = [];
  for (let start = 0; start + T + 1 <= stream.length; start += T + 1)
    windows.push(Int32Array.from(stream.slice(start, start + T + 1)));
  return windows;
}

/** Batches of B windows; the last batch is padded with rows whose targets are ignored. */
export function* batches(windows: readonly Int32Array[], B: number, T: number): Generator<TokenBatch> {
  for (let i = 0; i < windows.length; i += B) {
    const inputs = new Int32Array(B * T);
    const targets = new Int32Array(B * T).fill(IGNORE_TARGET);
    for (let r = 0; r < B && i + r < windows.length; r++) {
      const w = windows[i + r]!;
      inputs.set(w.subarray(0, T), r * T);
      targets.set(w.subarray(1, T + 1), r * T);
    }
    yield { inputs, targets, batchSize: B };
  }
}

/** Rows for scoring documents, and which document each row belongs to. */
export interface ScoringBatches {
  batches: TokenBatch[];
  /** rowDocument[b][r] = index of the document row r of batch b scores (−1 for padding rows). */
  rowDocument: number[][];
}

/**
 * Rows that score every token of every document after its first: a document of n tokens becomes
 * ⌈(n − 1) / T⌉ rows, row j predicting tokens jT + 1 … jT + T from the T before them (so a
 * row's context starts at its own first token). Targets past the end are ignored.
 */
export function scoringBatches(docs: readonly (readonly number[])[], B: number, T: number): ScoringBatches {
  const rows: { doc: number; ids: readonly number[] }[] = [];
  docs.forEach((d, doc) => {
    for (let s = 0; s + 1 < d.length; s += T) rows.push({ doc, ids: d.slice(s, s + T + 1) });
  });
  const batches: TokenBatch[] = [];
  const rowDocument: number[][] = [];
  for (let i = 0; i < rows.length; i += B) {
    const inputs = new Int32Array(B * T);
    const targets = new Int32Array(B * T).fill(IGNORE_TARGET);
    const owners: number[] = [];
    for (let r = 0; r < B; r++) {
      const row = rows[i + r];
      owners.push(row ? row.doc : -1);
      if (!row) continue;
      inputs.set(row.ids.slice(0, T), r * T);
      targets.set(row.ids.slice(1), r * T);
    }
    batches.push({ inputs, targets, batchSize: B });
    rowDocument.push(owners);
  }
  return { batches, rowDocument };
}
