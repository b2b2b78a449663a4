import { describe, expect, it } from 'vitest';
import {
  batches,
  composeTrainingSet,
  packWindows,
  scoringBatches,
  syntheticNeeded,
  type TrainingDocument,
} from '../../src/sim/data.ts';
import { Rng } from '../../src/world/rng.ts';

const docs = (
  n: number,
  provenance: 'real' | 'synthetic',
  generation: number,
  tag: number,
): TrainingDocument[] =>
  Array.from({ length: n }, (_, i) => ({ ids: [1, tag, i, 2], provenance, generation }));

const base = {
  syntheticFraction: 0.25,
  documentsPerGeneration: 40,
  anchor: docs(100, 'real', 0, 10),
  allReal: docs(100, 'real', 0, 10),
  freshReal: docs(30, 'real', 3, 11),
  newSynthetic: docs(10, 'synthetic', 2, 12),
  pastSynthetic: [...docs(40, 'synthetic', 0, 13), ...docs(40, 'synthetic', 1, 14)],
};
const count = (set: TrainingDocument[], p: string, g?: number) =>
  set.filter((d) => d.provenance === p && (g === undefined || d.generation === g)).length;

describe('data modes: composition and provenance of a generation’s training set', () => {
  it('replace: the fixed real anchor slice plus fresh synthetic at fraction α', () => {
    const set = composeTrainingSet({ ...base, mode: 'replace' }, new Rng(1));
    expect(set.length).toBe(40);
    expect(count(set, 'real')).toBe(30);
    expect(count(set, 'synthetic', 2)).toBe(10);
    expect(set.slice(0, 30)).toEqual(base.anchor.slice(0, 30)); // the same anchor every generation
    expect(syntheticNeeded('replace', 0.25, 40)).toBe(10);
  });
  it('fresh: new real documents of this generation plus synthetic', () => {
    const set = composeTrainingSet({ ...base, mode: 'fresh' }, new Rng(1));
    expect(count(set, 'real', 3)).toBe(30);
    expect(count(set, 'real', 0)).toBe(0);
    expect(count(set, 'synthetic')).toBe(10);
  });
  it('accumulate: all real plus every generation’s synthetic', () => {
    const set = composeTrainingSet({ ...base, mode: 'accumulate' }, new Rng(1));
    expect(set.length).toBe(100 + 80 + 10);
    expect([count(set, 'synthetic', 0), count(set, 'synthetic', 1), count(set, 'synthetic', 2)]).toEqual([
      40, 40, 10,
    ]);
    expect(syntheticNeeded('accumulate', 0.25, 40)).toBe(40);
  });
  it('accumulate-subsample: the accumulated pool subsampled to the fixed budget', () => {
    const a = composeTrainingSet({ ...base, mode: 'accumulate-subsample' }, new Rng(1));
    const b = composeTrainingSet({ ...base, mode: 'accumulate-subsample' }, new Rng(1));
    expect(a.length).toBe(40);
    expect(a).toEqual(b);
    expect(new Set(a.map((d) => d.ids.join())).size).toBe(40); // no document twice
    expect(count(a, 'real') + count(a, 'synthetic')).toBe(40);
    expect(count(a, 'real')).toBeGreaterThan(5); // a shuffled mix, not one source
    expect(count(a, 'synthetic')).toBeGreaterThan(5);
  });
});

describe('packing and batching', () => {
  it('packs documents into T+1 windows and batches them, padding the last batch with ignored targets', () => {
    const d = [{ ids: [1, 5, 6, 2] }, { ids: [1, 7, 8, 9, 2] }, { ids: [1, 4, 2] }]; // 12 tokens
    const w = packWindows(d, 3);
    expect(w.map((x) => Array.from(x))).toEqual([
      [1, 5, 6, 2],
      [1, 7, 8, 9],
      [2, 1, 4, 2],
    ]);
    const bs = [...batches(w, 2, 3)];
    expect(bs).toHaveLength(2);
    expect(Array.from(bs[0]!.inputs)).toEqual([1, 5, 6, 1, 7, 8]);
    expect(Array.from(bs[0]!.targets)).toEqual([5, 6, 2, 7, 8, 9]);
    expect(Array.from(bs[1]!.targets)).toEqual([1, 4, 2, -1, -1, -1]);
  });
  it('scoring rows cover every token after the first exactly once', () => {
    const d = [
      [1, 5, 6, 7, 8, 2],
      [1, 9, 2],
    ];
    const s = scoringBatches(d, 2, 3);
    const targets = s.batches.flatMap((b) => Array.from(b.targets));
    expect(targets).toEqual([5, 6, 7, 8, 2, -1, 9, 2, -1, -1, -1, -1]);
    expect(s.rowDocument).toEqual([
      [0, 0],
      [1, -1],
    ]);
    expect(Array.from(s.batches[0]!.inputs)).toEqual([1, 5, 6, 7, 8, 2]); // row 2 starts at its first target's predecessor
  });
});
