/**
 * General-domain filler: a small probabilistic CFG over ~140 common words that produces short, non-factual
 * sentences ("the old farmer walks to the quiet market ."), 5-12 tokens including the final ".".
 */
import {
  compileGrammar,
  recognise,
  sampleGrammar,
  type Category,
  type CompiledGrammar,
  type Grammar,
} from './cfg.ts';
import { zipfWeights, type Rng } from './rng.ts';

/** Word categories of the filler grammar (no word here is a template word or a value). */
// prettier-ignore
export const FILLER_WORDS = {
  Det: ['the', 'this', 'that', 'every', 'each', 'my', 'your', 'our', 'his', 'her', 'their'],
  Adj: [
    'old', 'young', 'quiet', 'small', 'big', 'red', 'green', 'blue', 'bright', 'dark',
    'warm', 'cold', 'happy', 'sad', 'tall', 'little', 'gentle', 'brave', 'tired', 'busy',
    'clever', 'strange', 'empty', 'heavy', 'soft', 'loud', 'wise', 'kind', 'proud', 'calm',
  ],
  N: [
    'farmer', 'dog', 'cat', 'child', 'bird', 'horse', 'girl', 'boy', 'woman', 'man',
    'friend', 'neighbour', 'king', 'queen', 'student', 'soldier', 'stranger', 'market', 'garden', 'house',
    'village', 'forest', 'road', 'bridge', 'hill', 'door', 'window', 'table', 'book', 'letter',
    'lamp', 'box', 'key', 'song', 'boat', 'field', 'cart', 'well', 'tree', 'stone',
    'basket', 'bell', 'coat', 'apple', 'cup',
  ],
  Vi: [
    'walks', 'sleeps', 'waits', 'sings', 'runs', 'rests', 'smiles', 'laughs', 'listens', 'wanders',
    'arrives', 'returns', 'dances', 'sits', 'stands',
  ],
  Vt: [
    'sees', 'finds', 'carries', 'likes', 'watches', 'holds', 'opens', 'follows', 'remembers', 'brings',
    'takes', 'keeps', 'builds', 'cleans', 'visits', 'needs', 'wants', 'loves', 'hears', 'reads',
  ],
  P: ['to', 'near', 'under', 'behind', 'beside', 'across', 'into', 'past', 'with', 'from'],
  Adv: ['slowly', 'quietly', 'today', 'again', 'often', 'early', 'late', 'alone', 'softly', 'outside'],
} as const;

/** Zipf exponent of word choice inside a category: a few words are common, most are rare. */
const WORD_ZIPF = 0.8;

function category(words: readonly string[]): Category {
  return { words, weights: zipfWeights(words.length, WORD_ZIPF) };
}

/**
 * The filler grammar. Lengths: NP is 2-3 words, VP 2-8, so S = NP VP "." spans 5-12 tokens.
 */
export const FILLER_GRAMMAR: Grammar = {
  start: 'S',
  rules: {
    S: [{ rhs: ['NP', 'VP', '.'], weight: 1 }],
    NP: [
      { rhs: ['Det', 'N'], weight: 0.55 },
      { rhs: ['Det', 'Adj', 'N'], weight: 0.45 },
    ],
    VP: [
      { rhs: ['Vi', 'Adv'], weight: 0.25 },
      { rhs: ['Vi', 'PP'], weight: 0.3 },
      { rhs: ['Vt', 'NP'], weight: 0.3 },
      { rhs: ['Vt', 'NP', 'PP'], weight: 0.15 },
    ],
    PP: [{ rhs: ['P', 'NP'], weight: 1 }],
  },
  lexicon: Object.fromEntries(Object.entries(FILLER_WORDS).map(([k, words]) => [k, category(words)])),
};

let compiled: CompiledGrammar | undefined;

/** The compiled filler grammar (built once). */
export function fillerGrammar(): CompiledGrammar {
  compiled ??= compileGrammar(FILLER_GRAMMAR);
  return compiled;
}

/** Every word filler sentences can contain (including "."), sorted. */
export function fillerVocabulary(): string[] {
  return [...fillerGrammar().vocabulary].sort();
}

/** One filler sentence, ending with ".". */
export function fillerSentence(rng: Rng): string[] {
  return sampleGrammar(fillerGrammar(), rng);
}

/** True when the filler grammar derives exactly these words (a full sentence, "." included). */
export function isFillerSentence(words: readonly string[]): boolean {
  return recognise(fillerGrammar(), words);
}
