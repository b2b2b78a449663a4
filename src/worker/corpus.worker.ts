// A small module worker that validates a user corpus off the page's main thread: parsing 5 MB of text
// takes about a second, far too long to block the page (the simulation worker may be busy training).
// It answers with the verdict and counts only, not the parsed documents.
import * as Comlink from 'comlink';
import { parseUserCorpus, type CorpusOptions, type UserCorpus } from '../world/user-corpus.ts';

/** The verdict on a corpus, as the page shows it. */
export type CorpusCheck =
  | { ok: false; error: string }
  | ({ ok: true } & Pick<UserCorpus, 'kind' | 'name' | 'text' | 'summary' | 'warnings'>);

const api = {
  check(input: Uint8Array | string, options: CorpusOptions): CorpusCheck {
    const r = parseUserCorpus(input, options);
    if (!r.ok) return r;
    const { kind, name, text, summary, warnings } = r.corpus;
    return { ok: true, kind, name, text, summary, warnings };
  },
};

export type CorpusWorkerApi = typeof api;

Comlink.expose(api);
