/**
 * Your own corpus: plain text, or question/answer pairs as JSONL, validated and turned into documents
 * the loop can train on. Pure and browser-safe (no Node APIs): the app validates as you type, the
 * worker and the CLI parse the same input the same way.
 *
 * Plain text: paragraphs (split on blank lines; on single lines when there are fewer than
 * MIN_DOCUMENTS paragraphs) cut at sentence ends into documents of at most DOCUMENT_WORDS words.
 * Q/A JSONL: one object per line with string fields `question` and `answer` (or `q` and `a`); each
 * pair becomes one document in the project's Q/A format, "question : … ? answer : … .", and a probe.
 */

/** What the input holds. */
export type CorpusKind = 'text' | 'qa-jsonl';
export const CORPUS_KINDS: readonly CorpusKind[] = ['text', 'qa-jsonl'];

/** The limits input is held to (documented in the README). */
export const CORPUS_LIMITS = {
  /** Largest input, in bytes of UTF-8 (5 MB). */
  maxBytes: 5_000_000,
  /** Longest line, in characters. */
  maxLineChars: 20_000,
  /** Fewest documents (Q/A pairs for JSONL) after parsing: one tenth is held out for perplexity. */
  minDocuments: 10,
  /** Fewest words in all. */
  minWords: 50,
  /** Most words a plain-text document holds (a sentence longer than this is cut). */
  documentWords: 60,
  /** Most distinct words kept (special tokens aside); rarer words become <unk>. */
  maxVocabulary: 2000,
  /** Share of control characters (other than tab and line breaks) above which input counts as binary. */
  maxControlShare: 0.01,
  /** Longest answer (in words) that is probed; longer pairs are trained on but not asked. */
  maxAnswerWords: 8,
} as const;

/** One question/answer pair, as words, and the JSONL line it came from. */
export interface QaPair {
  question: string[];
  answer: string[];
  line: number;
}

/** Counts shown before a run and kept in its record. */
export interface CorpusSummary {
  kind: CorpusKind;
  /** Size of the input in bytes of UTF-8. */
  bytes: number;
  documents: number;
  /** Word tokens (punctuation marks count as words) in all documents. */
  words: number;
  /** Distinct words kept in the vocabulary. */
  vocabulary: number;
  /** Distinct words in the input. */
  distinctWords: number;
  /** Share of word tokens that fall outside the vocabulary (become <unk>). */
  unknownShare: number;
  /** Q/A pairs (0 for plain text). */
  pairs: number;
}

/** A parsed, valid corpus. */
export interface UserCorpus {
  kind: CorpusKind;
  /** The file name, or "pasted text". */
  name: string;
  /** The input as text (a byte-order mark removed). */
  text: string;
  /** Every document's words; for Q/A, document i is pair i. */
  documents: string[][];
  pairs: QaPair[];
  /** Words kept, most frequent first (ties: first seen first); answer words come before all others. */
  vocabulary: string[];
  summary: CorpusSummary;
  /** Things worth knowing that do not stop a run (e.g. words that became <unk>). */
  warnings: string[];
}

export type CorpusParse = { ok: true; corpus: UserCorpus } | { ok: false; error: string };

export interface CorpusOptions {
  /** What the input holds; `auto` (default): JSONL when the name ends in .jsonl or the first line starts with "{". */
  kind?: CorpusKind | 'auto';
  name?: string;
}

/**
 * Scripts written without spaces between words (Chinese, Japanese kana, Thai, Lao, Khmer, Myanmar):
 * their text has no word boundaries to split on, so each character (with its combining marks) is a
 * word of its own — a character-level model of those scripts rather than one "word" per line.
 */
const UNSPACED = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}`;
const LETTER = String.raw`(?:(?![${UNSPACED}])[\p{L}\p{N}\p{M}])`;
const WORDS = new RegExp(
  String.raw`${LETTER}+(?:['’-]${LETTER}+)*|[${UNSPACED}]\p{M}*|[^\s\p{L}\p{N}\p{M}]`,
  'gu',
);
const UNSPACED_CHAR = new RegExp(`[${UNSPACED}]`, 'gu');

/**
 * Words of user text: lowercase letters and digits (with inner ' or -), each character of a script
 * written without spaces (UNSPACED), and each other mark on its own.
 */
export function splitText(text: string): string[] {
  return text.normalize('NFC').toLowerCase().match(WORDS) ?? [];
}

/** Characters of `text` in scripts written without spaces. */
export const unspacedCharacters = (text: string): number => text.match(UNSPACED_CHAR)?.length ?? 0;

const fmt = (n: number) => n.toLocaleString('en');
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const SENTENCE_END = new Set(['.', '!', '?', '。', '！', '？']);

/** Offset of the first byte that breaks UTF-8, or -1. */
function badUtf8Offset(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const x = b[i]!;
    const n =
      x < 0x80
        ? 0
        : x >= 0xc2 && x <= 0xdf
          ? 1
          : x >= 0xe0 && x <= 0xef
            ? 2
            : x >= 0xf0 && x <= 0xf4
              ? 3
              : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) {
      const y = b[i + k];
      if (y === undefined || (y & 0xc0) !== 0x80) return i;
    }
    // Overlong forms, surrogates and code points past U+10FFFF.
    const y = b[i + 1] ?? 0;
    if (
      (x === 0xe0 && y < 0xa0) ||
      (x === 0xed && y > 0x9f) ||
      (x === 0xf0 && y < 0x90) ||
      (x === 0xf4 && y > 0x8f)
    )
      return i;
    i += n + 1;
  }
  return -1;
}

const BINARY = 'This looks like a binary file, not text';

/** Bytes or text → validated text, or the problem with it. */
function decode(
  input: Uint8Array | string,
): { ok: true; text: string; bytes: number } | { ok: false; error: string } {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  if (bytes.length > CORPUS_LIMITS.maxBytes)
    return {
      ok: false,
      error: `The input is too large: ${mb(bytes.length)} (${fmt(bytes.length)} bytes); the limit is ${mb(CORPUS_LIMITS.maxBytes)}.`,
    };
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { ok: false, error: `${BINARY}: it holds a NUL byte at byte ${fmt(nul)}.` };
  let text: string;
  if (typeof input === 'string') text = input.replace(/^\uFEFF/, '');
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      const at = badUtf8Offset(bytes);
      const line = new TextDecoder().decode(bytes.subarray(0, Math.max(0, at))).split('\n').length;
      return {
        ok: false,
        error:
          `The input is not valid UTF-8: byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')} at byte ` +
          `${fmt(at)} (line ${line}) starts no character. Save the file as UTF-8 text and try again.`,
      };
    }
  }
  // eslint-disable-next-line no-control-regex
  const controls = text.match(/[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f]/g)?.length ?? 0;
  if (controls > Math.max(2, text.length * CORPUS_LIMITS.maxControlShare))
    return {
      ok: false,
      error: `${BINARY}: ${fmt(controls)} of its ${fmt(text.length)} characters are control characters.`,
    };
  if (text.length === 0) return { ok: false, error: 'The input is empty: paste text or choose a file.' };
  if (text.trim().length === 0)
    return { ok: false, error: 'The input holds only whitespace: there is no text to train on.' };
  const lines = text.split('\n');
  const long = lines.findIndex((l) => l.length > CORPUS_LIMITS.maxLineChars);
  if (long >= 0)
    return {
      ok: false,
      error: `Line ${long + 1} is ${fmt(lines[long]!.length)} characters long; the limit is ${fmt(CORPUS_LIMITS.maxLineChars)} per line.`,
    };
  return { ok: true, text, bytes: bytes.length };
}

/** Plain text → documents of whole sentences, at most `documentWords` words each. */
export function textDocuments(text: string): string[][] {
  const paragraphs = text.split(/\r?\n[^\S\n]*\r?\n/).filter((p) => p.trim());
  const units =
    paragraphs.length >= CORPUS_LIMITS.minDocuments ? paragraphs : text.split('\n').filter((l) => l.trim());
  const docs: string[][] = [];
  const max = CORPUS_LIMITS.documentWords;
  for (const unit of units) {
    let doc: string[] = [];
    let sentence: string[] = [];
    const close = () => {
      if (doc.length + sentence.length > max && doc.length) {
        docs.push(doc);
        doc = [];
      }
      for (let i = 0; i < sentence.length; i += max) {
        const piece = sentence.slice(i, i + max);
        if (piece.length === max) docs.push(piece);
        else for (const w of piece) doc.push(w);
      }
      sentence = [];
    };
    for (const w of splitText(unit)) {
      sentence.push(w);
      if (SENTENCE_END.has(w)) close();
    }
    close();
    if (doc.length) docs.push(doc);
  }
  return docs;
}

/** The words of a Q/A pair as a document in the project's Q/A format. */
export function qaDocument(p: Pick<QaPair, 'question' | 'answer'>): string[] {
  return [...qaPrompt(p.question), ...p.answer, '.'];
}

/** The probe prompt of a question: "question : … ? answer :". */
export function qaPrompt(question: readonly string[]): string[] {
  return ['question', ':', ...question, '?', 'answer', ':'];
}

/** Words with trailing sentence marks removed ("paris ." → "paris"). */
const trimEnd = (words: string[]) => {
  let n = words.length;
  while (n > 0 && SENTENCE_END.has(words[n - 1]!)) n--;
  return words.slice(0, n);
};

const describe = (x: unknown) => (x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x);

/** JSONL → pairs, or the first bad line (and how many more there are). */
function parseJsonl(text: string): { ok: true; pairs: QaPair[] } | { ok: false; error: string } {
  const pairs: QaPair[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const n = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      problems.push(`line ${n} is not valid JSON (${(e as Error).message.slice(0, 80)})`);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`line ${n} is ${describe(value)}, not an object like {"question": "…", "answer": "…"}`);
      return;
    }
    const o = value as Record<string, unknown>;
    const fields: string[][] = [];
    for (const [long, short] of [
      ['question', 'q'],
      ['answer', 'a'],
    ] as const) {
      const key = long in o ? long : short in o ? short : null;
      if (key === null) {
        problems.push(`line ${n} has no "${long}" field`);
        return;
      }
      const x = o[key];
      if (typeof x !== 'string') {
        problems.push(`line ${n}: "${key}" must be a string, got ${describe(x)}`);
        return;
      }
      const words = trimEnd(splitText(x));
      if (!words.length) {
        problems.push(`line ${n}: "${key}" has no words`);
        return;
      }
      fields.push(words);
    }
    pairs.push({ question: fields[0]!, answer: fields[1]!, line: n });
  });
  if (problems.length) {
    const more = problems.length > 1 ? ` (and ${fmt(problems.length - 1)} more bad lines)` : '';
    return { ok: false, error: `Not valid Q/A JSONL: ${problems[0]}${more}.` };
  }
  return { ok: true, pairs };
}

/** Most frequent words first, answer words before everything else, capped at `maxVocabulary`. */
function buildVocabulary(docs: readonly string[][], priority: readonly string[][]) {
  const counts = new Map<string, number>();
  for (const d of docs) for (const w of d) counts.set(w, (counts.get(w) ?? 0) + 1);
  const first = new Set(priority.flat());
  const order = [...counts.keys()];
  const rank = new Map(order.map((w, i) => [w, i]));
  order.sort(
    (a, b) =>
      Number(first.has(b)) - Number(first.has(a)) ||
      counts.get(b)! - counts.get(a)! ||
      rank.get(a)! - rank.get(b)!,
  );
  const vocabulary = order.slice(0, CORPUS_LIMITS.maxVocabulary);
  let unknown = 0;
  for (const w of order.slice(CORPUS_LIMITS.maxVocabulary)) unknown += counts.get(w)!;
  return { vocabulary, distinct: order.length, unknown };
}

/** Which kind of input this is, when not told. */
export function detectKind(text: string, name = ''): CorpusKind {
  if (/\.jsonl$/i.test(name)) return 'qa-jsonl';
  if (/\.(txt|md|text)$/i.test(name)) return 'text';
  return text.trimStart().startsWith('{') ? 'qa-jsonl' : 'text';
}

/** Validate and parse user input: every failure is one readable sentence naming the problem. */
export function parseUserCorpus(input: Uint8Array | string, options: CorpusOptions = {}): CorpusParse {
  const name = options.name ?? 'pasted text';
  const decoded = decode(input);
  if (!decoded.ok) return decoded;
  const { text, bytes } = decoded;
  const kind = !options.kind || options.kind === 'auto' ? detectKind(text, options.name) : options.kind;
  let documents: string[][];
  let pairs: QaPair[] = [];
  if (kind === 'qa-jsonl') {
    const r = parseJsonl(text);
    if (!r.ok) return r;
    pairs = r.pairs;
    documents = pairs.map(qaDocument);
  } else documents = textDocuments(text);
  const unit = kind === 'qa-jsonl' ? 'Q/A pairs' : 'documents';
  if (documents.length < CORPUS_LIMITS.minDocuments)
    return {
      ok: false,
      error:
        `Too little to train on: ${fmt(documents.length)} ${unit}; at least ${CORPUS_LIMITS.minDocuments} are needed` +
        (kind === 'text' ? ' (separate documents by blank lines, or put one per line).' : ' (one per line).'),
    };
  const words = documents.reduce((n, d) => n + d.length, 0);
  if (words < CORPUS_LIMITS.minWords)
    return {
      ok: false,
      error: `Too little to train on: ${fmt(words)} words; at least ${CORPUS_LIMITS.minWords} are needed.`,
    };
  const { vocabulary, distinct, unknown } = buildVocabulary(
    documents,
    pairs.map((p) => p.answer),
  );
  const warnings: string[] = [];
  if (unknown > 0)
    warnings.push(
      `${fmt(distinct - vocabulary.length)} rare words (${((unknown / words) * 100).toFixed(1)}% of the text) ` +
        `become <unk>: the vocabulary is capped at ${fmt(CORPUS_LIMITS.maxVocabulary)} words.`,
    );
  const unspaced = unspacedCharacters(text);
  if (unspaced > 0)
    warnings.push(
      `${fmt(unspaced)} characters are in scripts written without spaces (Chinese, Japanese, Thai…): ` +
        'each of them counts as one word, so the model learns those scripts character by character.',
    );
  const long = pairs.filter((p) => p.answer.length > CORPUS_LIMITS.maxAnswerWords).length;
  if (long > 0)
    warnings.push(
      `${fmt(long)} answers are longer than ${CORPUS_LIMITS.maxAnswerWords} words: they are trained on but not asked.`,
    );
  const summary: CorpusSummary = {
    kind,
    bytes,
    documents: documents.length,
    words,
    vocabulary: vocabulary.length,
    distinctWords: distinct,
    unknownShare: unknown / words,
    pairs: pairs.length,
  };
  return { ok: true, corpus: { kind, name, text, documents, pairs, vocabulary, summary, warnings } };
}
