// The lab's first screen in headless Chromium (the built site): the story above the fold at 1280 × 900
// on first load, after opening a recorded run and after a run; the recorded replay that starts by itself
// and a narrative that names the stage the run reaches; stage colours apart by the chosen contrast;
// presentation mode from the keyboard; the chart first on a 390 × 844 phone. Layout, not pixels.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { STAGE_NAMES } from '../../src/charts/metric-lines.ts';
import { contrastRatio, STAGE_CONTRAST } from '../../src/charts/palette.ts';
import { closeClean, useBuiltSite } from '../helpers/site-session.ts';
import { recordedRun } from '../helpers/recorded-runs.ts';

const OUT = 'test-results';
const site = useBuiltSite();

const PRIMARY = '[data-testid=primary-chart] figure[data-chart=story]';
const NARRATIVE = '[data-testid=narrative]';
const RUN = 'button.primary:text-is("Run")';

/** Where each part is, relative to the viewport (top and bottom, px), and the viewport's height. */
async function boxes(page: Page) {
  const box = async (sel: string) => {
    const b = await page.locator(sel).first().boundingBox();
    if (!b) throw new Error(`${sel} is not laid out`);
    return { top: Math.round(b.y), bottom: Math.round(b.y + b.height) };
  };
  return {
    chart: await box(PRIMARY),
    narrative: await box(NARRATIVE),
    run: await box(RUN),
    height: page.viewportSize()!.height,
  };
}

/** The chart, the narrative and Run lie wholly inside the first screen (the page is not scrolled). */
async function expectAboveTheFold(page: Page, what: string) {
  const b = await boxes(page);
  expect(await page.evaluate(() => scrollY), what).toBe(0);
  for (const [name, part] of Object.entries(b).filter(([k]) => k !== 'height') as [
    string,
    { top: number; bottom: number },
  ][]) {
    expect(part.top, `${what}: ${name} top`).toBeGreaterThanOrEqual(0);
    expect(part.bottom, `${what}: ${name} bottom`).toBeLessThanOrEqual(b.height);
  }
  console.log(`${what}: ${JSON.stringify(b)}`);
}

const narrative = (page: Page) => page.textContent(NARRATIVE).then((t) => (t ?? '').trim());
const shownGeneration = async (page: Page) =>
  Number(/^Generation (\d+)/.exec(await narrative(page))?.[1] ?? -1);

describe('the lab’s first screen', () => {
  it(
    'replays a recorded collapse at once, above the fold, narrating the stages it reaches in colours a projector keeps apart',
    { timeout: 120_000 },
    async () => {
      const collapse = recordedRun('collapse');
      const last = collapse.generations.at(-1)!;
      const { page, ...watch } = await site.openLab('', { viewport: { width: 1280, height: 900 } });

      // No click: the replay is playing and the generation on screen moves on by itself.
      await expect.poll(() => page.getAttribute('[data-testid=replay]', 'data-playing')).toBe('true');
      await expect.poll(() => shownGeneration(page)).toBeGreaterThanOrEqual(0);
      const early = await shownGeneration(page);
      await expect.poll(() => shownGeneration(page), { timeout: 20_000 }).toBeGreaterThan(early);
      expect(await page.getAttribute('[data-testid=status]', 'data-status')).toBe('idle');
      // The x axis spans the whole recorded run from the first frames: lines grow across a fixed frame.
      const xTicks = () =>
        page
          .locator(`${PRIMARY} .x-axis .tick`)
          .evaluateAll((ts) => ts.map((t) => `${t.textContent}@${t.getAttribute('transform')}`));
      const firstFrame = await xTicks();
      expect(firstFrame.length).toBeGreaterThan(2);
      await expectAboveTheFold(page, '1280×900 first load');
      await page.screenshot({ path: `${OUT}/stage-first-load.png` });
      // The settings open as a side column, and the story still fits beside them.
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      await expect.poll(() => page.locator('#settings').isVisible()).toBe(true);
      await expectAboveTheFold(page, '1280×900 settings open');
      await page.screenshot({ path: `${OUT}/stage-settings-open.png` });
      await page.getByRole('button', { name: 'Hide settings', exact: true }).click();

      // At its end, the narrative names the stage the recorded run reached, with its numbers.
      await expect.poll(() => shownGeneration(page), { timeout: 30_000 }).toBe(last.generation);
      expect(await xTicks()).toEqual(firstFrame);
      const line = await narrative(page);
      expect(line).toContain(STAGE_NAMES[last.stage].split(',')[0]!);
      expect(line).toContain(`accuracy ${Math.round(last.metrics.accuracy! * 100)}%`);
      expect(line).toContain(`${Math.round(last.metrics.fluency! * 100)}% of sentences`);
      // …and the stages it passed through are named above the chart, in colours apart by the contrast.
      const stages = [...new Set(collapse.generations.map((g) => g.stage))];
      expect(stages).toEqual(['A', 'B', 'C']);
      const ribbons = await page.locator(`${PRIMARY} g.stage-band`).evaluateAll((bands) =>
        bands.map((b) => ({
          stage: b.getAttribute('data-stage')!,
          fill: getComputedStyle(b.querySelector('rect.ribbon')!).fill,
          text: b.querySelector('text')!.textContent,
        })),
      );
      expect(ribbons.map((r) => r.stage)).toEqual(stages);
      for (let i = 1; i < ribbons.length; i++)
        expect(contrastRatio(ribbons[i - 1]!.fill, ribbons[i]!.fill)).toBeGreaterThanOrEqual(STAGE_CONTRAST);
      expect(ribbons.map((r) => r.text)).toContain(`C · ${STAGE_NAMES.C}`);
      await page.screenshot({ path: `${OUT}/stage-replayed.png` });

      // Presentation mode: P opens it; space pauses and plays; the arrows step through the generations.
      await page.keyboard.press('p');
      const show = page.locator('[data-testid=presentation]');
      await expect.poll(() => show.isVisible()).toBe(true);
      expect(await show.getAttribute('data-shown')).toBe(String(collapse.generations.length));
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => show.getAttribute('data-shown')).toBe(String(collapse.generations.length - 2));
      expect(await page.textContent('[data-testid=presentation-narrative]')).toMatch(
        new RegExp(`^\\s*Generation ${last.generation - 2}:`),
      );
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => show.getAttribute('data-shown')).toBe(String(collapse.generations.length - 1));
      expect(await show.getAttribute('data-playing')).toBe('false');
      await page.keyboard.press('Home');
      await expect.poll(() => show.getAttribute('data-shown')).toBe('1');
      await page.keyboard.press(' ');
      await expect.poll(() => show.getAttribute('data-playing')).toBe('true');
      await expect.poll(async () => Number(await show.getAttribute('data-shown'))).toBeGreaterThan(1);
      await page.keyboard.press(' ');
      await expect.poll(() => show.getAttribute('data-playing')).toBe('false');
      const held = await show.getAttribute('data-shown');
      await page.waitForTimeout(1000);
      expect(await show.getAttribute('data-shown')).toBe(held);
      // Large type: the narrative is at least twice the page's body text.
      const size = await page
        .locator('[data-testid=presentation-narrative]')
        .evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
      expect(size).toBeGreaterThanOrEqual(32);
      await page.screenshot({ path: `${OUT}/stage-presentation.png` });
      await page.keyboard.press('Escape');
      await expect.poll(() => show.count()).toBe(0);

      await closeClean(page, watch);
    },
  );

  it(
    'keeps the story above the fold after opening a recorded run and after a run',
    { timeout: 120_000 },
    async () => {
      const anchored = recordedRun('anchored');
      // The count model trains in a moment without a backend: a whole run in a test.
      const { page, problems } = await site.openLab('preset=ngram&generations=6', {
        viewport: { width: 1280, height: 900 },
      });
      await expect.poll(() => page.locator('[data-testid=replay]').count()).toBe(1);

      // Open a recorded run from the list at the bottom of the page: the stage comes back into view.
      await page.getByText('Recorded runs: open a whole run at once').click();
      const item = page.locator('[data-testid=recorded-runs] li').filter({ hasText: 'A fixed real anchor' });
      await item.getByRole('button', { name: 'Open' }).click();
      await expect.poll(() => page.getAttribute('[data-testid=status]', 'data-status')).toBe('saved');
      await expect.poll(() => page.evaluate(() => scrollY), { timeout: 5000 }).toBeLessThan(400);
      await page.evaluate(() => scrollTo(0, 0));
      await expect
        .poll(() => narrative(page))
        .toMatch(new RegExp(`^Generation ${anchored.generations.length - 1}:`));
      expect(await narrative(page)).toContain(STAGE_NAMES.A);
      await expectAboveTheFold(page, '1280×900 recorded run opened');
      await page.screenshot({ path: `${OUT}/stage-opened.png` });

      // Run: the live run replaces what was on screen, and the story stays in view.
      await page.locator(RUN).click();
      await expect
        .poll(() => page.getAttribute('[data-testid=status]', 'data-status'), { timeout: 60_000 })
        .toBe('done');
      await expect.poll(() => narrative(page)).toMatch(/^Generation 6:/);
      expect(await page.locator('[data-testid=replay]').count()).toBe(0);
      await expectAboveTheFold(page, '1280×900 after Run');
      await page.screenshot({ path: `${OUT}/stage-after-run.png` });
      expect(problems).toEqual([]);
      await page.context().close();
    },
  );

  it(
    'puts the primary chart and the narrative first on a phone, the settings last',
    { timeout: 60_000 },
    async () => {
      const { page } = await site.openLab('', {
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
      });
      await expect.poll(() => page.locator(`${PRIMARY} g.line`).count()).toBeGreaterThan(0);
      const chart = (await page.locator(PRIMARY).boundingBox())!;
      expect(chart.y).toBeGreaterThanOrEqual(0);
      expect(chart.y + chart.height).toBeLessThanOrEqual(844);
      const order = await page.evaluate(() => {
        const y = (sel: string) => document.querySelector(sel)!.getBoundingClientRect().top + scrollY;
        return {
          chart: y('[data-testid=primary-chart]'),
          narrative: y('[data-testid=narrative]'),
          run: y('button.primary'),
          width: document.documentElement.scrollWidth,
        };
      });
      console.log(
        `390×844: ${JSON.stringify({ ...order, chartBottom: Math.round(chart.y + chart.height) })}`,
      );
      expect(order.chart).toBeLessThan(order.narrative);
      expect(order.narrative).toBeLessThan(order.run);
      expect(order.width).toBeLessThanOrEqual(390);
      // The settings start closed; opened, they are the page's last part.
      expect(await page.locator('#settings').isVisible()).toBe(false);
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      await expect.poll(() => page.locator('#settings').isVisible()).toBe(true);
      const settingsTop = await page
        .locator('#settings')
        .evaluate((e) => e.getBoundingClientRect().top + scrollY);
      const lastCardTop = await page
        .locator('main.results > .card')
        .last()
        .evaluate((e) => e.getBoundingClientRect().top + scrollY);
      expect(settingsTop).toBeGreaterThan(lastCardTop);
      await page.screenshot({ path: `${OUT}/stage-390.png` });
      await page.context().close();
    },
  );
});
