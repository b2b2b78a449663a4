/** The seeded knowledge world: entities with Zipf popularity, their facts, and the value pools. */
import { fillerVocabulary } from './filler.ts';
import { templateVocabulary } from './formats.ts';
import { inventNames } from './names.ts';
import { deriveRng, zipfWeights, type Seed } from './rng.ts';
import {
  DOMAINS,
  ENTITY_KINDS,
  FIXED_POOLS,
  INVENTED_POOLS,
  KIND_DOMAIN,
  RELATION_SPECS,
  VALUE_TYPES,
  type Domain,
  type EntityKind,
  type InventedPool,
  type RelationName,
  type ValueType,
} from './schema.ts';

/** Popularity buckets: head (most popular ~20% of each kind), torso (next ~30%), tail (the rest). */
export const BUCKETS = ['head', 'torso', 'tail'] as const;
/** A popularity bucket. */
export type Bucket = (typeof BUCKETS)[number];

/** Sizes of the shared value pools. */
export type PoolSizes = Record<InventedPool | 'year', number>;

/** Options of `createWorld`; everything has a default. */
export interface WorldOptions {
  /** Seed of the world (names, popularity, values). Default 1. */
  seed?: Seed;
  /** Entities of every kind (overridden per kind by `counts`). */
  entitiesPerKind?: number;
  /** Entities per kind. Default country 40, person 40, river 20. */
  counts?: Partial<Record<EntityKind, number>>;
  /** Zipf exponent s of entity popularity (rank r has weight 1/r^s). Default 1. */
  zipf?: number;
  /** Zipf exponent of how often each shared value (language, year, ...) is used. Default 0.5. */
  valueZipf?: number;
  /** Sizes of the invented shared pools. Default language 10, currency 8, continent 5, year 24. */
  poolSizes?: Partial<PoolSizes>;
  /** Share of each kind in the head bucket (default 0.2) and the torso bucket (default 0.3). */
  headShare?: number;
  torsoShare?: number;
}

/** Options with every default filled in. */
export interface ResolvedWorldOptions {
  seed: Seed;
  counts: Record<EntityKind, number>;
  zipf: number;
  valueZipf: number;
  poolSizes: PoolSizes;
  headShare: number;
  torsoShare: number;
}

/** Something facts are about. */
export interface Entity {
  /** Index in `world.entities`. */
  id: number;
  name: string;
  kind: EntityKind;
  domain: Domain;
  /** Popularity rank within its kind, 1 = most popular. */
  rank: number;
  /** Popularity weight 1/rank^s. */
  weight: number;
  bucket: Bucket;
}

/** One fact: (entity, relation, value). */
export interface Fact {
  /** Index in `world.facts`; stable for a given seed and options. */
  id: number;
  /** Readable stable key, "entity.relation". */
  key: string;
  entityId: number;
  entityName: string;
  kind: EntityKind;
  relation: RelationName;
  /** Type of the value. */
  type: ValueType;
  value: string;
  domain: Domain;
  bucket: Bucket;
  /** Sampling weight: the entity's popularity. */
  weight: number;
}

/** A generated world. */
export interface World {
  options: ResolvedWorldOptions;
  domains: readonly Domain[];
  entities: readonly Entity[];
  facts: readonly Fact[];
  /** Every word of each value type (e.g. all city names). */
  pools: Readonly<Record<ValueType, readonly string[]>>;
  /** Every word any sentence of this world can contain, without special tokens; fixed words first. */
  vocabulary: readonly string[];
  entityByName: ReadonlyMap<string, Entity>;
  /** Fact by "entity.relation". */
  factByKey: ReadonlyMap<string, Fact>;
  /** Value types each word belongs to. */
  typesOf: ReadonlyMap<string, ReadonlySet<ValueType>>;
}

/** Default world options. */
export const DEFAULT_WORLD_OPTIONS: ResolvedWorldOptions = {
  seed: 1,
  counts: { country: 40, person: 40, river: 20 },
  zipf: 1,
  valueZipf: 0.5,
  poolSizes: { language: 10, currency: 8, continent: 5, year: 24 },
  headShare: 0.2,
  torsoShare: 0.3,
};

/** Fill in defaults. */
export function resolveWorldOptions(o: WorldOptions = {}): ResolvedWorldOptions {
  const d = DEFAULT_WORLD_OPTIONS;
  const perKind = o.entitiesPerKind;
  const counts = { ...d.counts };
  for (const k of ENTITY_KINDS) counts[k] = o.counts?.[k] ?? perKind ?? d.counts[k];
  const r: ResolvedWorldOptions = {
    seed: o.seed ?? d.seed,
    counts,
    zipf: o.zipf ?? d.zipf,
    valueZipf: o.valueZipf ?? d.valueZipf,
    poolSizes: { ...d.poolSizes, ...o.poolSizes },
    headShare: o.headShare ?? d.headShare,
    torsoShare: o.torsoShare ?? d.torsoShare,
  };
  if (counts.country < 1) throw new Error('a world needs at least one country');
  for (const [k, n] of Object.entries(r.poolSizes)) if (!(n >= 1)) throw new Error(`pool ${k} must be >= 1`);
  if (r.poolSizes.year > 300) throw new Error('at most 300 distinct years');
  if (r.headShare < 0 || r.torsoShare < 0 || r.headShare + r.torsoShare > 1)
    throw new Error('bad bucket shares');
  return r;
}

/** Bucket of a 1-based popularity rank among n. */
export function bucketOf(rank: number, n: number, headShare: number, torsoShare: number): Bucket {
  const headEnd = Math.max(1, Math.round(headShare * n));
  const torsoEnd = Math.max(headEnd, Math.round((headShare + torsoShare) * n));
  return rank <= headEnd ? 'head' : rank <= torsoEnd ? 'torso' : 'tail';
}

/** Build the world deterministically from its options. */
export function createWorld(options: WorldOptions = {}): World {
  const o = resolveWorldOptions(options);
  const fixed = new Set<string>([...templateVocabulary(), ...fillerVocabulary()]);
  for (const pool of Object.values(FIXED_POOLS)) for (const w of pool) fixed.add(w);
  const taken = new Set(fixed);
  const names = (style: Parameters<typeof inventNames>[1], n: number) =>
    inventNames(deriveRng(o.seed, `names:${style}`), style, n, taken);

  // Names first (one stream per style, so changing one count leaves the other kinds' names alone).
  const kindNames: Record<EntityKind, string[]> = {
    country: names('country', o.counts.country),
    person: names('person', o.counts.person),
    river: names('river', o.counts.river),
  };
  const cities = names('city', o.counts.country);
  const invented = Object.fromEntries(INVENTED_POOLS.map((p) => [p, names(p, o.poolSizes[p])])) as Record<
    InventedPool,
    string[]
  >;
  const yearRng = deriveRng(o.seed, 'values:year');
  const years = yearRng
    .shuffle(Array.from({ length: 300 }, (_, i) => 1700 + i))
    .slice(0, o.poolSizes.year)
    .sort((a, b) => a - b)
    .map(String);
  const pools: Record<ValueType, readonly string[]> = {
    country: kindNames.country,
    city: cities,
    language: invented.language,
    currency: invented.currency,
    continent: invented.continent,
    year: years,
    profession: FIXED_POOLS.profession ?? [],
    length: FIXED_POOLS.length ?? [],
  };

  // Popularity: Zipf ranks shuffled across each kind's entities.
  const entities: Entity[] = [];
  for (const kind of ENTITY_KINDS) {
    const n = o.counts[kind];
    const ranks = deriveRng(o.seed, `popularity:${kind}`).shuffle(Array.from({ length: n }, (_, i) => i + 1));
    kindNames[kind].forEach((name, i) => {
      const rank = ranks[i]!;
      entities.push({
        id: entities.length,
        name,
        kind,
        domain: KIND_DOMAIN[kind],
        rank,
        weight: 1 / Math.pow(rank, o.zipf),
        bucket: bucketOf(rank, n, o.headShare, o.torsoShare),
      });
    });
  }

  // Values: unique relations take their own pool in order; shared ones draw with a mild Zipf skew.
  const facts: Fact[] = [];
  for (const spec of RELATION_SPECS) {
    const rng = deriveRng(o.seed, `values:${spec.name}`);
    const pool = pools[spec.type];
    const order = rng.shuffle(pool.map((_, i) => i));
    const weights = zipfWeights(pool.length, o.valueZipf);
    const cum = new Float64Array(pool.length);
    order.forEach((poolIndex, rank) => (cum[poolIndex] = weights[rank]!));
    let acc = 0;
    for (let i = 0; i < cum.length; i++) cum[i] = acc += cum[i]!;
    const ofKind = entities.filter((e) => e.kind === spec.kind);
    ofKind.forEach((e, i) => {
      const value = spec.unique ? pool[i]! : pool[rng.sampleCumulative(cum)]!;
      facts.push({
        id: 0,
        key: `${e.name}.${spec.name}`,
        entityId: e.id,
        entityName: e.name,
        kind: e.kind,
        relation: spec.name,
        type: spec.type,
        value,
        domain: e.domain,
        bucket: e.bucket,
        weight: e.weight,
      });
    });
  }
  // Order facts by entity, then relation; ids are positions.
  const relOrder = new Map(RELATION_SPECS.map((r, i) => [r.name, i]));
  facts.sort((a, b) => a.entityId - b.entityId || relOrder.get(a.relation)! - relOrder.get(b.relation)!);
  facts.forEach((f, i) => (f.id = i));

  const typesOf = new Map<string, Set<ValueType>>();
  for (const t of VALUE_TYPES) {
    for (const w of pools[t]) {
      if (!typesOf.has(w)) typesOf.set(w, new Set());
      typesOf.get(w)!.add(t);
    }
  }
  const vocabulary = [
    ...new Set([...[...fixed].sort(), ...years, ...invented.continent, ...invented.language]),
  ];
  for (const w of [
    ...invented.currency,
    ...kindNames.country,
    ...cities,
    ...kindNames.person,
    ...kindNames.river,
  ]) {
    vocabulary.push(w);
  }
  return {
    options: o,
    domains: DOMAINS,
    entities,
    facts,
    pools,
    vocabulary,
    entityByName: new Map(entities.map((e) => [e.name, e])),
    factByKey: new Map(facts.map((f) => [f.key, f])),
    typesOf,
  };
}

/** The fact stating `relation` of the entity named `entityName`, if any. */
export function factOf(world: World, entityName: string, relation: RelationName): Fact | undefined {
  return world.factByKey.get(`${entityName}.${relation}`);
}

/** Is `word` a value of `type` in this world? */
export function isOfType(world: World, word: string, type: ValueType): boolean {
  return world.typesOf.get(word)?.has(type) ?? false;
}

/** Facts in the given domains (all facts when `domains` is undefined). */
export function factsIn(world: World, domains?: readonly Domain[]): Fact[] {
  return domains ? world.facts.filter((f) => domains.includes(f.domain)) : [...world.facts];
}
