// Test pages of the repository (test/browser, test/charts, test/app) in headless Chromium, served by the
// Vite dev server: each file that calls useDevBrowser() gets a fresh server and browser before its tests,
// both closed after them; useHarnessPage(path) adds one page on `path`, its console errors and uncaught
// exceptions kept.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.ts';
import { startViteServer } from './vite-server.ts';
import { watchPage } from './watch-page.ts';

export interface DevBrowser {
  /** The dev server's address (no trailing '/'): test pages are at `${url}/test/…`. */
  readonly url: string;
  readonly browser: Browser;
}

export interface HarnessPage extends DevBrowser {
  readonly page: Page;
  /** Console errors and uncaught exceptions of the page so far (tests may empty it). */
  readonly problems: string[];
}

/** Opens `url` on `page` and waits until the page's script marks the body ready. */
export async function gotoHarness(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
}

const opened = <T>(x: T | undefined): T => {
  if (x === undefined) throw new Error('the harness opens in beforeAll');
  return x;
};

export function useDevBrowser(): DevBrowser {
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  let url: string | undefined;

  beforeAll(async () => {
    ({ server, url } = await startViteServer());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  return {
    get url() {
      return opened(url);
    },
    get browser() {
      return opened(browser);
    },
  };
}

/** The test page at `path` (from the repository root, e.g. '/test/browser/harness.html'). */
export function useHarnessPage(path: string, options?: BrowserContextOptions): HarnessPage {
  const dev = useDevBrowser();
  let page: Page | undefined;
  let problems: string[] = [];

  beforeAll(async () => {
    page = await dev.browser.newPage(options);
    ({ problems } = watchPage(page, dev.url));
    await gotoHarness(page, `${dev.url}${path}`);
  });

  return {
    get url() {
      return dev.url;
    },
    get browser() {
      return dev.browser;
    },
    get page() {
      return opened(page);
    },
    get problems() {
      return problems;
    },
  };
}

/**
 * A typed call into the worker API that the harness page exposes as `window[global]` (a Comlink proxy of
 * `Api`): `call(name, ...args)` resolves to what the worker's `name` returns.
 */
export function workerCall<Api>(harness: HarnessPage, global: string) {
  type Fn<K extends keyof Api> = Api[K] extends (...a: never[]) => unknown ? Api[K] : never;
  return <K extends keyof Api & string>(name: K, ...args: Parameters<Fn<K>>) =>
    harness.page.evaluate(
      ([global, name, args]) => {
        const api = (window as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[
          global
        ]!;
        return api[name]!(...args);
      },
      [global, name, args] as const,
    ) as Promise<Awaited<ReturnType<Fn<K>>>>;
}
