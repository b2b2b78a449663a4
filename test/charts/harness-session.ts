// One headless Chromium page on the chart harness, shared by the chart test files: each file that calls
// useChartHarness() gets a fresh server, browser and page, and fails a test that logs a page error.
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { startViteServer } from '../helpers/vite-server.ts';

export function useChartHarness(): { page: () => Page; frames: () => Promise<unknown> } {
  let server: ViteDevServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    const s = await startViteServer();
    server = s.server;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${s.url}/test/charts/harness.html`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  beforeEach(() => {
    errors.length = 0;
  });

  afterEach(() => {
    expect(errors, 'errors in the page console').toEqual([]);
  });

  return {
    page: () => page,
    /** Waits for two animation frames (ResizeObserver and the loss chart draw on the next one). */
    frames: () =>
      page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))),
  };
}
