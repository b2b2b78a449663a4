// The built app in headless Chromium: it opens on the default preset ready to run, finds SwiftShader's
// WebGPU adapter, and trains on WebGPU in the worker. (SwiftShader emulates the GPU on the CPU at several
// seconds a step, so a whole run on WebGPU is left to real GPUs; lab.test.ts runs `quick` on WASM.)
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closeClean, useBuiltSite } from '../helpers/site-session.ts';

const site = useBuiltSite();

describe('the built app', () => {
  it(
    'opens on the default preset, ready to run, and trains on WebGPU in the worker',
    { timeout: 240_000 },
    async () => {
      const { page, ...watch } = await site.openLab('', { viewport: { width: 1100, height: 800 } });
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
      await page.goto(`${site.url}?preset=quick&entitiesPerKind=4&realDocuments=40&backend=webgpu`);
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

      await closeClean(page, watch);
    },
  );
});
