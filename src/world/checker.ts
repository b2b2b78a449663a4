/**
 * Exact checker: parses sentences against the world's grammar (every fact template in every format, plus
 * the filler CFG) and judges fact sentences true or false against the world.
 */
import { isFillerSentence } from './filler.ts';
import { END, ENTITY_SLOT, FORMATS, templateWords, type Format } from './formats.ts';
import { RELATION_SPECS, type RelationName, type RelationSpec } from './schema.ts';
import { splitWords, wordTokenizer, BOS, EOS, PAD, type Tokenizer } from './tokenizer.ts';
import { factOf, isOfType, type World } from './world.ts';

/** The verdict on one sentence. */
export interface SentenceCheck {
  /** Derivable from the world's grammar with correctly typed slots. */
  grammatical: boolean;
  kind: 'fact' | 'filler' | 'invalid';
  /** For fact sentences: the world's fact about the stated entity and relation. */
  factId?: number;
  format?: Format;
  /** For fact sentences: whether the stated value is the world's value (false = hallucination). */
  true?: boolean;
  stated?: { entity: string; relation: RelationName; value: string };
  /** Why an invalid sentence was rejected. */
  reason?: string;
}

/** A sentence of a checked document: the verdict plus where it sits. */
export interface SentenceSpan extends SentenceCheck {
  /** Token span [start, end) in the checked input (indices of the ids or words given). */
  start: number;
  end: number;
  words: string[];
  /** False when the document ended before the sentence's ".". */
  complete: boolean;
}

/** Counts over a checked document. */
export interface CheckCounts {
  sentences: number;
  facts: number;
  trueFacts: number;
  falseFacts: number;
  filler: number;
  invalid: number;
}

/** The verdict on a whole document. */
export interface DocumentCheck {
  sentences: SentenceSpan[];
  counts: CheckCounts;
}

interface Pattern {
  spec: RelationSpec;
  format: Format;
  /** Words of the full sentence; `{e}` at entityPos, the value at valuePos. */
  words: string[];
  entityPos: number;
  valuePos: number;
}

/** Every fact sentence pattern: template words + value slot + ".". */
const PATTERNS: readonly Pattern[] = RELATION_SPECS.flatMap((spec) =>
  FORMATS.map((format) => {
    const prompt = templateWords(spec.name, format);
    return {
      spec,
      format,
      words: [...prompt, '', END],
      entityPos: prompt.indexOf(ENTITY_SLOT),
      valuePos: prompt.length,
    };
  }),
);

function matchPattern(world: World, p: Pattern, words: readonly string[]): SentenceCheck | undefined {
  if (words.length !== p.words.length) return undefined;
  for (let i = 0; i < words.length; i++) {
    if (i !== p.entityPos && i !== p.valuePos && words[i] !== p.words[i]) return undefined;
  }
  const entity = words[p.entityPos]!;
  const value = words[p.valuePos]!;
  const e = world.entityByName.get(entity);
  if (!e || e.kind !== p.spec.kind) {
    return { grammatical: false, kind: 'invalid', reason: `"${entity}" is not a ${p.spec.kind}` };
  }
  if (!isOfType(world, value, p.spec.type)) {
    return { grammatical: false, kind: 'invalid', reason: `"${value}" is not a ${p.spec.type}` };
  }
  const fact = factOf(world, entity, p.spec.name)!;
  return {
    grammatical: true,
    kind: 'fact',
    factId: fact.id,
    format: p.format,
    true: fact.value === value,
    stated: { entity, relation: p.spec.name, value },
  };
}

/** Judge one sentence (its words, normally ending with "."). */
export function checkSentence(world: World, words: readonly string[]): SentenceCheck {
  let nearMiss: SentenceCheck | undefined;
  for (const p of PATTERNS) {
    const r = matchPattern(world, p, words);
    if (r?.grammatical) return r;
    nearMiss ??= r;
  }
  if (isFillerSentence(words)) return { grammatical: true, kind: 'filler' };
  if (nearMiss) return nearMiss;
  const reason =
    words.length === 0
      ? 'empty sentence'
      : words[words.length - 1] !== END
        ? 'sentence does not end with "."'
        : 'no fact template or filler rule derives it';
  return { grammatical: false, kind: 'invalid', reason };
}

/**
 * Split a document into sentences at "." and judge each. Input: token ids (decoded with the world's word
 * tokenizer unless another is given), words, or text. <pad>/<bos> are skipped, <eos> ends the document;
 * spans index into the input as given.
 */
export function checkDocument(
  world: World,
  input: string | readonly string[] | ArrayLike<number>,
  tokenizer: Tokenizer = wordTokenizer(world),
): DocumentCheck {
  let words: string[];
  let ids: ArrayLike<number> | undefined;
  if (typeof input === 'string') words = splitWords(input);
  else if (isIdList(input)) {
    ids = input;
    words = tokenizer.tokens(input, true);
  } else words = [...input];
  const sentences: SentenceSpan[] = [];
  let current: string[] = [];
  let start = -1;
  const close = (end: number, complete: boolean) => {
    if (current.length === 0) return;
    sentences.push({ ...checkSentence(world, current), start, end, words: current, complete });
    current = [];
    start = -1;
  };
  let i = 0;
  for (; i < words.length; i++) {
    const id = ids ? ids[i] : undefined;
    const w = words[i]!;
    if (id === EOS || (id === undefined && w === '<eos>')) break;
    if (id === PAD || id === BOS || (id === undefined && (w === '<pad>' || w === '<bos>'))) continue;
    if (start < 0) start = i;
    current.push(w);
    if (w === END) close(i + 1, true);
  }
  close(i, false);
  return { sentences, counts: countChecks(sentences) };
}

function isIdList(input: readonly string[] | ArrayLike<number>): input is ArrayLike<number> {
  return input.length > 0 && typeof input[0] === 'number';
}

/** Tally sentence verdicts. */
export function countChecks(checks: readonly SentenceCheck[]): CheckCounts {
  const c: CheckCounts = {
    sentences: checks.length,
    facts: 0,
    trueFacts: 0,
    falseFacts: 0,
    filler: 0,
    invalid: 0,
  };
  for (const s of checks) {
    if (s.kind === 'fact') {
      c.facts++;
      if (s.true) c.trueFacts++;
      else c.falseFacts++;
    } else if (s.kind === 'filler') c.filler++;
    else c.invalid++;
  }
  return c;
}
