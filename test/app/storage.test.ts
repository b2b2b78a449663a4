// The saved-runs store in Chromium's IndexedDB: a live run's saves write only its new generations, and
// what is read back is the whole record — also for databases written before generations had a store of
// their own. Two tabs (two pages of one browser context) share it: a rename or delete in one is kept by
// the other while it saves the run, and each tab's list follows the other's changes. A full disk
// (Chrome DevTools Protocol quota override) keeps the unsaved record until a deletion frees space.
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/sim/record.ts';
import { QUICK_RUN } from '../charts/fixtures.ts';
import { launchPersistentChromium } from '../helpers/browser.ts';
import { gotoHarness, useDevBrowser } from '../helpers/harness-session.ts';

const dev = useDevBrowser();
let page: Page;

/** A new tab of `context` on the harness page. */
async function openHarness(context: BrowserContext): Promise<Page> {
  const tab = await context.newPage();
  await gotoHarness(tab, `${dev.url}/test/app/storage.html`);
  return tab;
}

beforeAll(async () => {
  page = await openHarness(await dev.browser.newContext());
});

/** The quick run cut to its first `n` generations. */
const upTo = (n: number): RunRecord => ({ ...QUICK_RUN, generations: QUICK_RUN.generations.slice(0, n) });

/** The quick run cut to `n` generations, as saved while it runs. */
const running = (n: number): RunRecord => ({ ...upTo(n), status: 'running' });

/** `record` with `chars` characters of pseudo-random sample text in each generation (storage compresses
    what repeats: random text takes about its length on disk). */
function padded(record: RunRecord, chars: number): RunRecord {
  let seed = 1;
  const text = (n: number) =>
    Array.from({ length: n }, () =>
      String.fromCharCode(33 + ((seed = (seed * 48271) % 2147483647) % 90)),
    ).join('');
  return {
    ...record,
    generations: record.generations.map((g) => ({ ...g, samples: [{ text: text(chars) }] })),
  };
}

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

/** Summaries of tab `tab`'s list: name and generations. */
const listed = (tab: Page) =>
  tab.evaluate(() => window.runs.list.map((r) => ({ id: r.id, name: r.name, generations: r.generations })));

describe('two tabs', () => {
  it('a save keeps the name another tab gave the run, and refuses to recreate a run deleted there', async () => {
    const r = await page.evaluate(async (records) => {
      const db = await window.storage.RunsDb.open('merge');
      await db.put('x', 'first name', records[0]!);
      await db.rename('x', 'renamed elsewhere');
      const renamed = await db.put('x', 'first name', records[1]!, 1, false);
      await db.delete('x');
      let refused = '';
      try {
        await db.put('x', 'first name', records[2]!, 2, false);
      } catch (e) {
        refused = (e as Error).name;
      }
      const afterRefusal = { record: await db.get('x'), list: await db.list() };
      // A new run (create) is written whole even though it is not stored yet.
      const created = await db.put('y', 'new run', records[2]!);
      const expectedChars =
        window.storage.jsonChars({ ...records[2]!, generations: undefined }) +
        records[2]!.generations.reduce((n, g) => n + window.storage.jsonChars(g), 0);
      db.close();
      return { renamed: renamed.name, refused, afterRefusal, created, expectedChars };
    }, [1, 2, 3].map(upTo));
    expect(r.renamed).toBe('renamed elsewhere');
    expect(r.refused).toBe('RunDeletedError');
    expect(r.afterRefusal).toEqual({ record: undefined, list: [] });
    expect(r.created).toMatchObject({ name: 'new run', generations: 3 });
    expect(r.created.chars).toBe(r.expectedChars);
  });

  it('a rename or delete in tab A is kept by tab B while B saves the run, and both lists follow', async () => {
    const context = await dev.browser.newContext();
    const [a, b] = [await openHarness(context), await openHarness(context)];
    for (const tab of [a, b]) await tab.evaluate(() => (window.runs = new window.storage.LabRuns('tabs')));

    // B runs a live run: generations 0 and 1 saved. A's list shows it without a reload.
    await b.evaluate(async (records) => {
      window.runs.name('live', 'as started in B');
      for (const record of records) await window.runs.save('live', record);
    }, [1, 2].map(running));
    await expect.poll(() => listed(a)).toEqual([{ id: 'live', name: 'as started in B', generations: 2 }]);
    expect(await a.evaluate(() => window.runs.liveElsewhere)).toEqual(['live']);

    // A renames it; B's list follows, and B's next save keeps A's name.
    await a.evaluate(() => window.runs.rename('live', 'renamed in A'));
    await expect.poll(() => listed(b)).toEqual([{ id: 'live', name: 'renamed in A', generations: 2 }]);
    await b.evaluate((record) => window.runs.save('live', record), running(3));
    await expect.poll(() => listed(a)).toEqual([{ id: 'live', name: 'renamed in A', generations: 3 }]);
    expect(await listed(b)).toEqual([{ id: 'live', name: 'renamed in A', generations: 3 }]);

    // A deletes it; B's list follows, and B's later saves do not bring any of it back.
    await a.evaluate(() => window.runs.remove('live'));
    await expect.poll(() => listed(b)).toEqual([]);
    await b.evaluate((record) => window.runs.save('live', record), running(4));
    expect(await b.evaluate(() => window.runs.notice)).toBe(
      '“renamed in A” was deleted in another tab, so this tab no longer saves it.',
    );
    const stored = await a.evaluate(async () => {
      const db = await window.storage.RunsDb.open('tabs');
      const out = { record: await db.get('live'), list: await db.list() };
      db.close();
      return out;
    });
    expect(stored).toEqual({ record: undefined, list: [] });
    expect(await listed(a)).toEqual([]);
    await context.close();
  });

  it('a run whose tab closes mid-run is no longer shown as running in another tab', async () => {
    const context = await dev.browser.newContext();
    const [a, b] = [await openHarness(context), await openHarness(context)];
    for (const tab of [a, b]) await tab.evaluate(() => (window.runs = new window.storage.LabRuns('left')));
    await b.evaluate(async (record) => {
      window.runs.name('live', 'live run');
      await window.runs.save('live', record);
    }, running(2));
    await expect.poll(() => a.evaluate(() => window.runs.liveElsewhere)).toEqual(['live']);
    await b.close({ runBeforeUnload: true });
    await expect.poll(() => a.evaluate(() => window.runs.liveElsewhere)).toEqual([]);
    expect(await listed(a)).toEqual([{ id: 'live', name: 'live run', generations: 2 }]);
    await context.close();
  });

  it('a deletion B never heard of (no message) is still respected by B’s next save', async () => {
    const context = await dev.browser.newContext();
    const b = await openHarness(context);
    await b.evaluate(async (records) => {
      window.runs = new window.storage.LabRuns('unheard');
      window.runs.name('live', 'live run');
      for (const record of records) await window.runs.save('live', record);
      // Deleted behind B's back: straight in the store, no message on the channel.
      const db = await window.storage.RunsDb.open('unheard');
      await db.delete('live');
      db.close();
    }, [1, 2].map(upTo));
    const r = await b.evaluate(async (record) => {
      await window.runs.save('live', record);
      const db = await window.storage.RunsDb.open('unheard');
      const out = { record: await db.get('live'), error: window.runs.error, list: window.runs.list };
      db.close();
      return out;
    }, upTo(4));
    expect(r).toEqual({ record: undefined, error: '', list: [] });
    await context.close();
  });
});

describe('storage full', () => {
  it('keeps the refused record, and saves every generation once a deletion frees space', async () => {
    const { context, close } = await launchPersistentChromium();
    // The quota is set before the origin first touches storage: Chromium's IndexedDB caches the space
    // left for up to 30 s, so a quota lowered later takes effect only then. 6.5 MB holds the other run
    // (4 × 1 MB) and the live run's first two generations (1 MB each), not its third.
    const origin = new URL(dev.url).origin;
    const cdp = await context.newCDPSession(context.pages()[0] ?? (await context.newPage()));
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 6.5e6 });
    const tab = await openHarness(context);
    const live = (n: number) => padded(running(n), 1e6);
    await tab.evaluate(
      async (big) => {
        window.runs = new window.storage.LabRuns('full');
        window.runs.name('big', 'big run');
        await window.runs.save('big', big);
        window.runs.name('live', 'live run');
      },
      padded(upTo(4), 1e6),
    );

    // The live run saves a generation at a time, as the lab does; storage fills at its third.
    const full = await tab.evaluate(async (records) => {
      for (const record of records) await window.runs.save('live', record);
      return {
        error: window.runs.error,
        unsaved: [...window.runs.unsaved].map(([id, r]) => [id, r.generations.length]),
        listed: window.runs.list.map((r) => [r.id, r.generations]),
      };
    }, [1, 2, 3, 4].map(live));
    expect(full.error).toMatch(
      /^Browser storage is full, so “live run” could not be saved\. Its finished generations are kept/,
    );
    expect(full.unsaved).toEqual([['live', 4]]);
    expect(full.listed).toEqual([
      ['live', 2],
      ['big', 4],
    ]);

    // Deleting the other run frees space: the live run is saved whole at once, without being asked.
    const freed = await tab.evaluate(async () => {
      await window.runs.remove('big');
      return { error: window.runs.error, unsaved: window.runs.unsaved.size };
    });
    expect(freed).toEqual({ error: '', unsaved: 0 });
    // After a reload, a new page reads every generation back.
    await tab.reload();
    await tab.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    const reloaded = await tab.evaluate(async () => {
      const db = await window.storage.RunsDb.open('full');
      const out = { record: await db.get('live'), list: await db.list() };
      db.close();
      return out;
    });
    expect(reloaded.record).toEqual(live(4));
    expect(reloaded.list.map((r) => [r.id, r.generations])).toEqual([['live', 4]]);
    await close();
  });
});
