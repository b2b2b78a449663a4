// The built app in headless Chromium: it loads, reports its backend, trains in the worker.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { buildAndPreview } from '../helpers/preview.ts';

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

async function open(): Promise<{ page: Page; problems: string[]; outside: string[] }> {
  const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
  const problems: string[] = [];
  const outside: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  page.on(
    'request',
    (r) => !r.url().startsWith(url) && !r.url().startsWith('data:') && outside.push(r.url()),
  );
  await page.goto(url);
  return { page, problems, outside };
}

describe('the built app', () => {
  for (const backend of ['webgpu', 'wasm'] as const) {
    it(
      `shows the ${backend} backend and trains a few steps in the worker`,
      { timeout: 240_000 },
      async () => {
        const { page, problems, outside } = await open();
        await page.selectOption('select', backend);
        await expect
          .poll(() => page.textContent('[data-testid=backend]'), { timeout: 60_000 })
          .toContain(backend);
        await page.click('button');
        // SwiftShader emulates the GPU on the CPU: a couple of steps is proof enough there.
        const done = backend === 'wasm' ? /step 20: loss \d/ : /step [2-9]\d*: loss \d/;
        await expect.poll(() => page.textContent('[data-testid=loss]'), { timeout: 150_000 }).toMatch(done);
        fs.mkdirSync('test-results', { recursive: true });
        await page.screenshot({ path: `test-results/app-${backend}.png` });
        expect(problems).toEqual([]);
        expect(outside).toEqual([]);
        await page.close();
      },
    );
  }
});
