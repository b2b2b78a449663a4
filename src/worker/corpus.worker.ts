// A small module worker that validates a user corpus off the page's main thread: parsing 5 MB of text
// takes about a second, far too long to block the page (the simulation worker may be busy training).
// It answers with the verdict and counts only, not the parsed documents.
import * as Comlink from 'comlink';
import { parseUserCorpus } from '../world/user-corpus.ts';
import type { CorpusWorkerApi } from './corpus-api.ts';

const api: CorpusWorkerApi = {
  check(input, options) {
    const r = parseUserCorpus(input, options);
    if (!r.ok) return r;
    const { kind, name, text, summary, warnings } = r.corpus;
    return { ok: true, kind, name, text, summary, warnings };
  },
};

Comlink.expose(api);
