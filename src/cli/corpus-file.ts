// `--corpus FILE [--corpus-kind text|qa-jsonl]`: a user corpus read from disk and validated by the same
// parser the app uses; every problem is a UsageError naming the file.
import path from 'node:path';
import {
  CORPUS_KINDS,
  CORPUS_LIMITS,
  parseUserCorpus,
  type CorpusKind,
  type UserCorpus,
} from '../world/user-corpus.ts';
import { clip } from '../sim/config.ts';
import { UsageError } from './args.ts';
import { FileError, readInputFile } from './input-files.ts';

/** Reads and parses `file`; `kind` undefined or 'auto' detects it (.jsonl or a first line starting with "{"). */
export function readCorpusFile(file: string, kind?: string): UserCorpus {
  const shown = clip(file);
  if (kind !== undefined && kind !== 'auto' && !CORPUS_KINDS.includes(kind as CorpusKind))
    throw new UsageError(`--corpus-kind must be auto, ${CORPUS_KINDS.join(' or ')}, got '${clip(kind)}'`);
  let bytes: Uint8Array;
  try {
    // A regular file only (a device or FIFO would never end, or block), read to the limit plus one byte.
    bytes = readInputFile(
      file,
      `corpus file ${shown}`,
      CORPUS_LIMITS.maxBytes,
      (size) =>
        `--corpus ${shown}: the file is ${size > CORPUS_LIMITS.maxBytes ? 'over ' : ''}${(size / 1e6).toFixed(1)} MB; the limit is ${CORPUS_LIMITS.maxBytes / 1e6} MB`,
    );
  } catch (e) {
    if (e instanceof FileError) throw new UsageError(e.message);
    throw e;
  }
  const r = parseUserCorpus(bytes, {
    kind: (kind ?? 'auto') as CorpusKind | 'auto',
    name: path.basename(file),
  });
  if (!r.ok) throw new UsageError(`--corpus ${shown}: ${r.error}`);
  return r.corpus;
}

/** One line about a corpus for the console. */
export function corpusLine(c: UserCorpus): string {
  const s = c.summary;
  const pairs = s.kind === 'qa-jsonl' ? `, ${s.pairs} Q/A pairs` : '';
  return `corpus ${c.name} (${s.kind}): ${s.documents} documents, ${s.words} words, vocabulary ${s.vocabulary}${pairs}`;
}
