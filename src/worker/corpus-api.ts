// The typed contract between the page and the corpus worker (comlink): the page checks a user corpus
// through `Comlink.Remote<CorpusWorkerApi>` and gets back the verdict and counts, not the documents.
import type { CorpusOptions, UserCorpus } from '../world/user-corpus.ts';

/** The verdict on a corpus, as the page shows it. */
export type CorpusCheck =
  | { ok: false; error: string }
  | ({ ok: true } & Pick<UserCorpus, 'kind' | 'name' | 'text' | 'summary' | 'warnings'>);

export interface CorpusWorkerApi {
  /** Parses `input` (file bytes or pasted text) as a user corpus. */
  check(input: Uint8Array | string, options: CorpusOptions): CorpusCheck;
}
