/**
 * A small probabilistic context-free grammar: sampling, and an Earley recogniser that decides whether a
 * word sequence is derivable. Symbols are nonterminals (keys of `rules`), preterminals (keys of `lexicon`,
 * each matching one word of its list) or literal words.
 */
import { cumulative, type Rng } from './rng.ts';

/** One production: right-hand side symbols and a relative weight. */
export interface Production {
  rhs: readonly string[];
  weight: number;
}

/** A word category: its words and their relative weights. */
export interface Category {
  words: readonly string[];
  weights: readonly number[];
}

/** A probabilistic CFG without empty productions. */
export interface Grammar {
  start: string;
  rules: Readonly<Record<string, readonly Production[]>>;
  lexicon: Readonly<Record<string, Category>>;
}

/** A grammar prepared for fast sampling and recognition. */
export interface CompiledGrammar {
  grammar: Grammar;
  /** Every word the grammar can produce. */
  vocabulary: ReadonlySet<string>;
  /** Categories each word belongs to. */
  categoriesOf: ReadonlyMap<string, ReadonlySet<string>>;
  ruleCum: ReadonlyMap<string, Float64Array>;
  wordCum: ReadonlyMap<string, Float64Array>;
  /** Flat production list used by the recogniser. */
  flat: readonly { lhs: string; rhs: readonly string[] }[];
}

/** Validate and prepare a grammar. */
export function compileGrammar(grammar: Grammar): CompiledGrammar {
  const categoriesOf = new Map<string, Set<string>>();
  const wordCum = new Map<string, Float64Array>();
  for (const [cat, { words, weights }] of Object.entries(grammar.lexicon)) {
    if (grammar.rules[cat]) throw new Error(`${cat} is both a nonterminal and a category`);
    if (words.length === 0 || words.length !== weights.length)
      throw new Error(`category ${cat} is malformed`);
    wordCum.set(cat, cumulative(weights));
    for (const w of words) {
      if (!categoriesOf.has(w)) categoriesOf.set(w, new Set());
      categoriesOf.get(w)!.add(cat);
    }
  }
  const ruleCum = new Map<string, Float64Array>();
  const flat: { lhs: string; rhs: readonly string[] }[] = [];
  const vocabulary = new Set<string>(categoriesOf.keys());
  for (const [lhs, prods] of Object.entries(grammar.rules)) {
    if (prods.length === 0) throw new Error(`nonterminal ${lhs} has no productions`);
    ruleCum.set(lhs, cumulative(prods.map((p) => p.weight)));
    for (const p of prods) {
      if (p.rhs.length === 0) throw new Error(`empty production for ${lhs}`);
      flat.push({ lhs, rhs: p.rhs });
      for (const s of p.rhs) if (!grammar.rules[s] && !grammar.lexicon[s]) vocabulary.add(s);
    }
  }
  if (!grammar.rules[grammar.start]) throw new Error(`start symbol ${grammar.start} has no rules`);
  return { grammar, vocabulary, categoriesOf, ruleCum, wordCum, flat };
}

/** Sample one word sequence from the grammar. */
export function sampleGrammar(g: CompiledGrammar, rng: Rng): string[] {
  const out: string[] = [];
  const expand = (sym: string, depth: number): void => {
    if (depth > 64) throw new Error('grammar recursion too deep');
    const prods = g.grammar.rules[sym];
    if (prods) {
      const p = prods[rng.sampleCumulative(g.ruleCum.get(sym)!)]!;
      for (const s of p.rhs) expand(s, depth + 1);
      return;
    }
    const cat = g.grammar.lexicon[sym];
    if (cat) out.push(cat.words[rng.sampleCumulative(g.wordCum.get(sym)!)]!);
    else out.push(sym);
  };
  expand(g.grammar.start, 0);
  return out;
}

/** Does `symbol` (a category or literal) match `word`? */
function scans(g: CompiledGrammar, symbol: string, word: string): boolean {
  if (g.grammar.lexicon[symbol]) return g.categoriesOf.get(word)?.has(symbol) ?? false;
  return symbol === word;
}

/** Earley recogniser: true when the grammar derives exactly `words` from its start symbol. */
export function recognise(g: CompiledGrammar, words: readonly string[]): boolean {
  for (const w of words) if (!g.vocabulary.has(w)) return false;
  const n = words.length;
  // An item is (production index, dot position, origin); each chart column keeps a set of encoded items.
  type Item = { p: number; dot: number; origin: number };
  const columns: Item[][] = Array.from({ length: n + 1 }, () => []);
  const seen: Set<string>[] = Array.from({ length: n + 1 }, () => new Set());
  const add = (k: number, item: Item): void => {
    const key = `${item.p}.${item.dot}.${item.origin}`;
    if (seen[k]!.has(key)) return;
    seen[k]!.add(key);
    columns[k]!.push(item);
  };
  g.flat.forEach((prod, p) => {
    if (prod.lhs === g.grammar.start) add(0, { p, dot: 0, origin: 0 });
  });
  for (let k = 0; k <= n; k++) {
    const col = columns[k]!;
    for (let i = 0; i < col.length; i++) {
      const { p, dot, origin } = col[i]!;
      const prod = g.flat[p]!;
      const next = prod.rhs[dot];
      if (next === undefined) {
        // Complete: advance every item in the origin column waiting for this lhs.
        for (const waiting of columns[origin]!) {
          if (g.flat[waiting.p]!.rhs[waiting.dot] === prod.lhs) {
            add(k, { p: waiting.p, dot: waiting.dot + 1, origin: waiting.origin });
          }
        }
      } else if (g.grammar.rules[next]) {
        // Predict.
        g.flat.forEach((q, qi) => {
          if (q.lhs === next) add(k, { p: qi, dot: 0, origin: k });
        });
      } else if (k < n && scans(g, next, words[k]!)) {
        add(k + 1, { p, dot: dot + 1, origin });
      }
    }
  }
  return columns[n]!.some(
    ({ p, dot, origin }) =>
      origin === 0 && g.flat[p]!.lhs === g.grammar.start && dot === g.flat[p]!.rhs.length,
  );
}
