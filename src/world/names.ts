/** Invented, pronounceable single-word names built from syllables, unique across a world. */
import type { Rng } from './rng.ts';

const ONSETS = [
  'b',
  'br',
  'd',
  'dr',
  'f',
  'g',
  'gr',
  'k',
  'kr',
  'l',
  'm',
  'n',
  'p',
  'r',
  's',
  'st',
  't',
  'tr',
  'v',
  'z',
  'th',
  'sh',
  'h',
  'j',
];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'o', 'ae', 'ei', 'ou'];
const CODAS = ['', '', 'n', 'r', 'l', 's', 'm'];

/** Name styles: each has its own endings, so a reader can tell a city from a language. */
export type NameStyle = 'country' | 'city' | 'person' | 'river' | 'language' | 'currency' | 'continent';

const ENDINGS: Readonly<Record<NameStyle, readonly string[]>> = {
  country: ['ia', 'ara', 'or', 'and', 'esh', 'ovia', 'istan', 'eth'],
  city: ['mond', 'burg', 'ton', 'heim', 'grad', 'port', 'ford', 'wick'],
  person: ['o', 'a', 'en', 'us', 'ik', 'ina', 'ard', 'ela'],
  river: ['a', 'ine', 'ee', 'ova', 'ul', 'ith'],
  language: ['ic', 'ish', 'ese', 'an', 'ol'],
  currency: ['el', 'ar', 'ot', 'ix', 'ung'],
  continent: ['ara', 'os', 'ea', 'ica', 'anth'],
};

const VOWEL_START = /^[aeiou]/;

/** One candidate name of a style: one or two open syllables, an optional coda, a style ending; 4-10 letters. */
function candidate(rng: Rng, style: NameStyle): string {
  const syllables = rng.bool(0.45) ? 2 : 1;
  let stem = '';
  for (let i = 0; i < syllables; i++) stem += rng.pick(ONSETS) + rng.pick(VOWELS);
  const ending = rng.pick(ENDINGS[style]);
  if (VOWEL_START.test(ending)) {
    // A coda keeps the seam pronounceable ("dor" + "ia"); without one, drop the stem's final vowels.
    const coda = rng.pick(CODAS);
    stem = coda ? stem + coda : stem.replace(/[aeiou]+$/, '');
  }
  return stem + ending;
}

/**
 * Draw `count` names of one style, none of which is in `taken`; each chosen name is added to `taken`,
 * so repeated calls with the same set stay unique across styles.
 */
export function inventNames(rng: Rng, style: NameStyle, count: number, taken: Set<string>): string[] {
  const out: string[] = [];
  let tries = 0;
  while (out.length < count) {
    if (++tries > 1000 * (count + 10)) throw new Error(`could not invent ${count} unique ${style} names`);
    const name = candidate(rng, style);
    if (name.length < 4 || name.length > 10 || taken.has(name)) continue;
    taken.add(name);
    out.push(name);
  }
  return out;
}
