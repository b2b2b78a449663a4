import { describe, expect, it } from 'vitest';
import {
  accuracy,
  accuracyBy,
  confidentlyWrongRate,
  distinctN,
  ece,
  entropyOfWeights,
  geometricEdges,
  giniSimpson,
  histogram,
  l2Distance,
  mean,
  perplexity,
  std,
  supportSize,
  typeTokenRatio,
  unigramEntropy,
} from '../../src/sim/metrics.ts';

describe('diversity metrics', () => {
  // tokens: a a b c  → p = (1/2, 1/4, 1/4)
  const toks = [1, 1, 2, 3];
  it('unigram entropy', () => {
    // H = 1/2 ln 2 + 2 · 1/4 ln 4 = 1.5 ln 2
    expect(unigramEntropy(toks)).toBeCloseTo(1.5 * Math.LN2, 12);
    expect(unigramEntropy([5, 5, 5])).toBe(0);
    expect(unigramEntropy(Int32Array.from([0, 1]))).toBeCloseTo(Math.LN2, 12);
    expect(unigramEntropy([])).toBeNaN();
    expect(entropyOfWeights([2, 0, 2])).toBeCloseTo(Math.LN2, 12);
  });
  it('Gini-Simpson', () => {
    // 1 − (1/4 + 1/16 + 1/16) = 5/8
    expect(giniSimpson(toks)).toBeCloseTo(0.625, 12);
    expect(giniSimpson([7])).toBe(0);
    expect(giniSimpson([])).toBeNaN();
  });
  it('support size and type-token ratio', () => {
    expect(supportSize(toks)).toBe(3);
    expect(supportSize([])).toBe(0);
    expect(typeTokenRatio(toks)).toBe(0.75);
    expect(typeTokenRatio([])).toBeNaN();
  });
  it('distinct-n counts n-grams within documents only', () => {
    const docs = [
      [1, 2, 1, 2],
      [1, 2, 3],
    ];
    // unigrams: 7 total; distinct {1,2,3} = 3
    expect(distinctN(docs, 1)).toBeCloseTo(3 / 7, 12);
    // bigrams: (1,2)(2,1)(1,2) | (1,2)(2,3) → 5 total, distinct {12,21,23} = 3
    expect(distinctN(docs, 2)).toBeCloseTo(3 / 5, 12);
    // no bigram spans the boundary between two one-token documents
    expect(distinctN([[1], [2]], 2)).toBeNaN();
    // keys are not confused by digit concatenation: (1,12) vs (11,2)
    expect(distinctN([[1, 12, 11, 2]], 2)).toBe(1);
    expect(() => distinctN(docs, 0)).toThrow(/n must be/);
  });
});

describe('statistics', () => {
  it('mean and std', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([])).toBeNaN();
    // population variance of 1..4 = 1.25; sample variance = 5/3
    expect(std([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(std([1, 2, 3, 4], 1)).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(std([3], 1)).toBeNaN();
  });
  it('perplexity', () => {
    expect(perplexity(0)).toBe(1);
    expect(perplexity(Math.log(20))).toBeCloseTo(20, 10);
  });
  it('histogram with half-open bins and closed last bin', () => {
    const edges = [0, 1, 2, 4];
    expect(histogram([0, 0.5, 1, 1.99, 2, 3.5, 4, -1, 5, NaN], edges)).toEqual([2, 2, 3]);
    expect(histogram([-1, 5], edges, true)).toEqual([1, 0, 1]);
    expect(() => histogram([1], [0])).toThrow();
    expect(() => histogram([1], [0, 0])).toThrow();
  });
  it('geometric edges', () => {
    const e = geometricEdges(1, 1000, 3);
    expect(e).toHaveLength(4);
    expect(e[0]).toBe(1);
    expect(e[1]).toBeCloseTo(10, 10);
    expect(e[2]).toBeCloseTo(100, 10);
    expect(e[3]).toBe(1000);
  });
});

describe('calibration and accuracy', () => {
  it('ECE by hand', () => {
    // bins of width 0.5: [0, .5) holds .2 (wrong), .4 (right); [.5, 1] holds .9 (right), 1.0 (right), .6 (wrong)
    // bin 1: acc 1/2, conf .3 → |.5 − .3| = .2, weight 2/5
    // bin 2: acc 2/3, conf 2.5/3 → |2/3 − 2.5/3| = 1/6, weight 3/5
    const conf = [0.2, 0.4, 0.9, 1.0, 0.6];
    const ok = [false, true, true, true, false];
    expect(ece(conf, ok, 2)).toBeCloseTo((2 / 5) * 0.2 + (3 / 5) * (1 / 6), 12);
    // perfectly calibrated in one bin
    expect(ece([0.5, 0.5], [true, false], 10)).toBeCloseTo(0, 12);
    // always confident and always wrong
    expect(ece([1, 1], [false, false])).toBe(1);
    expect(ece([], [])).toBeNaN();
    expect(() => ece([0.5], [])).toThrow();
  });
  it('confidently wrong rate', () => {
    expect(confidentlyWrongRate([0.9, 0.5, 0.4, 0.95], [false, false, false, true], 0.5)).toBe(0.5);
  });
  it('accuracy by group', () => {
    const items = [
      { f: 'qa', correct: true },
      { f: 'qa', correct: false },
      { f: 'cloze', correct: true },
    ];
    expect(accuracy(items)).toBeCloseTo(2 / 3, 12);
    expect(accuracy([])).toBeNaN();
    expect(accuracyBy(items, (i) => i.f)).toEqual({ qa: 0.5, cloze: 1 });
  });
  it('L2 distance between checkpoints', () => {
    const a = { w: Float32Array.from([1, 2]), b: Float32Array.from([0]) };
    const b = { w: Float32Array.from([4, 6]), b: Float32Array.from([0]) };
    expect(l2Distance(a, b)).toBe(5);
    expect(l2Distance(a, a)).toBe(0);
    expect(() => l2Distance(a, { w: a.w })).toThrow(/missing/);
    expect(() => l2Distance({ w: a.w }, a)).toThrow(/only in the second/);
    expect(() => l2Distance(a, { w: Float32Array.from([1]), b: a.b })).toThrow(/vs/);
  });
});
