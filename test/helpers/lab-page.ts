// What the lab's page shows, read by the e2e tests: the run's status, its generation rows, the saved
// runs' lines, and the simulation's worker.
import type { Page, Worker } from 'playwright-core';
import { expect } from 'vitest';

/** The run's status ('idle', 'running', 'stopping', 'stopped', 'done', 'failed', …). */
export const status = (page: Page) => page.getAttribute('[data-testid=status]', 'data-status');

/** Rows of the generations table on screen. */
export const rows = (page: Page) => page.locator('[data-testid=generation-row]').count();

/** The saved runs' lines ("stopped · 3/6 generations · wasm …"), newest first. */
export const metas = (page: Page) => page.locator('[data-testid=run-item] .meta').allTextContents();

/** The page's simulation worker, once it has started. */
export async function simulationWorker(page: Page): Promise<Worker> {
  await expect.poll(() => page.workers().some((w) => w.url().includes('simulation.worker'))).toBe(true);
  return page.workers().find((w) => w.url().includes('simulation.worker'))!;
}
