// The saved-runs store in Chromium's IndexedDB: a live run's saves write only its new generations, and
// what is read back is the whole record — also for databases written before generations had a store of
// their own.
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/sim/record.ts';
import { QUICK_RUN } from '../charts/fixtures.ts';
import { launchChromium } from '../helpers/browser.ts';
import { startViteServer } from '../helpers/vite-server.ts';

let server: ViteDevServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const s = await startViteServer();
  server = s.server;
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${s.url}/test/app/storage.html`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The quick run cut to its first `n` generations. */
const upTo = (n: number): RunRecord => ({ ...QUICK_RUN, generations: QUICK_RUN.generations.slice(0, n) });

describe('saved runs', () => {
  it('writes only the generations after `from`, and reads the whole record back', async () => {
    const r = await page.evaluate(
      async ({ two, four }) => {
        const db = await window.storage.RunsDb.open('incremental');
        await db.put('a', 'run a', two);
        // Generations 0–1 as passed now differ from the stored ones: with from = 2 they are not written.
        const changed = structuredClone(four);
        changed.generations[0]!.metrics.accuracy = -1;
        const summary = await db.put('a', 'run a', changed, 2);
        const incremental = await db.get('a');
        // A full rewrite (from 0) with fewer generations leaves none of the old ones behind.
        await db.put('a', 'run a', { ...two, generations: two.generations.slice(0, 1) });
        const shorter = await db.get('a');
        await db.delete('a');
        const deleted = await db.get('a');
        await db.put('a', 'run a', { ...two, generations: [] });
        const empty = await db.get('a');
        const list = await db.list();
        db.close();
        return { summary, incremental, shorter, deleted, empty, list };
      },
      { two: upTo(2), four: upTo(4) },
    );
    expect(r.summary).toMatchObject({ id: 'a', name: 'run a', generations: 4, planned: 4 });
    expect(r.incremental).toEqual(upTo(4));
    expect(r.shorter).toEqual(upTo(1));
    expect(r.deleted).toBeUndefined();
    expect(r.empty).toEqual(upTo(0));
    expect(r.list.map((s) => s.generations)).toEqual([0]);
  });

  it('reads records saved whole by the first version of the store, and saves over them', async () => {
    const r = await page.evaluate(async (record) => {
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('legacy', 1);
        open.onupgradeneeded = () => {
          open.result.createObjectStore('summaries', { keyPath: 'id' });
          open.result.createObjectStore('records');
        };
        open.onsuccess = () => {
          const tx = open.result.transaction(['summaries', 'records'], 'readwrite');
          tx.objectStore('summaries').put({ id: 'old', name: 'old run', createdAt: record.createdAt });
          tx.objectStore('records').put(record, 'old');
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      });
      const db = await window.storage.RunsDb.open('legacy');
      const before = await db.get('old');
      await db.put('old', 'old run', record);
      const after = await db.get('old');
      db.close();
      return { before, after };
    }, upTo(4));
    expect(r.before).toEqual(upTo(4));
    expect(r.after).toEqual(upTo(4));
  });

  it('saves a live run after every generation, also when the saves queue up', async () => {
    const r = await page.evaluate(async (records) => {
      const runs = new window.storage.LabRuns('live');
      runs.name('live-1', 'live run');
      // Saved without waiting, as the lab does when generations arrive faster than storage writes.
      const saves = records.map((record) => runs.save('live-1', record));
      await Promise.all(saves);
      const saved = await runs.load('live-1');
      // Then one more generation, written on its own.
      const again = { ...records.at(-1)!, status: 'done' as const };
      await runs.save('live-1', again);
      return { saved, again: await runs.load('live-1'), list: runs.list, error: runs.error };
    }, [1, 2, 3, 4].map(upTo));
    expect(r.error).toBe('');
    expect(r.saved).toEqual(upTo(4));
    expect(r.again).toEqual({ ...upTo(4), status: 'done' });
    expect(r.list).toMatchObject([{ id: 'live-1', name: 'live run', generations: 4, status: 'done' }]);
  });
});
