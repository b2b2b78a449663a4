/**
 * Tokenizers: word-level over a world's full vocabulary, or character-level over a custom text. Both share
 * one interface; ids 0-3 are the special tokens <pad>, <bos>, <eos>, <unk>.
 */
import type { World } from './world.ts';

/** Special tokens and their fixed ids. */
export const SPECIALS = ['<pad>', '<bos>', '<eos>', '<unk>'] as const;
/** Id of `<pad>`. */
export const PAD = 0;
/** Id of `<bos>`. */
export const BOS = 1;
/** Id of `<eos>`. */
export const EOS = 2;
/** Id of `<unk>`. */
export const UNK = 3;

/** A tokenizer: maps text to ids and back. */
export interface Tokenizer {
  kind: 'word' | 'char';
  /** Token strings by id (specials first). */
  vocab: readonly string[];
  vocabSize: number;
  /** Id of a token string (UNK when unknown). */
  id(token: string): number;
  /** Ids of a text (split into tokens) or of a list of tokens; unknown tokens become UNK. No bos/eos. */
  encode(input: string | readonly string[]): number[];
  /** `[BOS, ...encode(input), EOS]`. */
  encodeDocument(input: string | readonly string[]): number[];
  /** Token strings of ids; pad/bos/eos are dropped unless `keepSpecials`. */
  tokens(ids: ArrayLike<number>, keepSpecials?: boolean): string[];
  /** Text of ids: words joined by single spaces (word) or characters concatenated (char). */
  decode(ids: ArrayLike<number>, keepSpecials?: boolean): string;
}

/** Split text into word tokens: lowercase, whitespace-separated, with . ? : ; as their own tokens. */
export function splitWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/([.?:;])/g, ' $1 ')
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

function build(
  kind: 'word' | 'char',
  tokens: readonly string[],
  split: (s: string) => string[],
  join: string,
): Tokenizer {
  const vocab = [...SPECIALS, ...new Set(tokens.filter((t) => !(SPECIALS as readonly string[]).includes(t)))];
  const index = new Map(vocab.map((t, i) => [t, i]));
  const id = (t: string) => index.get(t) ?? UNK;
  const encode = (input: string | readonly string[]) =>
    (typeof input === 'string' ? split(input) : input).map(id);
  const toTokens = (ids: ArrayLike<number>, keepSpecials = false) => {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const t = ids[i]!;
      if (!keepSpecials && (t === PAD || t === BOS || t === EOS)) continue;
      out.push(vocab[t] ?? SPECIALS[UNK]);
    }
    return out;
  };
  return {
    kind,
    vocab,
    vocabSize: vocab.length,
    id,
    encode,
    encodeDocument: (input) => [BOS, ...encode(input), EOS],
    tokens: toTokens,
    decode: (ids, keepSpecials) => toTokens(ids, keepSpecials).join(join),
  };
}

const cache = new WeakMap<World, Tokenizer>();

/** Word-level tokenizer over every word the world can produce (cached per world). */
export function wordTokenizer(world: World): Tokenizer {
  let t = cache.get(world);
  if (!t) {
    t = build('word', world.vocabulary, splitWords, ' ');
    cache.set(world, t);
  }
  return t;
}

/**
 * Word-level tokenizer over an explicit word list (a user corpus's vocabulary), splitting text with
 * `split`; words outside the list become <unk>.
 */
export function vocabularyTokenizer(
  words: readonly string[],
  split: (s: string) => string[] = splitWords,
): Tokenizer {
  return build('word', words, split, ' ');
}

/** Character-level tokenizer over the characters of `text` (for custom corpora). */
export function charTokenizer(text: string): Tokenizer {
  const chars = [...new Set(Array.from(text))].sort();
  const split = (s: string) => Array.from(s);
  const t = build('char', chars, split, '');
  // A list of words is taken to be a space-separated text.
  const encode = (input: string | readonly string[]) =>
    t.encode(typeof input === 'string' ? input : input.join(' '));
  return { ...t, encode, encodeDocument: (input) => [BOS, ...encode(input), EOS] };
}
