/**
 * Instruction formats: how a fact is worded. Every template ends right before the answer, so a probe's
 * prompt is the filled template and the answer is the very next token; the sentence is prompt + answer + ".".
 */
import type { RelationName } from './schema.ts';

/** The instruction formats every fact renders in. */
export const FORMATS = ['declarative', 'qa', 'instruction'] as const;
/** An instruction format. */
export type Format = (typeof FORMATS)[number];

/** The placeholder for the entity name inside a template. */
export const ENTITY_SLOT = '{e}';
/** The token that ends every sentence. */
export const END = '.';

/** Prompt templates (words separated by spaces, `{e}` = entity), by relation and format. */
export const TEMPLATES: Readonly<Record<RelationName, Readonly<Record<Format, string>>>> = {
  capital: attribute('capital'),
  language: attribute('language'),
  currency: attribute('currency'),
  continent: attribute('continent'),
  born: {
    declarative: '{e} was born in',
    qa: 'question : when was {e} born ? answer :',
    instruction: 'instruction : name the birth year of {e} ; response :',
  },
  home: {
    declarative: '{e} lives in',
    qa: 'question : where does {e} live ? answer :',
    instruction: 'instruction : name the home country of {e} ; response :',
  },
  profession: {
    declarative: '{e} works as a',
    qa: 'question : what is the job of {e} ? answer :',
    instruction: 'instruction : name the profession of {e} ; response :',
  },
  flows: {
    declarative: 'the river {e} flows through',
    qa: 'question : where does the river {e} flow ? answer :',
    instruction: 'instruction : name the country of the river {e} ; response :',
  },
  length: {
    declarative: 'the river {e} is',
    qa: 'question : how long is the river {e} ? answer :',
    instruction: 'instruction : name the length of the river {e} ; response :',
  },
};

function attribute(noun: string): Record<Format, string> {
  return {
    declarative: `the ${noun} of {e} is`,
    qa: `question : what is the ${noun} of {e} ? answer :`,
    instruction: `instruction : name the ${noun} of {e} ; response :`,
  };
}

/** A template as word tokens, with `{e}` still in place. */
export function templateWords(relation: RelationName, format: Format): string[] {
  return TEMPLATES[relation][format].split(' ');
}

/** Every literal word the templates use (including punctuation), sorted. */
export function templateVocabulary(): string[] {
  const words = new Set<string>([END]);
  for (const byFormat of Object.values(TEMPLATES)) {
    for (const t of Object.values(byFormat))
      for (const w of t.split(' ')) if (w !== ENTITY_SLOT) words.add(w);
  }
  return [...words].sort();
}

/** What a probe needs: the prompt, ending right before the answer, and the one-token answer. */
export interface ProbeText {
  promptWords: string[];
  answer: string;
}

/** The fields of a fact that its wording depends on. */
export interface FactWording {
  relation: RelationName;
  entityName: string;
  value: string;
}

/** Probe prompt and answer for a fact in a format. */
export function probeText(fact: FactWording, format: Format): ProbeText {
  const promptWords = templateWords(fact.relation, format).map((w) =>
    w === ENTITY_SLOT ? fact.entityName : w,
  );
  return { promptWords, answer: fact.value };
}

/** The full sentence stating a fact in a format: prompt, answer, ".". */
export function renderFact(fact: FactWording, format: Format): string[] {
  const { promptWords, answer } = probeText(fact, format);
  return [...promptWords, answer, END];
}
