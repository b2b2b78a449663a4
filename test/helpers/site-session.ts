// The built site and one headless Chromium, shared by the tests of an e2e file: each file that calls
// useBuiltSite() gets the site served (preview.ts) and a browser before its tests, both closed after
// them, and opens its pages through it, each in a context of its own and watched (watch-page.ts).
import fs from 'node:fs';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchChromium } from './browser.ts';
import { buildAndPreview } from './preview.ts';
import { watchPage, type PageWatch } from './watch-page.ts';

/** A page of the site in a browser context of its own (`page.context()`), and what it did wrong. */
export interface SitePage extends PageWatch {
  page: Page;
}

export interface BuiltSite {
  /** The site's address, ending in '/'. */
  readonly url: string;
  /** The folder the site is built in. */
  readonly outDir: string;
  /** A new watched page in a new context, still blank. */
  newPage(options?: BrowserContextOptions): Promise<SitePage>;
  /** A new watched page in a new context, opened on the site at `?query` (at its bare address for ''). */
  openLab(query: string, options?: BrowserContextOptions): Promise<SitePage>;
}

export function useBuiltSite(): BuiltSite {
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  let url = '';
  let outDir = '';

  beforeAll(async () => {
    ({ server, url, outDir } = await buildAndPreview());
    browser = await launchChromium();
    // Where the tests write their screenshots.
    fs.mkdirSync('test-results', { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const site: BuiltSite = {
    get url() {
      return url;
    },
    get outDir() {
      return outDir;
    },
    async newPage(options) {
      if (!browser) throw new Error('the browser starts in beforeAll');
      const context = await browser.newContext(options);
      const page = await context.newPage();
      return { page, ...watchPage(page, url) };
    },
    async openLab(query, options) {
      const lab = await site.newPage(options);
      await lab.page.goto(query ? `${url}?${query}` : url);
      return lab;
    },
  };
  return site;
}

/** Fails on any console error, uncaught exception or request outside the site. */
export function expectClean({ problems, outside }: PageWatch): void {
  expect(problems).toEqual([]);
  expect(outside).toEqual([]);
}

/** expectClean, then closes the page's context. */
export async function closeClean(page: Page, watch: PageWatch): Promise<void> {
  expectClean(watch);
  await page.context().close();
}
