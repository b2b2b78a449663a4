// The built app in headless Chromium: it opens on the default preset ready to run, finds SwiftShader's
// WebGPU adapter, and trains on WebGPU in the worker. (SwiftShader emulates the GPU on the CPU at several
// seconds a step, so a whole run on WebGPU is left to real GPUs; lab.test.ts runs `quick` on WASM.)
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBuiltSite, openBuiltSite } from '../helpers/preview.ts';
import { watchPage } from '../helpers/watch-page.ts';

let server: PreviewServer;
let url: string;
let browser: Browser;

beforeAll(async () => {
  ({ server, url, browser } = await openBuiltSite());
});
afterAll(() => closeBuiltSite(server, browser));

describe('the built app', () => {
  it(
    'opens on the default preset, ready to run, and trains on WebGPU in the worker',
    { timeout: 240_000 },
    async () => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
      const { problems, outside } = watchPage(page, url);

      await page.goto(url);
      expect(await page.inputValue('#preset')).toBe('default');
      expect(await page.isEnabled('button:text-is("Run")')).toBe(true);
      expect(await page.getAttribute('[data-testid=status]', 'data-status')).toBe('idle');
      // The preview server sends the app's COOP/COEP headers: the page may run WASM on several threads.
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      await expect
        .poll(() => page.textContent('[data-testid=backend-probe]'), { timeout: 60_000 })
        .toMatch(
          /Next run: (WASM|WebGPU) — WASM: .+ tokens\/s; WebGPU \(software adapter, SwiftShader\): .+ — using /,
        );

      // The smallest model and world, so that SwiftShader gets through its first steps quickly.
      await page.goto(`${url}?preset=quick&entitiesPerKind=4&realDocuments=40&backend=webgpu`);
      await page.click('button:text-is("Run")');
      await expect
        .poll(() => page.textContent('[data-testid=backend]'), { timeout: 60_000 })
        .toMatch(/This run: webgpu — WebGPU on .*swiftshader.* \(a software adapter, on the CPU\)/i);
      await expect
        .poll(() => page.textContent('[data-testid=status]'), { timeout: 180_000, interval: 500 })
        .toMatch(/generation 0: training [2-9]\d*\//);
      fs.mkdirSync('test-results', { recursive: true });
      await page.screenshot({ path: 'test-results/app-webgpu.png' });
      await page.click('button:text-is("Stop")');
      await expect
        .poll(() => page.getAttribute('[data-testid=status]', 'data-status'), { timeout: 60_000 })
        .toBe('stopped');

      expect(problems).toEqual([]);
      expect(outside).toEqual([]);
      await page.close();
    },
  );
});
