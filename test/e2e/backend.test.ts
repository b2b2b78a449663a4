// The built lab's backend choice and its Stop, in headless Chromium (whose only WebGPU adapter is
// SwiftShader, a CPU implementation):
// - `auto` times training on WASM and on WebGPU and takes the faster; the backend line names both
//   figures and calls SwiftShader a software adapter; the embed's "Train it live" gets the same choice;
// - Stop during one huge sampling call shows "Stopping" at once and ends the run within seconds;
// - a worker that cannot answer Stop at all (blocked) is ended from the page after STOP_GRACE_MS, and
//   the run is saved as stopped with every generation it had finished;
// - a step too big for the memory is warned about before Run; a live run estimated to need hours
//   offers the other backend, and moving keeps its finished generations.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { metas, rows, simulationWorker, status } from '../helpers/lab-page.ts';
import { closeClean, useBuiltSite } from '../helpers/site-session.ts';

/** Opens the settings panel (it starts closed), where the backend panel is. */
async function openSettings(page: Page): Promise<void> {
  const toggle = page.locator('button[aria-controls=settings]');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

const site = useBuiltSite();

/** "WASM: 2.41k tokens/s; WebGPU (software adapter, SwiftShader): under 683 tokens/s (…) — using WASM". */
const MEASURED =
  /WASM: ([\d.]+)(k?) tokens\/s; WebGPU \(software adapter, SwiftShader\): (?:under )?([\d.]+)(k?) tokens\/s[^—]* — using (WASM|WebGPU \(software adapter, SwiftShader\))/;

/** The two figures of a backend line and the backend it says it uses. */
function measured(text: string) {
  const m = MEASURED.exec(text);
  if (!m) throw new Error(`no measurement in: ${text}`);
  const rate = (x: string, k: string) => Number(x) * (k ? 1000 : 1);
  return {
    wasm: rate(m[1]!, m[2]!),
    webgpu: rate(m[3]!, m[4]!),
    using: m[5]!.startsWith('WASM') ? 'wasm' : 'webgpu',
  };
}

/**
 * Clicks Stop and reads the status as the page shows it once Svelte has updated the page, in the same
 * task as the click: no answer from the worker can have arrived yet.
 */
const clickStop = (page: Page) =>
  page.evaluate(async () => {
    const stop = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Stop')!;
    stop.click();
    // Svelte applies state to the page in a microtask; a message from the worker needs a task.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    const el = document.querySelector('[data-testid=status]')!;
    return { status: el.getAttribute('data-status'), text: el.textContent };
  });

describe('auto measures before it chooses', () => {
  it(
    'times both backends, names both figures and the software adapter, and runs on the faster',
    { timeout: 240_000 },
    async () => {
      const { page, ...watch } = await site.openLab(
        'preset=quick&entitiesPerKind=4&realDocuments=40&generations=1',
        { viewport: { width: 1280, height: 900 } },
      );
      await expect
        .poll(() => page.textContent('[data-testid=backend-probe]'), { timeout: 120_000, interval: 250 })
        .toMatch(/Next run: (WASM|WebGPU)/);
      const next = (await page.textContent('[data-testid=backend-probe]'))!.replace(/\s+/g, ' ');
      const figures = measured(next);
      expect(figures.wasm).toBeGreaterThan(0);
      expect(figures.webgpu).toBeGreaterThan(0);
      // Never the software adapter when WASM measured faster (and WASM only when it did).
      expect(figures.using).toBe(figures.wasm >= figures.webgpu ? 'wasm' : 'webgpu');
      expect(next).toMatch(new RegExp(`^Next run: ${figures.using === 'wasm' ? 'WASM' : 'WebGPU'} — `));
      await openSettings(page);
      await page.locator('section.backend').screenshot({ path: 'test-results/backend-auto-1280.png' });

      await page.click('button:text-is("Run")');
      await expect
        .poll(() => page.textContent('[data-testid=backend]'), { timeout: 60_000 })
        .toMatch(/This run:/);
      const line = (await page.textContent('[data-testid=backend]'))!.replace(/\s+/g, ' ');
      // The run used the same measurement (once per model size): the same figures, the same backend.
      expect(measured(line)).toEqual(figures);
      expect(line).toMatch(new RegExp(`^This run: ${figures.using} — `));
      await expect.poll(() => status(page), { timeout: 180_000, interval: 500 }).toBe('done');
      await page.setViewportSize({ width: 390, height: 844 });
      await openSettings(page);
      await page.locator('section.backend').screenshot({ path: 'test-results/backend-auto-390.png' });
      await closeClean(page, watch);
    },
  );

  it("gives the embed's live run the same measured choice", { timeout: 240_000 }, async () => {
    const { page, ...watch } = await site.openLab('embed=quick', { viewport: { width: 420, height: 900 } });
    await page.getByRole('button', { name: 'Train it live in this browser' }).click();
    await expect
      .poll(() => page.textContent('[data-testid=embed-live]'), { timeout: 120_000, interval: 250 })
      .toMatch(MEASURED);
    const figures = measured((await page.textContent('[data-testid=embed-live]'))!);
    expect(figures.using).toBe(figures.wasm >= figures.webgpu ? 'wasm' : 'webgpu');
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect
      .poll(() => page.getAttribute('[data-testid=embed-live]', 'data-status'), { timeout: 30_000 })
      .toBe('stopped');
    await closeClean(page, watch);
  });
});

describe('before a run', () => {
  it('warns when a step needs more memory than WASM can address', { timeout: 60_000 }, async () => {
    const { page, ...watch } = await site.openLab('model=small&batchSize=1024&backend=wasm', {
      viewport: { width: 390, height: 844 },
    });
    await expect
      .poll(() => page.textContent('[data-testid=run-warning]'))
      .toMatch(
        /^A training step needs about 1\d GB of memory \(model small, batch 1024\), more than is available: WASM can address at most 4 GB( and this device reports \d+ GB)?\. Lower the batch size or choose a smaller model\.$/,
      );
    await openSettings(page);
    await page.locator('section.backend').screenshot({ path: 'test-results/backend-warning-390.png' });
    // The default batch fits: no warning.
    await page.goto(`${site.url}?model=small&backend=wasm`);
    await expect.poll(() => page.textContent('[data-testid=backend-probe]')).toMatch(/Next run: WASM/);
    expect(await page.locator('[data-testid=run-warning]').count()).toBe(0);
    await closeClean(page, watch);
  });
});

describe('a slow run offers the other backend', () => {
  it(
    'on SwiftShader WebGPU, offers WASM; switching keeps the run going there',
    { timeout: 300_000 },
    async () => {
      // Few steps a generation (the estimate starts from the first), 200 generations: hours on SwiftShader.
      const { page, ...watch } = await site.openLab(
        'preset=quick&entitiesPerKind=4&realDocuments=40&gen0Epochs=3&generations=200&backend=webgpu',
        { viewport: { width: 1280, height: 900 } },
      );
      await page.click('button:text-is("Run")');
      await expect
        .poll(() => page.locator('[data-testid=backend-offer]').count(), { timeout: 180_000, interval: 500 })
        .toBe(1);
      expect(await page.textContent('[data-testid=backend-offer]')).toMatch(
        /This run needs about .+ more on WebGPU\.\s+Switch to WASM\s+Finished generations are kept/,
      );
      await page
        .locator('[data-testid=backend-offer]')
        .screenshot({ path: 'test-results/backend-offer.png' });
      const before = await rows(page);
      await page.getByRole('button', { name: 'Switch to WASM' }).click();
      await expect
        .poll(() => page.textContent('[data-testid=run-notice]'), { timeout: 60_000 })
        .toBe(
          `The run moved to WASM (CPU) from the start of generation ${before}${before ? `; generations 0–${before - 1} are kept` : ''}.`,
        );
      expect(await page.textContent('[data-testid=backend]')).toMatch(
        /This run: wasm — WASM \(CPU\) as requested; .*moved from WebGPU at generation \d+, as asked/,
      );
      expect(await page.locator('[data-testid=backend-offer]').count()).toBe(0);
      await expect.poll(() => status(page), { timeout: 30_000 }).toBe('running');
      // It trains on: the progress moves on WASM.
      await expect
        .poll(() => page.textContent('[data-testid=status]'), { timeout: 120_000, interval: 250 })
        .toMatch(/training [1-9]\d*\//);
      expect(await rows(page)).toBe(before);
      await page.click('button:text-is("Stop")');
      await expect.poll(() => status(page), { timeout: 30_000 }).toBe('stopped');
      await closeClean(page, watch);
    },
  );
});

describe('Stop always stops', () => {
  it(
    'during one huge sampling call: "Stopping" at once, stopped within seconds, saved as stopped',
    { timeout: 300_000 },
    async () => {
      // Generation 0 writes 200,000 documents: before, one sample call per position of minutes each.
      const { page, ...watch } = await site.openLab(
        'preset=quick&model=small&documentsPerGeneration=200000&gen0Epochs=1&backend=wasm',
        { viewport: { width: 1280, height: 900 } },
      );
      await page.click('button:text-is("Run")');
      await expect
        .poll(() => page.textContent('[data-testid=status]'), { timeout: 240_000, interval: 250 })
        .toMatch(/generation 0: writing synthetic text 0\/2\d{5}|failed/);
      expect(await status(page)).toBe('running');
      // Stop is honoured between decoding chunks (about a second of work each); building the decoding
      // sessions for the first chunk (seconds for small on WASM) is one call no signal can cut, so the
      // stop comes once the writing is under way.
      await page.waitForTimeout(8_000);
      expect(await status(page)).toBe('running');
      expect(await clickStop(page)).toEqual({
        status: 'stopping',
        text: expect.stringMatching(/^\s*Stopping/),
      });
      await expect.poll(() => status(page), { timeout: 15_000, interval: 100 }).toBe('stopped');
      await expect.poll(() => metas(page)).toEqual([expect.stringMatching(/^\s*stopped · 0\/4 generations/)]);
      // The worker answered by itself, between two decoding chunks: it was not ended from the page.
      expect(await page.locator('[data-testid=run-notice]').count()).toBe(0);
      expect(await page.locator('[role=alert].error').count()).toBe(0);
      await closeClean(page, watch);
    },
  );

  it(
    'a worker that cannot answer is ended after a few seconds; its finished generations are saved',
    { timeout: 300_000 },
    async () => {
      const { page, ...watch } = await site.openLab(
        'preset=quick&entitiesPerKind=4&realDocuments=40&heldOutDocuments=8&documentsPerGeneration=40&probeFacts=8&gen0Epochs=3&generations=5&backend=wasm',
        { viewport: { width: 1280, height: 900 } },
      );
      await page.click('button:text-is("Run")');
      await expect.poll(() => rows(page), { timeout: 120_000, interval: 250 }).toBeGreaterThanOrEqual(1);
      // The fault: the worker's thread blocked for two minutes, as by one engine call that never ends.
      const worker = await simulationWorker(page);
      // (In a task of its own: code run by the DevTools evaluation itself outlives terminate().)
      await worker.evaluate(() => {
        setTimeout(() => {
          const end = Date.now() + 120_000;
          while (Date.now() < end);
        });
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const kept = await rows(page);
      expect(await clickStop(page)).toEqual({
        status: 'stopping',
        text: expect.stringMatching(/^\s*Stopping/),
      });
      await expect.poll(() => status(page), { timeout: 15_000, interval: 100 }).toBe('stopped');
      await expect.poll(() => page.workers().includes(worker), { timeout: 5_000 }).toBe(false);
      expect(await page.textContent('[data-testid=run-notice]')).toBe(
        `The simulation did not answer Stop within 5 s (it was inside one long computation), so it was ended. ${kept === 1 ? 'Generation 0 is' : `Generations 0–${kept - 1} are`} kept.`,
      );
      expect(await rows(page)).toBe(kept);
      await expect
        .poll(() => metas(page))
        .toEqual([expect.stringMatching(new RegExp(`^\\s*stopped · ${kept}/6 generations`))]);
      // Kept across a reload, and a new run starts on a fresh worker.
      await page.reload();
      await expect
        .poll(() => metas(page), { timeout: 30_000 })
        .toEqual([expect.stringMatching(new RegExp(`^\\s*stopped · ${kept}/6 generations`))]);
      await page.click('button:text-is("Run")');
      await expect.poll(() => rows(page), { timeout: 120_000, interval: 250 }).toBeGreaterThanOrEqual(1);
      await closeClean(page, watch);
    },
  );
});
