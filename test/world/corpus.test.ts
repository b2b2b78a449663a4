import { describe, expect, it } from 'vitest';
import {
  heldOutDocuments,
  meanDocumentLength,
  realDocuments,
  trainingDocuments,
  type Document,
} from '../../src/world/corpus.ts';
import { renderFact } from '../../src/world/formats.ts';
import { Rng } from '../../src/world/rng.ts';
import { ENTITY_KINDS } from '../../src/world/schema.ts';
import { createWorld, type World } from '../../src/world/world.ts';

/** Fact mentions per entity rank, within one kind. */
function mentionsByRank(world: World, docs: Document[], kind: string): number[] {
  const counts = new Array<number>(world.options.counts[kind as 'country']).fill(0);
  for (const d of docs) {
    for (const id of d.factIds) {
      const e = world.entities[world.facts[id]!.entityId]!;
      if (e.kind === kind) counts[e.rank - 1]!++;
    }
  }
  return counts;
}

/** Least-squares slope of log(count) against log(rank). */
function logLogSlope(counts: number[]): number {
  const pts = counts
    .map((c, i) => [Math.log(i + 1), Math.log(c)] as const)
    .filter(([, y]) => Number.isFinite(y));
  const mx = pts.reduce((a, [x]) => a + x, 0) / pts.length;
  const my = pts.reduce((a, [, y]) => a + y, 0) / pts.length;
  const num = pts.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = pts.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return num / den;
}

describe('real documents', () => {
  const world = createWorld();
  const docs = trainingDocuments(world, { count: 3000 });

  it('are deterministic per stream and differ between training and held-out', () => {
    expect(trainingDocuments(world, { count: 50 })).toEqual(docs.slice(0, 50));
    const held = heldOutDocuments(world, { count: 50 });
    expect(heldOutDocuments(world, { count: 50 })).toEqual(held);
    expect(held.map((d) => d.words.join(' '))).not.toEqual(docs.slice(0, 50).map((d) => d.words.join(' ')));
    const other = trainingDocuments(createWorld({ seed: 2 }), { count: 50 });
    expect(other.map((d) => d.words.join(' '))).not.toEqual(docs.slice(0, 50).map((d) => d.words.join(' ')));
  });

  it('are short, end every sentence with "." and carry exact provenance', () => {
    for (const d of docs) {
      expect(d.words.length).toBeLessThanOrEqual(60);
      expect(d.sentences.length).toBeGreaterThanOrEqual(1);
      expect(d.sentences.length).toBeLessThanOrEqual(6);
      expect(d.words.at(-1)).toBe('.');
      let pos = 0;
      const factIds: number[] = [];
      for (const s of d.sentences) {
        expect(s.start).toBe(pos);
        pos = s.end;
        const words = d.words.slice(s.start, s.end);
        if (s.kind === 'fact') {
          factIds.push(s.factId!);
          expect(words).toEqual(renderFact(world.facts[s.factId!]!, s.format!));
        } else {
          expect(words.length).toBeGreaterThanOrEqual(5);
          expect(words.length).toBeLessThanOrEqual(12);
        }
      }
      expect(pos).toBe(d.words.length);
      expect(d.factIds).toEqual(factIds);
      expect(d.domains).toEqual([...new Set(factIds.map((id) => world.facts[id]!.domain))].sort());
    }
    const mean = meanDocumentLength(docs);
    expect(mean).toBeGreaterThan(25);
    expect(mean).toBeLessThan(55);
  });

  it('mix facts and filler at factShare, with every format used', () => {
    const sentences = docs.flatMap((d) => d.sentences);
    const share = sentences.filter((s) => s.kind === 'fact').length / sentences.length;
    expect(Math.abs(share - 0.6)).toBeLessThan(0.03);
    const formats = new Set(sentences.map((s) => s.format).filter(Boolean));
    expect(formats.size).toBe(3);
    const none = realDocuments(world, new Rng(1), { count: 200, factShare: 0 });
    expect(none.every((d) => d.factIds.length === 0)).toBe(true);
  });

  it('domain filter keeps only that domain and drops filler', () => {
    const people = realDocuments(world, new Rng(3), { count: 300, domains: ['people'] });
    for (const d of people) {
      expect(d.sentences.every((s) => s.kind === 'fact')).toBe(true);
      expect(d.domains).toEqual(['people']);
    }
    const mixed = realDocuments(world, new Rng(3), { count: 300, domains: ['geography'], filler: true });
    expect(mixed.some((d) => d.sentences.some((s) => s.kind === 'filler'))).toBe(true);
    expect(mixed.flatMap((d) => d.domains).every((x) => x === 'geography')).toBe(true);
  });

  it('samples entities by Zipf popularity: mentions ∝ 1/rank^s', () => {
    const big = trainingDocuments(world, { count: 20000 });
    for (const kind of ENTITY_KINDS) {
      const counts = mentionsByRank(world, big, kind);
      const total = counts.reduce((a, b) => a + b, 0);
      const z = counts.reduce((a, _, i) => a + 1 / (i + 1), 0);
      // Empirical share of each rank within 15% (relative) of 1/r / H_n for the top ranks.
      for (let r = 1; r <= 5; r++) {
        const expected = 1 / r / z;
        expect(Math.abs(counts[r - 1]! / total - expected) / expected).toBeLessThan(0.15);
      }
      expect(logLogSlope(counts)).toBeGreaterThan(-1.15);
      expect(logLogSlope(counts)).toBeLessThan(-0.85);
      // Head entities are mentioned far more than tail ones: rank 1 vs the last rank ≈ n times.
      expect(counts[0]! / Math.max(1, counts.at(-1)!)).toBeGreaterThan(counts.length / 2);
    }
    // A steeper exponent gives a steeper slope, a zero exponent a flat one.
    const steep = createWorld({ zipf: 2 });
    const steepSlope = logLogSlope(
      mentionsByRank(steep, trainingDocuments(steep, { count: 20000 }), 'country'),
    );
    expect(steepSlope).toBeLessThan(-1.7);
    const flat = createWorld({ zipf: 0 });
    const flatSlope = logLogSlope(mentionsByRank(flat, trainingDocuments(flat, { count: 5000 }), 'country'));
    expect(Math.abs(flatSlope)).toBeLessThan(0.15);
  });

  it('puts most fact mentions on head facts', () => {
    const counts = { head: 0, torso: 0, tail: 0 };
    for (const d of docs) for (const id of d.factIds) counts[world.facts[id]!.bucket]++;
    const total = counts.head + counts.torso + counts.tail;
    // Under 1/r with 40 entities, the top 8 ranks carry H_8 / H_40 ≈ 63% of a kind's mass.
    expect(counts.head / total).toBeGreaterThan(0.55);
    expect(counts.tail / total).toBeLessThan(0.2);
  });
});
