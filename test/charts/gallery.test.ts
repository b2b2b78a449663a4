// Screenshots of every chart on real records, light and dark, at 1280 and 360 px wide (written to
// test-results/ to look at), and checks that nothing overflows its figure.
import { describe, expect, it } from 'vitest';
import { gotoHarness, useDevBrowser } from '../helpers/harness-session.ts';
import { watchPage } from '../helpers/watch-page.ts';

const dev = useDevBrowser();

describe('chart gallery', () => {
  for (const [name, width, scheme] of [
    ['charts-light', 1280, 'light'],
    ['charts-dark', 1280, 'dark'],
    ['charts-360', 360, 'light'],
  ] as const)
    it(`${name}: every chart drawn inside its figure, no console errors`, async () => {
      const page = await dev.browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
      const { problems } = watchPage(page, dev.url);
      await gotoHarness(page, `${dev.url}/test/charts/gallery.html`);
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
      expect(problems).toEqual([]);
      await page.close();
    });
});
