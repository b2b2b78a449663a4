/** The shape of the knowledge world: domains, entity kinds, relations and their value types. */

/** Knowledge domains; each entity kind belongs to one. */
export const DOMAINS = ['geography', 'people'] as const;
/** A knowledge domain. */
export type Domain = (typeof DOMAINS)[number];

/** Kinds of entities that facts are about. */
export const ENTITY_KINDS = ['country', 'person', 'river'] as const;
/** An entity kind. */
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** Types of answer values. `country` is both an entity kind and a value type. */
export const VALUE_TYPES = [
  'country',
  'city',
  'language',
  'currency',
  'continent',
  'year',
  'profession',
  'length',
] as const;
/** The type of a relation's value. */
export type ValueType = (typeof VALUE_TYPES)[number];

/** Relations (attributes) of entities. */
export const RELATIONS = [
  'capital',
  'language',
  'currency',
  'continent',
  'born',
  'home',
  'profession',
  'flows',
  'length',
] as const;
/** A relation name. */
export type RelationName = (typeof RELATIONS)[number];

/** What a relation links: an entity kind to a value type. */
export interface RelationSpec {
  name: RelationName;
  kind: EntityKind;
  type: ValueType;
  /** Every entity gets a distinct value that no other relation uses (e.g. each country its own capital). */
  unique: boolean;
}

/** Every relation, in the order facts are listed for an entity. */
export const RELATION_SPECS: readonly RelationSpec[] = [
  { name: 'capital', kind: 'country', type: 'city', unique: true },
  { name: 'language', kind: 'country', type: 'language', unique: false },
  { name: 'currency', kind: 'country', type: 'currency', unique: false },
  { name: 'continent', kind: 'country', type: 'continent', unique: false },
  { name: 'born', kind: 'person', type: 'year', unique: false },
  { name: 'home', kind: 'person', type: 'country', unique: false },
  { name: 'profession', kind: 'person', type: 'profession', unique: false },
  { name: 'flows', kind: 'river', type: 'country', unique: false },
  { name: 'length', kind: 'river', type: 'length', unique: false },
];

/** The domain each entity kind belongs to. */
export const KIND_DOMAIN: Readonly<Record<EntityKind, Domain>> = {
  country: 'geography',
  river: 'geography',
  person: 'people',
};

/** Relation spec by name. */
export function relationSpec(name: RelationName): RelationSpec {
  const spec = RELATION_SPECS.find((r) => r.name === name);
  if (!spec) throw new Error(`unknown relation ${name}`);
  return spec;
}

/** Fixed English value pools (the other pools are invented per world). */
export const FIXED_POOLS: Readonly<Partial<Record<ValueType, readonly string[]>>> = {
  profession: [
    'painter',
    'sailor',
    'baker',
    'poet',
    'miner',
    'weaver',
    'judge',
    'doctor',
    'singer',
    'potter',
    'hunter',
    'scholar',
  ],
  length: ['short', 'medium', 'long', 'great'],
};

/** Value types whose pool is invented per world (besides cities, one per country, and countries). */
export const INVENTED_POOLS = ['language', 'currency', 'continent'] as const;
/** A value type with an invented, shared pool. */
export type InventedPool = (typeof INVENTED_POOLS)[number];
