// What a page did wrong: console errors, uncaught exceptions, and requests that left its origin.
import type { Page } from 'playwright-core';

export interface PageWatch {
  /** Console errors and uncaught exceptions. */
  problems: string[];
  /** Requests that left the site's origin (data: and blob: URLs stay inside). */
  outside: string[];
}

export function watchPage(page: Page, origin: string): PageWatch {
  const w: PageWatch = { problems: [], outside: [] };
  page.on('console', (m) => m.type() === 'error' && w.problems.push(m.text()));
  page.on('pageerror', (e) => w.problems.push(e.message));
  page.on(
    'request',
    (r) => !r.url().startsWith(origin) && !/^(data|blob):/.test(r.url()) && w.outside.push(r.url()),
  );
  return w;
}
