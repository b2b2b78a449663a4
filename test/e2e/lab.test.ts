// The built lab in headless Chromium on WASM: run `quick` to the end with a pause in the middle, stop and
// start again, saved runs, export then import, and the URL as the config's source of truth.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseRecord, recordWithoutTimings, type RunRecord } from '../../src/sim/record.ts';
import { rows, status } from '../helpers/lab-page.ts';
import { closeClean, useBuiltSite } from '../helpers/site-session.ts';

const OUT = 'test-results';
const site = useBuiltSite();

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const runItems = (page: Page) => page.locator('[data-testid=run-item]');

async function waitForStatus(page: Page, want: string | RegExp, timeout = 200_000): Promise<void> {
  await expect.poll(() => status(page), { timeout, interval: 250 }).toMatch(want);
}

/** Clicks `name` on the run item called `run` and returns the downloaded file's text. */
async function downloadFrom(page: Page, run: string, name: string): Promise<{ file: string; text: string }> {
  const item = runItems(page)
    .filter({ has: page.getByText(run, { exact: true }) })
    .first();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    item.getByRole('button', { name }).click(),
  ]);
  const file = path.join(OUT, download.suggestedFilename());
  await download.saveAs(file);
  return { file, text: fs.readFileSync(file, 'utf8') };
}

/** The charts, by their figure's data-chart. */
const CHARTS = [
  'story',
  'accuracy',
  'popularity',
  'quality',
  'loss',
  'entropy',
  'perplexity',
  'rank-frequency',
  'gen0-perplexity',
  'diversity',
  'calibration',
];

/**
 * What each chart draws, read back from its SVG: per line of the run on screen (series keys '0/…'), the
 * generations that have a marker; per generation line (rank-frequency, histograms), its generation;
 * and the loss chart's points.
 */
async function drawn(page: Page) {
  return page.evaluate(() => {
    const charts: Record<string, { lines: Record<string, number[]>; generations: number[] }> = {};
    for (const fig of document.querySelectorAll<HTMLElement>('figure[data-chart]')) {
      const lines: Record<string, number[]> = {};
      for (const g of fig.querySelectorAll('g.line[data-key^="0/"]'))
        lines[g.getAttribute('data-key')!] = (
          g.querySelector('path.markers')!.getAttribute('data-generations') ?? ''
        )
          .split(' ')
          .filter(Boolean)
          .map(Number);
      const generations = [...fig.querySelectorAll('.generations path, .histograms path')].map((p) =>
        Number(p.getAttribute('data-generation')),
      );
      charts[fig.dataset.chart!] = { lines, generations };
    }
    const loss = Number(document.querySelector('[data-chart=loss] path.loss')?.getAttribute('data-points'));
    return { charts, loss };
  });
}

/** Checks that every chart has one point per finished generation (0 … n - 1); returns the loss chart's points. */
async function expectChartsFor(page: Page, n: number): Promise<number> {
  const all = Array.from({ length: n }, (_, i) => i);
  // Charts draw one to an animation frame: wait until each covers every generation.
  const union = (c: { lines: Record<string, number[]> }) => new Set(Object.values(c.lines).flat());
  const covers = (c: { lines: Record<string, number[]>; generations: number[] }) =>
    (c.generations.length ? c.generations : [...union(c)].sort((a, b) => a - b)).join() === all.join();
  const ready = async () =>
    Object.entries((await drawn(page)).charts).every(([k, c]) => k === 'loss' || covers(c));
  await expect.poll(ready).toBe(true);
  const { charts, loss } = await drawn(page);
  expect(Object.keys(charts).sort()).toEqual([...CHARTS].sort());
  for (const [name, chart] of Object.entries(charts)) {
    if (name === 'loss') continue;
    if (name === 'rank-frequency' || name === 'gen0-perplexity') {
      expect(chart.generations, name).toEqual(all);
      continue;
    }
    // Each line has at most one point per generation, and together they cover every generation.
    const lines = Object.values(chart.lines);
    expect(lines.length, name).toBeGreaterThan(0);
    for (const l of lines) expect(new Set(l).size, name).toBe(l.length);
    expect(
      [...new Set(lines.flat())].sort((a, b) => a - b),
      name,
    ).toEqual(all);
  }
  expect(charts.accuracy!.lines['0/accuracy']).toEqual(all);
  return loss;
}

/** Clicks a chart's export button and returns the downloaded file. */
async function downloadChart(page: Page, title: string, format: 'SVG' | 'PNG') {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    button(page, `Download the ${title} chart as ${format}`).click(),
  ]);
  const file = path.join(OUT, download.suggestedFilename());
  await download.saveAs(file);
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(file) };
}

function record(text: string): RunRecord {
  const r = parseRecord(JSON.parse(text));
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.record;
}

describe('the lab', () => {
  it(
    'runs quick on WASM with pause and resume, stops, starts again, saves, exports and imports',
    { timeout: 420_000 },
    async () => {
      const { page, ...watch } = await site.openLab('preset=quick&backend=wasm', {
        viewport: { width: 1280, height: 900 },
      });
      // Long main-thread tasks during the run: the page must stay responsive while the worker trains.
      await page.evaluate(() => {
        const w = window as unknown as { longTasks: number[] };
        w.longTasks = [];
        new PerformanceObserver((l) => l.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({
          type: 'longtask',
        });
      });
      await expect.poll(() => page.textContent('[data-testid=backend-probe]')).toMatch(/Next run: WASM/);
      expect(await status(page)).toBe('idle');

      // Run A: pause in the middle of generation 0's training, check it holds, resume to the end.
      await button(page, 'Run').click();
      await expect
        .poll(
          async () =>
            Number(
              /generation 0: training (\d+)/.exec(
                (await page.textContent('[data-testid=status]')) ?? '',
              )?.[1] ?? 0,
            ),
          {
            timeout: 60_000,
            interval: 100,
          },
        )
        .toBeGreaterThanOrEqual(20);
      await button(page, 'Pause').click();
      await waitForStatus(page, 'paused', 30_000);
      // The loss chart follows the generation in progress.
      await expect.poll(async () => (await drawn(page)).loss).toBeGreaterThanOrEqual(20);
      const heldAt = await page.textContent('[data-testid=status]');
      await page.waitForTimeout(1500);
      expect(await page.textContent('[data-testid=status]')).toBe(heldAt);
      expect(await rows(page)).toBe(0);
      await button(page, 'Resume').click();
      await waitForStatus(page, 'done');
      // quick: generation 0 and 3 more, one row each
      expect(await rows(page)).toBe(4);
      expect(await page.getAttribute('progress', 'value')).toBe('1');
      // Cross-origin isolated (the preview server's headers): the threaded WASM build ran the whole run.
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      expect(await page.textContent('[data-testid=backend]')).toMatch(/This run: wasm — .*\d+ WASM threads?/);
      expect(await page.locator('[data-testid=probes] tbody tr').count()).toBeGreaterThan(0);
      expect(await page.locator('[data-testid=samples] li').count()).toBe(4);
      expect(await expectChartsFor(page, 4)).toBeGreaterThan(0);
      await page.screenshot({ path: `${OUT}/lab-wasm.png`, fullPage: true });

      // Export a chart: a well-formed standalone SVG, and a PNG.
      const svg = await downloadChart(page, 'accuracy', 'SVG');
      expect(svg.name).toBe('quick-accuracy.svg');
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return {
          root: doc.documentElement.localName,
          errors: doc.getElementsByTagName('parsererror').length,
          lines: doc.querySelectorAll('g.line').length,
        };
      }, svg.bytes.toString('utf8'));
      expect(parsed).toEqual({ root: 'svg', errors: 0, lines: expect.any(Number) });
      expect(parsed.lines).toBeGreaterThan(0);
      const png = await downloadChart(page, 'rank–frequency', 'PNG');
      expect(png.name).toBe('quick-rank-frequency.png');
      expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
      console.log(
        `longest main-thread task during the run: ${Math.max(0, ...longTasks).toFixed(0)} ms (all over 50 ms: ${longTasks.map((t) => t.toFixed(0)).join(', ') || 'none'})`,
      );

      // Run B: one generation at a time, then stopped in the middle of generation 1.
      await button(page, 'Step one generation').click();
      await waitForStatus(page, 'paused', 60_000);
      expect(await rows(page)).toBe(1);
      expect(await button(page, 'Run').isDisabled()).toBe(true);
      await button(page, 'Resume').click();
      await expect
        .poll(() => page.textContent('[data-testid=status]'), { timeout: 60_000, interval: 100 })
        .toMatch(/generation 1: (training|writing)/);
      await button(page, 'Stop').click();
      await waitForStatus(page, 'stopped', 30_000);
      expect(await rows(page)).toBe(1);
      await expectChartsFor(page, 1);

      // Run C: started again after the stop, uninterrupted.
      await button(page, 'Run').click();
      await waitForStatus(page, 'done');
      expect(await rows(page)).toBe(4);
      // The finished run on a phone: tables scroll inside their own regions, not the page.
      await page.setViewportSize({ width: 360, height: 800 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await page.screenshot({ path: `${OUT}/lab-360-run.png`, fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: `${OUT}/lab-dark-run.png`, fullPage: true });
      await page.emulateMedia({ colorScheme: 'light' });

      await expect.poll(() => runItems(page).count()).toBe(3);
      const meta = await runItems(page).locator('.meta').allTextContents();
      expect(meta.map((m) => m.split(' · ').slice(0, 2).join(' · '))).toEqual([
        'done · 4/4 generations',
        'stopped · 1/4 generations',
        'done · 4/4 generations',
      ]);

      // Rename the first run; export both finished runs: a paused-and-resumed run equals an uninterrupted one.
      const first = runItems(page).nth(2);
      await first.getByRole('button', { name: 'Rename' }).click();
      await first.getByLabel('New name').fill('paused run');
      await first.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => first.locator('[data-testid=run-name]').textContent()).toBe('paused run');
      const paused = await downloadFrom(page, 'paused run', 'Export run');
      const uninterrupted = await downloadFrom(page, 'quick', 'Export run');
      expect(record(paused.text).generations).toHaveLength(4);
      expect(recordWithoutTimings(record(paused.text))).toEqual(
        recordWithoutTimings(record(uninterrupted.text)),
      );
      const csv = await downloadFrom(page, 'paused run', 'Export CSV');
      expect(csv.text.split('\n')[0]).toMatch(/^generation,stage,accuracy,/);
      expect(csv.text.trim().split('\n')).toHaveLength(5);

      // Import: the exported file comes back as a new run; a bad file is refused and changes nothing.
      await page.setInputFiles('#import-run', paused.file);
      await expect.poll(() => runItems(page).count()).toBe(4);
      await expect
        .poll(() => page.textContent('p.notice[role=status]'))
        .toMatch(/Imported “paused-run” \(4 generations\)/);
      const bad = { ...record(paused.text), status: 'exploded', config: { topK: -1 } };
      await page.setInputFiles('#import-run', {
        name: 'bad.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(bad)),
      });
      const errors = page.locator('[data-testid=import-errors]');
      await expect.poll(() => errors.textContent()).toMatch(/config\.topK: must be an integer/);
      expect(await errors.textContent()).toMatch(/status: /);
      await page.setInputFiles('#import-run', {
        name: 'text.json',
        mimeType: 'application/json',
        buffer: Buffer.from('hello'),
      });
      await expect.poll(() => errors.textContent()).toMatch(/text\.json: the file is not JSON/);
      expect(await runItems(page).count()).toBe(4);

      // Overlay a saved run, and open one.
      await runItems(page).filter({ hasText: 'paused-run' }).getByRole('checkbox').check();
      await expect.poll(() => page.textContent('.overlays')).toMatch(/Overlaid: paused-run/);
      // The overlaid run is drawn beside the run on screen, and named in the legend.
      const accuracy = page.locator('[data-chart=accuracy]');
      await expect.poll(() => accuracy.locator('g.line[data-key^="1/"]').count()).toBeGreaterThan(0);
      expect(await accuracy.locator('svg .legend').textContent()).toMatch(/paused-run/);
      await page.locator('[data-chart=accuracy]').screenshot({ path: `${OUT}/lab-overlay.png` });
      await runItems(page).filter({ hasText: 'stopped' }).getByRole('button', { name: 'Open' }).click();
      await expect.poll(() => rows(page)).toBe(1);
      expect(await status(page)).toBe('saved');

      // Storage full: a clear message, and nothing saved is lost.
      await page.evaluate(() => {
        IDBObjectStore.prototype.put = () => {
          throw new DOMException('quota', 'QuotaExceededError');
        };
      });
      await page.setInputFiles('#import-run', paused.file);
      await expect
        .poll(() => page.getByText('Browser storage is full').textContent())
        .toMatch(/“paused-run” could not be saved\. Export and delete some saved runs/);
      expect(await runItems(page).count()).toBe(4);

      // Delete asks twice; saved runs survive a reload.
      const imported = runItems(page).filter({ hasText: 'paused-run' });
      await imported.getByRole('button', { name: 'Delete' }).click();
      await imported.getByRole('button', { name: 'Really delete' }).click();
      await expect.poll(() => runItems(page).count()).toBe(3);
      await page.reload();
      await expect.poll(() => runItems(page).count()).toBe(3);

      await closeClean(page, watch);
    },
  );

  it(
    'keeps the whole config in the URL, names bad values, and works at 360 px and in dark mode',
    { timeout: 120_000 },
    async () => {
      const { page, problems } = await site.openLab('preset=quick&syntheticFraction=0.5&backend=wasm', {
        viewport: { width: 1100, height: 900 },
      });
      expect(await page.inputValue('#preset')).toBe('quick');
      expect(await page.inputValue('#cfg-syntheticFraction')).toBe('0.5');
      expect(await page.isChecked('input[name=backend][value=wasm]')).toBe(true);

      // Change settings with the keyboard: the address bar follows.
      await button(page, 'Settings').click();
      await page.getByText('Sampling', { exact: true }).click();
      await page.focus('#cfg-topK');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('40');
      await page.keyboard.press('Tab');
      await page.selectOption('#cfg-dataMode', 'accumulate');
      await page.check('input[name=backend][value=auto]');
      await expect
        .poll(() => new URL(page.url()).search)
        .toBe('?preset=quick&dataMode=accumulate&syntheticFraction=0.5&topK=40');
      // An out-of-range value is refused next to the field and leaves the URL alone.
      await page.fill('#cfg-syntheticFraction', '2');
      await page.press('#cfg-syntheticFraction', 'Tab');
      expect(await page.textContent('#cfg-syntheticFraction-problem')).toMatch(
        /must be a number in \[0, 1\]/,
      );
      expect(new URL(page.url()).searchParams.get('syntheticFraction')).toBe('0.5');

      // Opening the link reproduces the settings.
      const link = page.url();
      const again = await page.context().newPage();
      await again.goto(link);
      expect(await again.inputValue('#cfg-topK')).toBe('40');
      expect(await again.inputValue('#cfg-dataMode')).toBe('accumulate');
      expect(await again.inputValue('#cfg-syntheticFraction')).toBe('0.5');
      expect(await again.isChecked('input[name=backend][value=auto]')).toBe(true);
      await expect
        .poll(() => again.textContent('[data-testid=backend-probe]'), { timeout: 60_000 })
        .toMatch(/Next run: (WebGPU|WASM)/);
      // A page left open in the background renders no frames, which stalls later screenshots.
      await again.close();

      // Bad values are named, and those fields keep the preset's value.
      await page.goto(`${site.url}?preset=quick&topK=abc&syntheticFraction=7&bogus=1`);
      const errors = await page.textContent('[data-testid=url-errors]');
      expect(errors).toMatch(/topK.*must be an integer/);
      expect(errors).toMatch(/syntheticFraction.*must be a number in \[0, 1\], got '7'/);
      expect(errors).toMatch(/bogus.*unknown setting/);
      expect(await page.inputValue('#cfg-topK')).toBe('0');
      expect(await page.inputValue('#cfg-syntheticFraction')).toBe('1');
      expect(new URL(page.url()).search).toBe('?preset=quick');

      // A phone: no horizontal scrolling of the page itself.
      await page.setViewportSize({ width: 360, height: 800 });
      await page.goto(`${site.url}?preset=quick`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await page.screenshot({ path: `${OUT}/lab-360.png`, fullPage: true });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.setViewportSize({ width: 1100, height: 900 });
      await page.screenshot({ path: `${OUT}/lab-dark.png`, fullPage: true });

      expect(problems).toEqual([]);
      await page.context().close();
    },
  );
});
