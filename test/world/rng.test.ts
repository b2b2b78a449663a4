import { describe, expect, it } from 'vitest';
import {
  Rng,
  cumulative,
  deriveRng,
  deriveSeed,
  hashString,
  seedToU32,
  zipfWeights,
} from '../../src/world/rng.ts';

const draws = (r: Rng, n: number) => Array.from({ length: n }, () => r.next());

describe('Rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    expect(draws(new Rng(42), 50)).toEqual(draws(new Rng(42), 50));
    expect(draws(new Rng(42), 50)).not.toEqual(draws(new Rng(43), 50));
    expect(draws(new Rng('abc'), 5)).toEqual(draws(new Rng('abc'), 5));
    expect(seedToU32('abc')).not.toBe(seedToU32('abd'));
    expect(seedToU32(2 ** 32 + 1)).not.toBe(seedToU32(1));
  });

  it('next() lies in [0,1) with mean ~0.5 and int(n) covers 0..n-1 evenly', () => {
    const r = new Rng(1);
    const xs = draws(r, 20000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(0.5, 1);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70000; i++) counts[r.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
  });

  it('normal() has mean 0 and variance 1', () => {
    const r = new Rng(5);
    const xs = Array.from({ length: 40000 }, () => r.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('shuffle permutes, pick picks members, weighted follows weights', () => {
    const r = new Rng(9);
    const arr = Array.from({ length: 20 }, (_, i) => i);
    const s = r.shuffle([...arr]);
    expect(s).not.toEqual(arr);
    expect([...s].sort((a, b) => a - b)).toEqual(arr);
    expect(['a', 'b', 'c']).toContain(r.pick(['a', 'b', 'c']));
    expect(() => r.pick([])).toThrow();
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[r.weighted([1, 2, 0])]!++;
    expect(counts[2]).toBe(0);
    expect(counts[1]! / counts[0]!).toBeGreaterThan(1.8);
    expect(counts[1]! / counts[0]!).toBeLessThan(2.2);
    expect(Array.from(cumulative([1, 2, 3]))).toEqual([1, 3, 6]);
    expect(zipfWeights(3, 1)).toEqual([1, 1 / 2, 1 / 3]);
  });

  it('child streams are independent of consumption and of each other', () => {
    const a = new Rng(7);
    const c1 = draws(a.child('corpus'), 10);
    draws(a, 100);
    expect(draws(a.child('corpus'), 10)).toEqual(c1);
    expect(draws(a.child('heldout'), 10)).not.toEqual(c1);
    expect(draws(deriveRng(7, 'corpus'), 10)).toEqual(c1);
    expect(deriveSeed(7, 'x')).not.toBe(deriveSeed(8, 'x'));
    expect(hashString('')).not.toBe(hashString('a'));
  });

  it('state() round-trips through fromState', () => {
    const r = new Rng(3);
    draws(r, 17);
    const copy = Rng.fromState(r.state());
    expect(draws(copy, 10)).toEqual(draws(r, 10));
  });
});
