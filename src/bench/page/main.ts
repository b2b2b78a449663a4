// Page side of the browser benchmark: exposes the worker's API on window for Playwright.
import * as Comlink from 'comlink';
import type { BrowserBenchApi } from './bench.worker.ts';

const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
(window as unknown as { bench: Comlink.Remote<BrowserBenchApi> }).bench =
  Comlink.wrap<BrowserBenchApi>(worker);
document.body.dataset.ready = 'true';
