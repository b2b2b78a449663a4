// Count tables of the n-gram engine and their checkpoint form. tables[m − 1] maps a history of m − 1
// tokens, packed as one number (h₁·V + h₂), to the counts of the token that followed it.
// Checkpoint: params.meta = [format, order, vocabSize]; params.orderM = rows of
// (history tokens…, next token, countHi, countLo) with count = countHi·2²⁴ + countLo, so token ids
// (< 2²⁰) and counts (< 2⁴⁸) are exact in float32.
import type { Tempered } from './ngram-sample.ts';
import { EngineInputError } from './validate.ts';

/** Counts after one history, with a lazily built sorted view. */
export interface Table {
  total: number;
  next: Map<number, number>;
  /** Tokens by count descending (ties by id), counts alongside, seen ids ascending, entropy, and the
   * last tempered distribution sampled from. */
  sorted?: {
    ids: Int32Array;
    counts: Float64Array;
    ascending: Int32Array;
    entropy: number;
    tempered?: Tempered;
  };
}

const TWO24 = 2 ** 24;
const FORMAT = 1;

/** Serialises count tables (orders 1..tables.length) into Float32Arrays. */
export function encodeCounts(tables: readonly Map<number, Table>[], V: number): Record<string, Float32Array> {
  const params: Record<string, Float32Array> = { meta: Float32Array.from([FORMAT, tables.length, V]) };
  tables.forEach((byHistory, mi) => {
    const m = mi + 1;
    const rows: number[] = [];
    for (const [key, t] of byHistory)
      for (const [w, c] of t.next) {
        const hist: number[] = [];
        for (let i = 0, k = key; i < m - 1; i++, k = Math.floor(k / V)) hist.unshift(k % V);
        for (const h of hist) rows.push(h);
        rows.push(w, Math.floor(c / TWO24), c % TWO24);
      }
    params[`order${m}`] = Float32Array.from(rows);
  });
  return params;
}

const fail = (msg: string): never => {
  throw new EngineInputError(`ngram weights: ${msg}`);
};

/** Rebuilds count tables from `encodeCounts` output; missing orderM arrays are empty tables. */
export function decodeCounts(
  params: Readonly<Record<string, Float32Array>> | undefined,
  order: number,
  V: number,
): Map<number, Table>[] {
  if (!params || typeof params !== 'object') fail('expected an object with a params record');
  const p = params!;
  const names = ['meta', ...Array.from({ length: order }, (_, i) => `order${i + 1}`)];
  for (const k of Object.keys(p))
    if (!names.includes(k)) fail(`unknown parameter ${k} (expected ${names.join(', ')})`);
  const meta = p.meta;
  if (meta && (meta.length !== 3 || meta[0] !== FORMAT || meta[1] !== order || meta[2] !== V))
    fail(`meta [${[...meta].join(', ')}] does not match [format ${FORMAT}, order ${order}, vocabSize ${V}]`);
  return Array.from({ length: order }, (_, mi) => {
    const m = mi + 1;
    const table = new Map<number, Table>();
    const rows = p[`order${m}`] ?? new Float32Array(0);
    if (!(rows instanceof Float32Array)) fail(`order${m} must be a Float32Array`);
    const stride = m + 2;
    if (rows.length % stride) fail(`order${m} has ${rows.length} values, not a multiple of ${stride}`);
    for (let r = 0; r < rows.length; r += stride) {
      let key = 0;
      for (let i = 0; i < m; i++) {
        const id = rows[r + i]!;
        if (!(Number.isInteger(id) && id >= 0 && id < V))
          fail(`order${m}[${r + i}] = ${id} is not a token id in [0, ${V - 1}]`);
        if (i < m - 1) key = key * V + id;
      }
      const w = rows[r + m - 1]!;
      const c = rows[r + m]! * TWO24 + rows[r + m + 1]!;
      if (!(Number.isInteger(c) && c > 0)) fail(`order${m} row ${r / stride} has count ${c}`);
      let t = table.get(key);
      if (!t) table.set(key, (t = { total: 0, next: new Map() }));
      t.total += c;
      t.next.set(w, (t.next.get(w) ?? 0) + c);
    }
    return table;
  });
}
