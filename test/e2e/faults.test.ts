// Faults in the built lab: the simulation worker crashes mid-run (an uncaught exception thrown inside
// it), then the tab is reloaded mid-run. The crash is shown, the run is kept up to its last completed
// generation in IndexedDB, a new run starts without reloading, and a reload keeps what had finished.
import type { Browser, Page, Worker } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { buildAndPreview } from '../helpers/preview.ts';
import { watchPage } from '../helpers/watch-page.ts';

let server: PreviewServer;
let url: string;
let browser: Browser;

beforeAll(async () => {
  ({ server, url } = await buildAndPreview());
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const TINY =
  'preset=quick&entitiesPerKind=4&realDocuments=40&heldOutDocuments=8&documentsPerGeneration=40&probeFacts=8&gen0Epochs=3&generations=5&backend=wasm';

const status = (page: Page) => page.getAttribute('[data-testid=status]', 'data-status');
const rows = (page: Page) => page.locator('[data-testid=generation-row]').count();
const metas = (page: Page) => page.locator('[data-testid=run-item] .meta').allTextContents();

async function simulationWorker(page: Page): Promise<Worker> {
  await expect.poll(() => page.workers().some((w) => w.url().includes('simulation.worker'))).toBe(true);
  return page.workers().find((w) => w.url().includes('simulation.worker'))!;
}

describe('faults in the lab', () => {
  it(
    'a crashed worker shows an error and keeps completed generations; a new run starts; a reload keeps them',
    { timeout: 300_000 },
    async () => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
      const { problems, outside } = watchPage(page, url);
      await page.goto(`${url}?${TINY}`);
      await page.click('button:text-is("Run")');
      await expect.poll(() => rows(page), { timeout: 120_000, interval: 250 }).toBeGreaterThanOrEqual(1);

      // The fault: an exception thrown in the worker, outside any promise the run loop awaits.
      const worker = await simulationWorker(page);
      await worker.evaluate(() => {
        setTimeout(() => {
          throw new Error('injected crash');
        });
      });
      await expect.poll(() => status(page), { timeout: 30_000 }).toBe('failed');
      const kept = await rows(page);
      expect(kept).toBeGreaterThanOrEqual(1);
      expect(await page.textContent('[role=alert].error')).toMatch(
        /The simulation worker crashed \(.*injected crash\)\. Completed generations are saved/,
      );
      // Saved as failed, with the completed generations.
      await expect
        .poll(() => metas(page))
        .toEqual([expect.stringMatching(new RegExp(`^\\s*failed · ${kept}/6 generations`))]);

      // A new run starts on a fresh worker, without reloading the page.
      await page.click('button:text-is("Run")');
      await expect.poll(() => status(page), { timeout: 60_000 }).toBe('running');
      await expect.poll(() => rows(page), { timeout: 120_000, interval: 250 }).toBeGreaterThanOrEqual(1);
      const second = await rows(page);

      // Reload mid-run: both runs are still listed with what had finished.
      await page.reload();
      await expect.poll(() => metas(page), { timeout: 30_000 }).toHaveLength(2);
      const [newest, oldest] = await metas(page);
      const done = Number(/(\d+)\/6 generations/.exec(newest!)?.[1]);
      expect(done).toBeGreaterThanOrEqual(second);
      expect(oldest).toMatch(new RegExp(`failed · ${kept}/6 generations`));

      // The only problems reported are the injected crash itself.
      expect(problems.filter((p) => !p.includes('injected crash'))).toEqual([]);
      expect(outside).toEqual([]);
      await page.close();
    },
  );

  it(
    'a WebGPU device lost mid-run (device.destroy()) moves the run to WASM, tells the user, and finishes',
    { timeout: 300_000 },
    async () => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
      const { problems, outside } = watchPage(page, url);
      await page.goto(`${url}?${TINY.replace('generations=5', 'generations=1').replace('wasm', 'webgpu')}`);
      // Keep a handle on the device onnxruntime will create, to destroy it mid-run.
      const worker = await simulationWorker(page);
      await worker.evaluate(() => {
        const request = GPUAdapter.prototype.requestDevice;
        GPUAdapter.prototype.requestDevice = async function (this: GPUAdapter, d?: GPUDeviceDescriptor) {
          const device = await request.call(this, d);
          (globalThis as { __device?: GPUDevice }).__device = device;
          return device;
        };
      });
      await page.click('button:text-is("Run")');
      await expect
        .poll(() => page.textContent('[data-testid=status]'), { timeout: 180_000, interval: 250 })
        .toMatch(/generation 0: training [2-9]\d*\//);
      expect(await page.textContent('[data-testid=backend]')).toMatch(/This run: webgpu/);
      await worker.evaluate(() => (globalThis as { __device?: GPUDevice }).__device!.destroy());

      await expect
        .poll(() => page.textContent('[data-testid=run-notice]'), { timeout: 30_000 })
        .toMatch(
          /^The GPU was lost during generation 0 \(.+\)\. The run goes on on WASM \(CPU\), from the start of generation 0\.$/,
        );
      await expect.poll(() => status(page), { timeout: 180_000, interval: 500 }).toBe('done');
      expect(await rows(page)).toBe(2);
      expect(await page.textContent('[data-testid=backend]')).toMatch(
        /This run: wasm — WASM \(CPU\) after the WebGPU device was lost/,
      );
      await expect.poll(() => metas(page)).toEqual([expect.stringMatching(/done · 2\/2 generations · wasm/)]);
      expect(await page.locator('[role=alert].error').count()).toBe(0);
      expect(problems).toEqual([]);
      expect(outside).toEqual([]);
      await page.close();
    },
  );
});
