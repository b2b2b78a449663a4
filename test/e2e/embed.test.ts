// The embed on the built site, inside a sandboxed iframe of another page: it replays the recorded runs
// shipped in public/runs/ to their last generation, draws what the records hold, scrubs, switches charts,
// trains live on WASM, and makes no request outside its own origin. Also the lab's other shortcuts to a
// whole run: opening a recorded run, and the findings gallery.
import fs from 'node:fs';
import type { Browser, Frame, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRecord, type RunRecord } from '../../src/sim/record.ts';
import { armConfig, findingById } from '../../src/sim/findings.ts';
import { recordedRunSpecs, type RecordedRunIndex } from '../../src/sim/recorded-runs.ts';
import { closeBuiltSite, openBuiltSite } from '../helpers/preview.ts';
import { watchPage } from '../helpers/watch-page.ts';

const OUT = 'test-results';
let server: PreviewServer;
let url: string;
let browser: Browser;

beforeAll(async () => {
  ({ server, url, browser } = await openBuiltSite());
});
afterAll(() => closeBuiltSite(server, browser));

const recorded = (id: string): RunRecord => {
  const r = parseRecord(JSON.parse(fs.readFileSync(`public/runs/${id}.json`, 'utf8')));
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.record;
};

/** An article (on another origin: a page from setContent is about:blank) with the embed in a sandboxed iframe. */
async function article(page: Page, query: string, width = 640): Promise<Frame> {
  await page.setContent(
    `<h1>An article</h1><iframe title="Ouroboros" src="${url}?${query}" width="${width}" height="820"
      sandbox="allow-scripts allow-same-origin" style="border:1px solid #888"></iframe>`,
  );
  const handle = await page.waitForSelector('iframe');
  return (await handle.contentFrame())!;
}

/** Generations with a marker on a line of the chart in `frame`, by series key. */
const lines = (frame: Frame, chart: string) =>
  frame.evaluate((name) => {
    const out: Record<string, number[]> = {};
    for (const g of document.querySelectorAll(`figure[data-chart="${name}"] g.line[data-key]`))
      out[g.getAttribute('data-key')!] = (
        g.querySelector('path.markers')?.getAttribute('data-generations') ?? ''
      )
        .split(' ')
        .filter(Boolean)
        .map(Number);
    return out;
  }, chart);

const generationText = async (frame: Frame) =>
  (await frame.textContent('[data-testid=embed-generation]'))?.replace(/\s+/g, ' ').trim();

describe('the embed', () => {
  it('ships every recorded run, each a valid record of its spec', () => {
    const index = JSON.parse(fs.readFileSync('public/runs/index.json', 'utf8')) as RecordedRunIndex;
    expect(index.runs.map((r) => r.id)).toEqual(recordedRunSpecs.map((s) => s.id));
    for (const entry of index.runs) {
      const record = recorded(entry.id);
      expect(record.status, entry.id).toBe('done');
      expect(record.generations.length, entry.id).toBe(record.config.generations + 1);
      expect(entry.generations).toBe(record.generations.length);
    }
  });

  it(
    'replays the default recorded run in a sandboxed iframe, draws it, scrubs and switches charts',
    { timeout: 120_000 },
    async () => {
      const page = await browser.newPage({ viewport: { width: 700, height: 860 } });
      const { problems, outside } = watchPage(page, url);
      const frame = await article(page, 'embed');
      const main = recorded(recordedRunSpecs[0]!.id);
      const compare = recorded(recordedRunSpecs[0]!.compareWith!);
      const last = main.generations.length - 1;
      const all = main.generations.map((g) => g.generation);

      // It plays by itself, to the last generation.
      await expect
        .poll(() => generationText(frame), { timeout: 30_000 })
        .toMatch(new RegExp(`Generation ${last} of ${last} · stage ${main.generations[last]!.stage}`));
      await expect
        .poll(() => lines(frame, 'story'))
        .toEqual({
          '0/accuracy': all,
          '0/fluency': all,
          '1/accuracy': compare.generations.map((g) => g.generation),
          '1/fluency': compare.generations.map((g) => g.generation),
        });
      // The chart's read-out values are the record's: the last accuracy as the summary states it.
      await page.screenshot({ path: `${OUT}/embed.png`, fullPage: true });

      // Scrubbing back to generation 3 shows generations 0–3 only.
      await frame.locator('input[type=range]').fill('4');
      await expect.poll(() => generationText(frame)).toMatch(/Generation 3 of/);
      await expect.poll(async () => (await lines(frame, 'story'))['0/accuracy']).toEqual([0, 1, 2, 3]);

      // Another chart: accuracy by popularity of the run on screen.
      await frame.getByRole('button', { name: 'Rare facts' }).click();
      await expect
        .poll(async () => Object.keys(await lines(frame, 'popularity')).sort())
        .toEqual(['0/popularity:head', '0/popularity:tail', '0/popularity:torso']);

      // The probe example quotes generation 0's answer from the record.
      const probe = await frame.textContent('[data-testid=embed-probe]');
      const question = main.generations[0]!.probes.find((p) => probe!.includes(p.question));
      expect(question, probe!).toBeDefined();
      expect(probe).toContain(`gen 0: “${question!.answer}”`);

      expect(problems).toEqual([]);
      expect(outside).toEqual([]);
      await page.close();
    },
  );

  it(
    'falls back to the first run for an unknown id, and trains quick live on WASM',
    { timeout: 240_000 },
    async () => {
      const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
      const { problems, outside } = watchPage(page, url);
      const frame = await article(page, 'embed=nonesuch', 380);
      await expect
        .poll(() => frame.textContent('[role=alert]'))
        .toContain(`There is no recorded run 'nonesuch'; showing '${recordedRunSpecs[0]!.id}' instead.`);

      const quick = await article(page, 'embed=quick&backend=wasm', 380);
      await expect.poll(() => generationText(quick), { timeout: 30_000 }).toMatch(/Generation 3 of 3/);
      await page.screenshot({ path: `${OUT}/embed-narrow.png`, fullPage: true });
      await quick.getByRole('button', { name: 'Train it live in this browser' }).click();
      // Generation 0 of the live run arrives and is drawn beside the recording.
      await expect
        .poll(async () => (await lines(quick, 'story'))['0/accuracy'], { timeout: 200_000 })
        .toEqual([0]);
      expect((await lines(quick, 'story'))['1/accuracy']).toEqual([0, 1, 2, 3]);
      await quick.getByRole('button', { name: 'Stop' }).click();
      await expect
        .poll(() => quick.getAttribute('[data-testid=embed-live]', 'data-status'), { timeout: 60_000 })
        .toBe('stopped');
      expect(problems).toEqual([]);
      expect(outside).toEqual([]);
      await page.close();
    },
  );

  it('opens a recorded run in the lab at once, saved and ready to overlay', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const { problems, outside } = watchPage(page, url);
    await page.goto(url);
    const main = recorded(recordedRunSpecs[0]!.id);
    const entry = page.locator('[data-testid=recorded-runs] li').first();
    await page.getByText('Recorded runs: open a whole run at once').click();
    await expect.poll(() => entry.textContent()).toContain(`${main.generations.length} generations`);
    await entry.getByRole('button', { name: 'Open' }).click();
    await expect
      .poll(() => page.locator('[data-testid=generation-row]').count())
      .toBe(main.generations.length);
    expect(await page.getAttribute('[data-testid=status]', 'data-status')).toBe('saved');
    await expect.poll(() => page.locator('[data-testid=run-item]').count()).toBe(1);

    // Longer than the probe grid's 8 columns: generation 0 and the latest 7, a slider over the rest.
    const last = main.generations.length - 1;
    expect(last).toBeGreaterThan(7);
    const columns = async () =>
      (await page.locator('[data-testid=probes] thead th').allTextContents()).slice(1);
    const shownFrom = (from: number) => ['Gen 0', ...Array.from({ length: 7 }, (_, i) => `Gen ${from + i}`)];
    expect(await columns()).toEqual(shownFrom(last - 6));
    const slider = page.getByRole('slider', { name: 'Generations shown' });
    expect(await slider.getAttribute('aria-valuetext')).toBe(
      `generation 0 and ${last - 6}–${last} of ${last}`,
    );
    await slider.focus();
    await page.keyboard.press('Home');
    expect(await columns()).toEqual(shownFrom(1));
    // The cells follow the columns: generation 3's answer to the first question.
    const answer = main.generations[3]!.probes[0]!.answer;
    expect(
      await page.locator('[data-testid=probes] tbody tr').first().locator('td').nth(3).textContent(),
    ).toContain(answer);
    await page.keyboard.press('ArrowRight');
    expect(await columns()).toEqual(shownFrom(2));
    await page.getByRole('button', { name: 'Latest', exact: true }).click();
    expect(await columns()).toEqual(shownFrom(last - 6));
    expect(await slider.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it('runs a finding from the gallery with the finding’s settings', { timeout: 120_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const { problems, outside } = watchPage(page, url);
    await page.goto(`${url}?backend=wasm`);
    const finding = findingById('ngram-drift')!;
    const gallery = page.locator('[data-testid=findings]');
    await gallery.getByRole('combobox').selectOption(finding.id);
    await gallery.getByRole('button', { name: 'Run it here' }).click();
    const want = armConfig(finding, finding.arms[0]!.id, 'full', 1);
    // Every generation is a row (the header is row 1), though only those near the view are drawn.
    await expect
      .poll(() => page.getAttribute('[data-testid=generations]', 'aria-rowcount'), { timeout: 60_000 })
      .toBe(String(want.generations + 2));
    await expect.poll(() => page.getAttribute('[data-testid=status]', 'data-status')).toBe('done');
    await expect.poll(() => page.locator('[data-testid=run-item]').textContent()).toContain(finding.id);
    // The rows scroll in a box of their own, which shows the latest generation once on screen.
    const box = page.locator('[data-testid=generations]').locator('xpath=..');
    await box.scrollIntoViewIfNeeded();
    expect(await box.evaluate((el) => el.scrollHeight > el.clientHeight * 2)).toBe(true);
    await expect
      .poll(() => box.evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop))
      .toBeLessThan(5);
    const drawn = page.locator('[data-testid=generation-row]');
    await expect.poll(() => drawn.last().locator('th').textContent()).toBe(String(want.generations));
    expect(await drawn.last().getAttribute('aria-rowindex')).toBe(String(want.generations + 2));
    expect(await drawn.count()).toBeLessThan(want.generations + 1);
    // Scrolled to the top, the first rows are drawn.
    await box.evaluate((el) => el.scrollTo(0, 0));
    await expect.poll(() => drawn.first().locator('th').textContent()).toBe('0');
    // Scrolled back, then a new run: its table starts at the top and follows the latest row again.
    await box.evaluate((el) => el.scrollTo(0, 300));
    await gallery.getByRole('button', { name: 'Run it here' }).click();
    await expect.poll(() => page.locator('[data-testid=run-item]').count()).toBe(2);
    await expect
      .poll(() => page.getAttribute('[data-testid=status]', 'data-status'), { timeout: 60_000 })
      .toBe('done');
    await box.scrollIntoViewIfNeeded();
    await expect.poll(() => drawn.last().locator('th').textContent()).toBe(String(want.generations));
    expect(await box.evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop)).toBeLessThan(5);
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });
});
