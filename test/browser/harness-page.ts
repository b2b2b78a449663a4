// Page side of the engine harness: exposes the worker's API on window for Playwright.
import * as Comlink from 'comlink';
import type { HarnessApi } from './harness.worker.ts';

const worker = new Worker(new URL('./harness.worker.ts', import.meta.url), { type: 'module' });
(window as unknown as { harness: Comlink.Remote<HarnessApi> }).harness = Comlink.wrap<HarnessApi>(worker);
document.body.dataset.ready = 'true';
