// One headless Chromium page on the chart harness, shared by the chart test files: each file that calls
// useChartHarness() gets a fresh server, browser and page, and fails a test that logs a page error.
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, expect } from 'vitest';
import { useHarnessPage } from '../helpers/harness-session.ts';

export function useChartHarness(): { page: () => Page; frames: () => Promise<unknown> } {
  const harness = useHarnessPage('/test/charts/harness.html', { viewport: { width: 1000, height: 800 } });

  beforeEach(() => {
    harness.problems.length = 0;
  });

  afterEach(() => {
    expect(harness.problems, 'errors in the page console').toEqual([]);
  });

  return {
    page: () => harness.page,
    /** Waits for two animation frames (ResizeObserver and the loss chart draw on the next one). */
    frames: () =>
      harness.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))),
  };
}
