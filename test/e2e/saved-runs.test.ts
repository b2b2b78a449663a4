// The built lab's saved runs and charts under load and faults, each in a Chromium profile of its own (on
// disk: storage quotas apply only there). A 10,000-generation import draws every chart, and a live run
// after it still updates every chart. Storage that fills mid-run (Chrome DevTools Protocol quota
// override) keeps the finished generations in the page, offers to free space, and saves every one of
// them once a run is deleted; a reload then shows them all.
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricPanels } from '../../src/charts/panels.ts';
import type { RunRecord } from '../../src/sim/record.ts';
import { QUICK_RUN } from '../charts/fixtures.ts';
import { launchPersistentChromium } from '../helpers/browser.ts';
import { metas, status } from '../helpers/lab-page.ts';
import { buildAndPreview } from '../helpers/preview.ts';
import { expectClean, type SitePage } from '../helpers/site-session.ts';
import { watchPage } from '../helpers/watch-page.ts';

let server: PreviewServer;
let url: string;
const profiles: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ({ server, url } = await buildAndPreview());
  fs.mkdirSync('test-results', { recursive: true });
});
afterAll(async () => {
  for (const close of profiles) await close();
  await server?.close();
});

/** A fresh browser profile and a page of it, watched, on the lab at `?query`. */
async function freshPage(query: string): Promise<SitePage> {
  const { context, close } = await launchPersistentChromium();
  profiles.push(close);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 1280, height: 900 });
  const watch = watchPage(page, url);
  await page.goto(`${url}?${query}`);
  return { page, ...watch };
}

const TINY =
  'preset=quick&entitiesPerKind=4&realDocuments=40&heldOutDocuments=8&documentsPerGeneration=40&probeFacts=8&gen0Epochs=3&backend=wasm';

/** Generations finished on screen, from the run's "Latest: generation N" (the table shows a window of rows). */
const finishedOn = async (page: Page) => {
  const timing = page.locator('[data-testid=progress] .timing');
  const n = (await timing.count())
    ? /Latest: generation (\d+)/.exec((await timing.textContent())!)?.[1]
    : undefined;
  return n === undefined ? 0 : Number(n) + 1;
};

/** Imports `record` as the run file `name`.json and waits until it is listed. */
async function importRun(page: Page, name: string, record: RunRecord): Promise<void> {
  await page.setInputFiles('#import-run', {
    name: `${name}.json`,
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(record)),
  });
  await expect
    .poll(() => page.locator('[data-testid=run-name]').allTextContents(), { timeout: 120_000 })
    .toContain(name);
}

/**
 * What each chart shows, read back from its SVG: the generations of the run on screen's lines (series
 * '0/…', from their markers, drawn up to 25 generations) or generation curves (rank-frequency,
 * histograms), the most points one of its lines has, the loss chart's point count, whether any path's geometry holds NaN, and the chart's error line if it failed.
 */
function charts(page: Page) {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('figure[data-chart]')].map((fig) => {
        const generations = new Set<number>();
        for (const m of fig.querySelectorAll('g.line[data-key^="0/"] path.markers'))
          for (const g of (m.getAttribute('data-generations') ?? '').split(' ').filter(Boolean))
            generations.add(Number(g));
        for (const p of fig.querySelectorAll('.generations path, .histograms path'))
          generations.add(Number(p.getAttribute('data-generation')));
        const paths = [...fig.querySelectorAll('path')].map((p) => p.getAttribute('d') ?? '');
        const strokes = [...fig.querySelectorAll('g.line[data-key^="0/"] path.stroke')];
        return [
          fig.dataset.chart!,
          {
            generations: [...generations].sort((a, b) => a - b),
            vertices: strokes.reduce(
              (n, p) => Math.max(n, (p.getAttribute('d') ?? '').match(/[ML]/g)?.length ?? 0),
              0,
            ),
            lossPoints: Number(fig.querySelector('path.loss')?.getAttribute('data-points') ?? 0),
            nan: paths.some((d) => d.includes('NaN')),
            error: fig.querySelector('[data-testid=chart-error]')?.textContent ?? '',
          },
        ];
      }),
    ),
  );
}

describe('saved runs in the built lab', () => {
  it(
    'draws a 10,000-generation import, and a live run after it still updates every chart',
    { timeout: 600_000 },
    async () => {
      const { page, ...watch } = await freshPage(`${TINY}&generations=1`);
      // 10,000 generations: the quick run's four, again and again, numbered 0 … 9,999.
      // (The config still says 3 generations after generation 0: no config allows 9,999.)
      const huge: RunRecord = {
        ...QUICK_RUN,
        generations: Array.from({ length: 10_000 }, (_, i) => ({
          ...QUICK_RUN.generations[i % 4]!,
          generation: i,
        })),
      };
      await importRun(page, 'ten thousand', huge);
      const item = page.locator('[data-testid=run-item]', { hasText: 'ten thousand' });
      expect(await item.locator('.meta').textContent()).toMatch(/10000\/4 generations/);
      await item.getByRole('button', { name: 'Open' }).click();
      const whole = (c: { generations: number[]; vertices: number }) =>
        c.vertices > 9_000 || (c.generations.at(-1) ?? 0) > 9_000;

      // Every chart draws the whole run (a line of over 9,000 points, or curves past generation 9,000).
      // The stage's primary chart, the metric panels, and the charts of their own kind.
      const names = [
        'story',
        ...metricPanels.map((p) => p.id),
        'popularity',
        'loss',
        'rank-frequency',
        'gen0-perplexity',
      ];
      await expect
        .poll(async () => Object.values(await charts(page)).filter(whole).length, {
          timeout: 240_000,
          interval: 1000,
        })
        .toBe(names.length - 1);
      const drawnHuge = await charts(page);
      expect(drawnHuge.loss!.lossPoints).toBeGreaterThan(0);
      expect(Object.keys(drawnHuge).sort()).toEqual([...names].sort());
      for (const [name, c] of Object.entries(drawnHuge)) {
        expect({ name, error: c.error, nan: c.nan }).toEqual({ name, error: '', nan: false });
        if (name !== 'loss') expect(whole(c), name).toBe(true);
      }

      // A live run (generations 0 and 1) then replaces it on every chart.
      await page.click('button:text-is("Run")');
      await expect.poll(() => status(page), { timeout: 300_000, interval: 500 }).toBe('done');
      await expect
        .poll(
          async () =>
            Object.entries(await charts(page)).every(([name, c]) =>
              name === 'loss' ? c.lossPoints > 0 : c.generations.join() === '0,1',
            ),
          { timeout: 60_000 },
        )
        .toBe(true);
      for (const [name, c] of Object.entries(await charts(page)))
        expect({ name, error: c.error, nan: c.nan }).toEqual({ name, error: '', nan: false });
      expect(await finishedOn(page)).toBe(2);
      expectClean(watch);
    },
  );

  it(
    'storage filling mid-run keeps every finished generation; freeing space saves them all',
    { timeout: 600_000 },
    async () => {
      // Long enough to outlast the quota's delay however fast generations run: 200 of 400 documents.
      const { page, ...watch } = await freshPage(
        `${TINY.replace('documentsPerGeneration=40', 'documentsPerGeneration=400')}&generations=200`,
      );
      // A saved run of about 1 MB (random sample text does not compress), to delete when storage is full.
      let seed = 7;
      const text = Array.from({ length: 1e6 }, () =>
        String.fromCharCode(33 + ((seed = (seed * 48271) % 2147483647) % 90)),
      ).join('');
      await importRun(page, 'old run', {
        ...QUICK_RUN,
        generations: QUICK_RUN.generations.map((g) => ({ ...g, samples: [{ text }] })),
      });

      await page.click('button:text-is("Run")');
      await expect
        .poll(() => finishedOn(page), { timeout: 180_000, interval: 250 })
        .toBeGreaterThanOrEqual(2);
      // Storage is full from now on: the quota becomes half of what is used. (Not all of it: the usage
      // reported can run ahead of what IndexedDB counts.) IndexedDB caches the space it has left for up to
      // 30 s, so the run is long (201 generations) and is stopped once storage is found full.
      const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage!);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Storage.overrideQuotaForOrigin', {
        origin: new URL(url).origin,
        quotaSize: Math.floor(usage / 2),
      });
      const panel = page.locator('[data-testid=storage-full]');
      await expect.poll(() => panel.count(), { timeout: 240_000, interval: 500 }).toBe(1);
      await page.click('button:text-is("Stop")');
      await expect.poll(() => status(page), { timeout: 120_000 }).toBe('stopped');
      // How the panel looks, on a desktop and on a phone (test-results/).
      await panel.screenshot({ path: 'test-results/storage-full-1280.png' });
      await page.setViewportSize({ width: 390, height: 844 });
      await panel.screenshot({ path: 'test-results/storage-full-390.png' });
      await page.setViewportSize({ width: 1280, height: 900 });
      const finished = await finishedOn(page);
      const saved = Number(/(\d+)\/201 generations/.exec((await metas(page))[0]!)?.[1]);
      expect(saved).toBeLessThan(finished);
      const said = (await panel.textContent())!.replace(/\s+/g, ' ');
      expect(said).toContain(
        finished - saved === 1
          ? `generation ${saved} is finished but not saved (${saved} of ${finished} saved)`
          : `generations ${saved}–${finished - 1} are finished but not saved (${saved} of ${finished} saved)`,
      );
      expect(await page.textContent('[role=alert].error')).toMatch(
        /^Browser storage is full, so “.+” could not be saved\./,
      );

      // The panel lists the other run with its size; deleting it saves the stopped run whole, unasked.
      const old = panel.locator('li', { hasText: 'old run' });
      expect(await old.textContent()).toMatch(/old run\s*[1-9][\d.]* MB · 4 generations/);
      await old.getByRole('button', { name: /^Delete old run/ }).click();
      await old.getByRole('button', { name: 'Really delete' }).click();
      await expect.poll(() => panel.count(), { timeout: 30_000 }).toBe(0);
      await expect
        .poll(() => metas(page))
        .toEqual([expect.stringMatching(new RegExp(`^\\s*stopped · ${finished}/201 generations`))]);

      // Nothing shown as finished is lost on reload.
      await page.reload();
      await expect
        .poll(() => metas(page), { timeout: 60_000 })
        .toEqual([expect.stringMatching(new RegExp(`^\\s*stopped · ${finished}/201 generations`))]);
      await page.locator('[data-testid=run-item]').getByRole('button', { name: 'Open' }).click();
      await expect.poll(() => finishedOn(page)).toBe(finished);
      expectClean(watch);
    },
  );

  it(
    'a rename or delete in one tab is kept by the tab running the run, and both lists follow live',
    { timeout: 600_000 },
    async () => {
      const { page: b, ...watchB } = await freshPage(`${TINY}&generations=200`);
      const a = await b.context().newPage();
      const watches = [watchPage(a, url), watchB];
      await a.goto(url);
      await b.click('button:text-is("Run")');
      await expect.poll(() => finishedOn(b), { timeout: 180_000, interval: 250 }).toBeGreaterThanOrEqual(1);

      // Tab A lists the run as running elsewhere, without a reload, and renames it.
      await expect
        .poll(() => metas(a), { timeout: 120_000 })
        .toEqual([expect.stringMatching(/^\s*running in another tab · \d+\/201 generations/)]);
      const item = a.locator('[data-testid=run-item]');
      await item.getByRole('button', { name: 'Rename' }).click();
      await item.getByLabel('New name').fill('renamed in A');
      await item.getByRole('button', { name: 'Save' }).click();
      await expect
        .poll(() => b.locator('[data-testid=run-name]').allTextContents())
        .toEqual(['renamed in A']);

      // B's next generations are saved under A's name, and A's list counts them.
      const before = await finishedOn(b);
      await expect.poll(() => finishedOn(b), { timeout: 180_000, interval: 250 }).toBeGreaterThan(before);
      const done = await finishedOn(b);
      const listedInA = async () => Number(/(\d+)\/201 generations/.exec((await metas(a)).join())?.[1] ?? 0);
      await expect.poll(listedInA, { timeout: 30_000 }).toBeGreaterThanOrEqual(done);
      expect(await a.locator('[data-testid=run-name]').allTextContents()).toEqual(['renamed in A']);

      // A deletes it: B's list empties, and B's later generations bring none of it back.
      await item.getByRole('button', { name: 'Delete' }).click();
      await item.getByRole('button', { name: 'Really delete' }).click();
      await expect.poll(() => metas(b), { timeout: 30_000 }).toEqual([]);
      const atDelete = await finishedOn(b);
      await expect.poll(() => finishedOn(b), { timeout: 180_000, interval: 250 }).toBeGreaterThan(atDelete);
      await b.click('button:text-is("Stop")');
      await expect.poll(() => status(b), { timeout: 120_000 }).toBe('stopped');
      expect(await b.textContent('section[aria-labelledby=runs-heading] .notice')).toBe(
        '“renamed in A” was deleted in another tab, so this tab no longer saves it.',
      );
      await a.reload();
      await expect.poll(() => a.locator('[data-testid=run-item]').count()).toBe(0);
      expect(await metas(a)).toEqual([]);
      expect(await metas(b)).toEqual([]);
      for (const w of watches) expectClean(w);
    },
  );
});
