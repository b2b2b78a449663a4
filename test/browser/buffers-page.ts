// Page side of the GPU-buffer test: exposes the worker's API on window for Playwright.
import * as Comlink from 'comlink';
import type { BuffersApi } from './buffers.worker.ts';

const worker = new Worker(new URL('./buffers.worker.ts', import.meta.url), { type: 'module' });
(window as unknown as { buffers: Comlink.Remote<BuffersApi> }).buffers = Comlink.wrap<BuffersApi>(worker);
document.body.dataset.ready = 'true';
