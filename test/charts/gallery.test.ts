// Screenshots of every chart on real records, light and dark, at 1280 and 360 px wide (written to
// test-results/ to look at), and checks that nothing overflows its figure.
import type { Browser } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { startViteServer } from '../helpers/vite-server.ts';

let server: ViteDevServer;
let browser: Browser;
let url: string;

beforeAll(async () => {
  ({ server, url } = await startViteServer());
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('chart gallery', () => {
  for (const [name, width, scheme] of [
    ['charts-light', 1280, 'light'],
    ['charts-dark', 1280, 'dark'],
    ['charts-360', 360, 'light'],
  ] as const)
    it(`${name}: every chart drawn inside its figure, no console errors`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${url}/test/charts/gallery.html`);
      await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
      await page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
      const figures = await page.evaluate(() =>
        [...document.querySelectorAll('figure')].map((f) => {
          const box = f.getBoundingClientRect();
          const svg = f.querySelector('svg')!;
          const content = [...svg.querySelectorAll('text, path, line, rect')].map((e) =>
            e.getBoundingClientRect(),
          );
          return {
            label: svg.getAttribute('aria-label') ?? '',
            overflow: content.some((r) => r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1)),
          };
        }),
      );
      expect(figures).toHaveLength(13);
      for (const f of figures) {
        expect(f.overflow, f.label).toBe(false);
        expect(f.label).not.toMatch(/no data yet/);
      }
      expect(errors).toEqual([]);
      await page.close();
    });
});
