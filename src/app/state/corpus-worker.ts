// The page's corpus checker worker, started on first use.
import * as Comlink from 'comlink';
import type { CorpusWorkerApi } from '../../worker/corpus-api.ts';

let remote: Comlink.Remote<CorpusWorkerApi> | undefined;

/** The corpus worker's API. The worker is created the first time this is called. */
export function corpusWorker(): Comlink.Remote<CorpusWorkerApi> {
  // Vite bundles the worker because the URL is written inline here.
  remote ??= Comlink.wrap<CorpusWorkerApi>(
    new Worker(new URL('../../worker/corpus.worker.ts', import.meta.url), { type: 'module' }),
  );
  return remote;
}
