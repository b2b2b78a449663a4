import { describe, expect, it } from 'vitest';
import { fillerVocabulary } from '../../src/world/filler.ts';
import { templateVocabulary } from '../../src/world/formats.ts';
import { ENTITY_KINDS, RELATION_SPECS } from '../../src/world/schema.ts';
import { splitWords } from '../../src/world/tokenizer.ts';
import { bucketOf, createWorld, factOf, isOfType, type World } from '../../src/world/world.ts';

const snapshot = (w: World) => JSON.stringify({ e: w.entities, f: w.facts, p: w.pools, v: w.vocabulary });

describe('createWorld', () => {
  const world = createWorld();

  it('has the default sizes', () => {
    expect(world.entities.filter((e) => e.kind === 'country')).toHaveLength(40);
    expect(world.entities.filter((e) => e.kind === 'person')).toHaveLength(40);
    expect(world.entities.filter((e) => e.kind === 'river')).toHaveLength(20);
    expect(world.facts).toHaveLength(40 * 4 + 40 * 3 + 20 * 2);
    expect(new Set(world.facts.map((f) => f.domain))).toEqual(new Set(['geography', 'people']));
  });

  it('is deterministic per seed and differs across seeds', () => {
    expect(snapshot(createWorld({ seed: 7 }))).toBe(snapshot(createWorld({ seed: 7 })));
    expect(snapshot(createWorld({ seed: 'seven' }))).toBe(snapshot(createWorld({ seed: 'seven' })));
    const a = createWorld({ seed: 7 });
    const b = createWorld({ seed: 8 });
    expect(a.entities.map((e) => e.name)).not.toEqual(b.entities.map((e) => e.name));
    expect(a.facts.map((f) => f.value)).not.toEqual(b.facts.map((f) => f.value));
  });

  it('gives unique, single-token, lowercase names that clash with no fixed word', () => {
    const fixed = new Set([...templateVocabulary(), ...fillerVocabulary()]);
    const invented = [
      ...world.entities.map((e) => e.name),
      ...world.pools.city,
      ...world.pools.language,
      ...world.pools.currency,
      ...world.pools.continent,
    ];
    expect(new Set(invented).size).toBe(invented.length);
    for (const name of invented) {
      expect(name).toMatch(/^[a-z]{4,10}$/);
      expect(splitWords(name)).toEqual([name]);
      expect(fixed.has(name)).toBe(false);
    }
  });

  it('gives every entity exactly its kind’s relations, with typed single-token values', () => {
    for (const e of world.entities) {
      const rels = RELATION_SPECS.filter((r) => r.kind === e.kind);
      for (const r of rels) {
        const f = factOf(world, e.name, r.name);
        expect(f).toBeDefined();
        expect(isOfType(world, f!.value, r.type)).toBe(true);
        expect(f!.value).toMatch(/^[a-z0-9]+$/);
        expect(f!.bucket).toBe(e.bucket);
      }
      expect(world.facts.filter((f) => f.entityId === e.id)).toHaveLength(rels.length);
    }
    world.facts.forEach((f, i) => expect(f.id).toBe(i));
  });

  it('gives each country its own capital, and shares languages between countries', () => {
    const capitals = world.facts.filter((f) => f.relation === 'capital').map((f) => f.value);
    expect(new Set(capitals).size).toBe(40);
    const languages = world.facts.filter((f) => f.relation === 'language').map((f) => f.value);
    expect(new Set(languages).size).toBeLessThan(languages.length);
    expect(isOfType(world, capitals[0]!, 'country')).toBe(false);
    expect(isOfType(world, world.pools.year[0]!, 'city')).toBe(false);
  });

  it('assigns Zipf popularity: ranks are a shuffled permutation with weight 1/r^s and 20/30/50 buckets', () => {
    const w2 = createWorld({ zipf: 1.5 });
    for (const kind of ENTITY_KINDS) {
      const es = w2.entities.filter((e) => e.kind === kind);
      const ranks = es.map((e) => e.rank);
      expect([...ranks].sort((a, b) => a - b)).toEqual(es.map((_, i) => i + 1));
      expect(ranks).not.toEqual(es.map((_, i) => i + 1)); // shuffled, not in generation order
      for (const e of es) expect(e.weight).toBeCloseTo(1 / e.rank ** 1.5, 12);
      const n = es.length;
      const count = (b: string) => es.filter((e) => e.bucket === b).length;
      expect(count('head')).toBe(Math.round(0.2 * n));
      expect(count('torso')).toBe(Math.round(0.5 * n) - Math.round(0.2 * n));
      for (const e of es) if (e.bucket === 'head') expect(e.rank).toBeLessThanOrEqual(Math.round(0.2 * n));
    }
    expect(bucketOf(1, 1, 0.2, 0.3)).toBe('head');
  });

  it('is configurable and keeps other kinds stable when one count changes', () => {
    const small = createWorld({ entitiesPerKind: 5, counts: { river: 3 } });
    expect(small.entities.filter((e) => e.kind === 'person')).toHaveLength(5);
    expect(small.entities.filter((e) => e.kind === 'river')).toHaveLength(3);
    const more = createWorld({ counts: { river: 30 } });
    const countries = (w: World) => w.entities.filter((e) => e.kind === 'country').map((e) => e.name);
    expect(countries(more)).toEqual(countries(world));
    expect(() => createWorld({ counts: { country: 0 } })).toThrow();
  });
});
