// The embed on the built site, inside a sandboxed iframe of another page, framed by the snippet the README
// documents: it replays the recorded runs shipped in public/runs/ to their last generation across a fixed
// x axis, draws what the records hold, scrubs, switches charts, trains live on WASM and goes back to the
// replay, is light unless asked, fits 320 px, sizes its iframe, shows readers nothing for developers, and
// makes no request outside its own origin. Also the lab's other shortcuts to a whole run: opening a
// recorded run, and the findings gallery (verdicts as docs/RESULTS.md has them, arms side by side).
import fs from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseRecord, type RunRecord } from '../../src/sim/record.ts';
import { armConfig, findingById, findings } from '../../src/findings/findings.ts';
import { recordedRunSpecs, type RecordedRunIndex } from '../../src/sim/recorded-runs.ts';
import { closeClean, useBuiltSite } from '../helpers/site-session.ts';
import { resultsTable } from '../helpers/results-table.ts';

const OUT = 'test-results';
const site = useBuiltSite();

const recorded = (id: string): RunRecord => {
  const r = parseRecord(JSON.parse(fs.readFileSync(`public/runs/${id}.json`, 'utf8')));
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.record;
};

/**
 * An article (on another origin: a page from setContent is about:blank) with the embed in a sandboxed
 * iframe, as the README's snippet frames it: as wide as the article up to 40rem, sized by the height the
 * embed posts. `width` narrows the article's column.
 */
async function article(page: Page, query: string, width = 640): Promise<Frame> {
  await page.setContent(
    `<h1>An article</h1><div style="width:${width}px">
    <iframe class="ouroboros" src="${site.url}?${query}" title="Model collapse, replayed"
      style="width: 100%; max-width: 40rem; height: 840px; border: 0"
      sandbox="allow-scripts allow-same-origin"></iframe>
    <script>
      addEventListener('message', (e) => {
        for (const f of document.querySelectorAll('iframe.ouroboros'))
          if (f.contentWindow === e.source && e.data?.type === 'ouroboros:height')
            f.style.height = e.data.height + 'px';
      });
    </script></div>`,
  );
  const handle = await page.waitForSelector('iframe');
  return (await handle.contentFrame())!;
}

/** The story chart's x-axis ticks: label and place. */
const xTicks = (frame: Frame) =>
  frame.$$eval('figure[data-chart="story"] g.x-axis .tick', (ticks) =>
    ticks.map((t) => `${t.textContent} @ ${t.getAttribute('transform')}`),
  );

/** Elements of the frame's page that reach past its right edge (none: nothing overflows). */
const overflowing = (frame: Frame) =>
  frame.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out = [...document.querySelectorAll('body *')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 1 && r.right > width + 0.5;
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''}`);
    return document.documentElement.scrollWidth > width ? ['(page scrolls sideways)', ...out] : out;
  });

/** The iframe's height and the embed's content height, in CSS pixels, and whether the frame scrolls. */
const fit = (page: Page, frame: Frame) =>
  Promise.all([
    page.$eval('iframe', (f) => f.getBoundingClientRect().height),
    frame.evaluate(() => ({
      content: Math.ceil(document.querySelector('.embed')!.getBoundingClientRect().height),
      scrolls: document.documentElement.scrollHeight > innerHeight,
    })),
  ]).then(([iframe, { content, scrolls }]) => ({ iframe, content, scrolls }));

/** The frame page's background colour. */
const background = (frame: Frame) =>
  frame.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
const LIGHT = 'rgb(247, 247, 244)';
const DARK = 'rgb(20, 20, 23)';

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
      const { page, ...watch } = await site.newPage({ viewport: { width: 700, height: 860 } });
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
      await page.screenshot({ path: `${OUT}/embed.png`, fullPage: true });

      // The x axis spans the whole run from the first frame: generation 0 alone is drawn on the last
      // frame's axis, at its left end, and the lines grow across it.
      const lastFrameTicks = await xTicks(frame);
      expect(lastFrameTicks.at(-1)).toMatch(new RegExp(`^${last} @`));
      await frame.locator('input[type=range]').fill('1');
      await expect.poll(() => generationText(frame)).toMatch(/Generation 0 of/);
      await expect.poll(async () => (await lines(frame, 'story'))['0/accuracy']).toEqual([0]);
      expect(await xTicks(frame)).toEqual(lastFrameTicks);
      await page.screenshot({ path: `${OUT}/embed-first-frame.png`, fullPage: true });

      // Readers see no developer command and no commit.
      const text = (await frame.textContent('body'))!;
      const entry = (JSON.parse(fs.readFileSync('public/runs/index.json', 'utf8')) as RecordedRunIndex)
        .runs[0]!;
      expect(text).not.toContain(entry.commit);
      expect(text).not.toMatch(/npm run|commit/i);

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

      await closeClean(page, watch);
    },
  );

  it(
    'falls back to the first run for an unknown id, and trains quick live on WASM',
    { timeout: 240_000 },
    async () => {
      const { page, ...watch } = await site.newPage({ viewport: { width: 420, height: 900 } });
      const frame = await article(page, 'embed=nonesuch', 380);
      await expect
        .poll(() => frame.textContent('[role=alert]'))
        .toContain(`There is no recorded run 'nonesuch'; showing '${recordedRunSpecs[0]!.id}' instead.`);

      const quick = await article(page, 'embed=quick&backend=wasm', 380);
      await expect.poll(() => generationText(quick), { timeout: 30_000 }).toMatch(/Generation 3 of 3/);
      await page.screenshot({ path: `${OUT}/embed-narrow.png`, fullPage: true });
      const replayTicks = await xTicks(quick);
      await quick.getByRole('button', { name: 'Train it live in this browser' }).click();
      // Generation 0 of the live run arrives and is drawn beside the recording.
      await expect
        .poll(async () => (await lines(quick, 'story'))['0/accuracy'], { timeout: 200_000 })
        .toEqual([0]);
      expect((await lines(quick, 'story'))['1/accuracy']).toEqual([0, 1, 2, 3]);
      // The live run grows across the same frame as the replay.
      expect(await xTicks(quick)).toEqual(replayTicks);
      await quick.getByRole('button', { name: 'Stop' }).click();
      await expect
        .poll(() => quick.getAttribute('[data-testid=embed-live]', 'data-status'), { timeout: 60_000 })
        .toBe('stopped');
      await page.screenshot({ path: `${OUT}/embed-live-stopped.png`, fullPage: true });
      // The replay is offered again, and replays the recording alone.
      await quick.getByRole('button', { name: 'Back to the replay' }).click();
      await expect.poll(() => generationText(quick), { timeout: 30_000 }).toMatch(/Generation 3 of 3/);
      expect(await lines(quick, 'story')).toEqual({ '0/accuracy': [0, 1, 2, 3], '0/fluency': [0, 1, 2, 3] });
      expect(await quick.getByRole('button', { name: 'Train it live in this browser' }).count()).toBe(1);
      expect(await quick.getByRole('button', { name: /Replay the run|Pause the replay/ }).count()).toBe(1);
      await closeClean(page, watch);
    },
  );

  it(
    'is light in a dark-mode browser unless asked (the lab follows the reader), fits 320 px, sizes its iframe',
    { timeout: 120_000 },
    async () => {
      const { page, ...watch } = await site.newPage({
        viewport: { width: 352, height: 700 },
        colorScheme: 'dark',
      });
      const frame = await article(page, 'embed', 320);
      expect(await frame.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(true);
      await expect.poll(() => generationText(frame), { timeout: 30_000 }).toMatch(/Generation 14 of 14/);
      expect(await background(frame)).toBe(LIGHT);
      expect(await frame.evaluate(() => document.documentElement.clientWidth)).toBe(320);

      // Every view at 320 px: nothing reaches past the right edge, and the iframe fits the content.
      for (const view of ['Accuracy vs fluency', 'Rare facts', 'Entropy', 'Diversity', 'Word frequencies']) {
        await frame.getByRole('button', { name: view, exact: true }).click();
        await expect.poll(() => frame.locator('figure svg text').count()).toBeGreaterThan(5);
        expect(await overflowing(frame), view).toEqual([]);
        await expect
          .poll(
            async () => {
              const f = await fit(page, frame);
              return f.iframe === f.content && !f.scrolls;
            },
            { message: view },
          )
          .toBe(true);
        if (view === 'Accuracy vs fluency')
          await page.screenshot({ path: `${OUT}/embed-320.png`, fullPage: true });
      }
      // The views differ in height, so the iframe followed them (the rank chart's legend is the tallest).
      const heights = new Set<number>();
      for (const view of ['Accuracy vs fluency', 'Word frequencies']) {
        await frame.getByRole('button', { name: view, exact: true }).click();
        await expect
          .poll(async () => (await fit(page, frame)).iframe === (await fit(page, frame)).content)
          .toBe(true);
        heights.add((await fit(page, frame)).iframe);
      }
      expect(heights.size).toBe(2);

      // Dark when asked, or when asked to follow the reader's setting (dark here).
      expect(await background(await article(page, 'embed&theme=dark', 320))).toBe(DARK);
      expect(await background(await article(page, 'embed&theme=auto', 320))).toBe(DARK);
      const bad = await article(page, 'embed&theme=sepia', 320);
      await expect
        .poll(() => bad.textContent('[role=alert]'))
        .toContain("theme: must be one of light, dark, auto, got 'sepia'");
      expect(await background(bad)).toBe(LIGHT);
      // The lab itself follows the reader's setting, also when it changes.
      await page.goto(site.url);
      expect(await background(page.mainFrame())).toBe(DARK);
      await page.emulateMedia({ colorScheme: 'light' });
      await expect.poll(() => background(page.mainFrame())).toBe(LIGHT);
      await closeClean(page, watch);
    },
  );

  it('opens a recorded run in the lab at once, saved and ready to overlay', { timeout: 60_000 }, async () => {
    const { page, ...watch } = await site.openLab('', { viewport: { width: 1100, height: 900 } });
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
    await closeClean(page, watch);
  });

  it('shows each finding’s verdict and why as docs/RESULTS.md has them, and links its papers', async () => {
    const { page, ...watch } = await site.openLab('', { viewport: { width: 1280, height: 900 } });
    const gallery = page.locator('[data-testid=findings]');
    const table = resultsTable();
    expect(table.size).toBe(findings.length);
    for (const f of findings) {
      await gallery.getByRole('combobox').selectOption(f.id);
      const row = table.get(f.id)!;
      const verdict = gallery.locator('[data-testid=finding-verdict]');
      await expect.poll(() => verdict.getAttribute('data-verdict')).toBe(row.verdict);
      const text = (await verdict.textContent())!.replace(/\s+/g, ' ');
      expect(text).toContain(
        { holds: 'Holds here', mixed: 'Mixed here', 'does not hold': 'Does not hold here' }[row.verdict],
      );
      expect(text).toContain(row.measured);
      if (row.reason) expect(text).toContain(`Why: ${row.reason}`);
      else expect(await verdict.locator('[data-testid=finding-reason]').count()).toBe(0);
      const links = await gallery
        .locator('.cite a')
        .evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
      expect(links).toEqual(f.papers.map((p) => [p.cite, p.url]));
      expect((await gallery.locator('.cite').textContent())!.replace(/\s+/g, ' ').trim()).toBe(
        f.papers.map((p) => p.cite).join('; '),
      );
      if (f.id === 'sampling-bias') {
        await gallery.screenshot({ path: `${OUT}/gallery-verdict.png` });
        await page.setViewportSize({ width: 390, height: 844 });
        await gallery.screenshot({ path: `${OUT}/gallery-verdict-phone.png` });
        await page.setViewportSize({ width: 1280, height: 900 });
      }
    }
    await closeClean(page, watch);
  });

  it('runs a finding from the gallery with the finding’s settings', { timeout: 120_000 }, async () => {
    const { page, ...watch } = await site.openLab('backend=wasm', { viewport: { width: 1100, height: 900 } });
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
    // The gallery draws the arm beside its closed form, one small chart per metric: at most three lines
    // each, in the arm's colour, with a legend that names the arm.
    const multiples = gallery.locator('[data-testid=finding-charts] figure');
    await expect.poll(() => multiples.count()).toBe(finding.charts.length);
    for (const figure of await multiples.all()) {
      await expect.poll(() => figure.locator('g.line').count()).toBe(2);
      const strokes = await figure
        .locator('g.line path.stroke')
        .evaluateAll((ps) => ps.map((p) => [p.getAttribute('stroke'), p.getAttribute('stroke-dasharray')]));
      expect(strokes[0]![0]).toBe(strokes[1]![0]);
      expect(strokes.map(([, dash]) => Boolean(dash))).toEqual([false, true]);
      expect(await figure.locator('g.legend').textContent()).toContain(finding.arms[0]!.label);
    }
    await gallery.screenshot({ path: `${OUT}/gallery-arms.png` });
    // The rows scroll in a box of their own, which shows the latest generation once on screen.
    const box = page.locator('[data-testid=generations]').locator('xpath=..');
    await box.scrollIntoViewIfNeeded();
    expect(await box.evaluate((el) => el.scrollHeight > el.clientHeight * 2)).toBe(true);
    await expect
      .poll(() => box.evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop), {
        timeout: 10_000,
      })
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
    await closeClean(page, watch);
  });
});
