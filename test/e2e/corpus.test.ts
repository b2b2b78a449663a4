// Your own corpus in the built lab (headless Chromium, WASM): live validation of pasted and uploaded
// input, the summary, user text shown as text only, and one generation trained on pasted Q/A pairs.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { closeClean, useBuiltSite } from '../helpers/site-session.ts';

const OUT = 'test-results';
const site = useBuiltSite();

const pairs = Array.from({ length: 12 }, (_, i) =>
  JSON.stringify({ question: `What comes after ${i}?`, answer: `number ${i + 1}` }),
).join('\n');
const statusText = (page: Page) => page.textContent('[data-testid=corpus-status]');

describe('your own corpus in the lab', () => {
  it(
    'validates as you paste or upload, summarises, and trains one generation on it',
    { timeout: 180_000 },
    async () => {
      const { page, ...watch } = await site.openLab(
        'preset=quick&backend=wasm&generations=1&gen0Epochs=3&epochs=1&documentsPerGeneration=12&maxNewTokens=8',
        { viewport: { width: 1280, height: 900 } },
      );
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      await page.locator('#corpus-heading').click(); // the section starts closed
      const box = page.getByLabel('Paste text or JSONL');
      await expect.poll(() => statusText(page)).toMatch(/No corpus: runs use the fact world/);

      // A bad line whose text looks like markup: named by line, and shown as text, never as HTML.
      await box.fill(`${pairs}\n<b id="injected">bold</b>`);
      await expect.poll(() => statusText(page)).toMatch(/Not valid Q\/A JSONL: line 13 is not valid JSON/);
      expect(await page.locator('#injected').count()).toBe(0);

      // An uploaded binary file and an empty one replace the pasted text.
      await page.setInputFiles('#corpus-file', {
        name: 'data.bin',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]),
      });
      await expect
        .poll(() => statusText(page))
        .toMatch(/binary file, not text: it holds a NUL byte at byte 4/);
      expect(await box.inputValue()).toBe('');
      // Over 5 MB: refused from its size, before it is read.
      await page.setInputFiles('#corpus-file', {
        name: 'big.txt',
        mimeType: 'text/plain',
        buffer: Buffer.alloc(5_000_001, 0x61),
      });
      await expect.poll(() => statusText(page)).toMatch(/big\.txt is too large: 5\.0 MB; the limit is 5 MB/);
      await page.setInputFiles('#corpus-file', {
        name: 'empty.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from(''),
      });
      await expect.poll(() => statusText(page)).toMatch(/The input is empty/);
      await page.getByRole('button', { name: 'Clear', exact: true }).click();
      await expect.poll(() => statusText(page)).toMatch(/No corpus/);

      await box.fill(pairs);
      await expect.poll(() => statusText(page)).toMatch(/The next run trains on pasted text \(Q\/A pairs\)/);
      const summary = await page.locator('[data-testid=corpus-summary] dd').allTextContents();
      // "question : what comes after 3 ? answer : number 4 ." is 12 words; the vocabulary is 9 words and 0–12
      expect(summary).toEqual(['12', String(12 * 12), String(9 + 13), '12']);
      await page.locator('details.corpus').screenshot({ path: `${OUT}/corpus-panel.png` });
      expect(await page.locator('#corpus-heading').textContent()).toMatch(/in use/);

      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await expect
        .poll(() => page.getAttribute('[data-testid=status]', 'data-status'), {
          timeout: 120_000,
          interval: 250,
        })
        .toBe('done');
      expect(await page.locator('[data-testid=generation-row]').count()).toBe(2);
      expect(await page.locator('[data-testid=run-name]').first().textContent()).toMatch(
        /^pasted text · quick · /,
      );
      // The probe grid asks the pasted questions.
      const questions = await page.locator('[data-testid=probes] tbody tr').allTextContents();
      expect(questions.length).toBeGreaterThan(0);
      expect(questions.join('\n')).toMatch(/what comes after \d+/);
      // Twelve pairs of one template are too few to tell their text from fragments of it stitched together.
      expect(await page.textContent('[data-testid=corpus-note]')).toMatch(
        /Your corpus \(pasted text\): accuracy is over its Q\/A pairs\. Fluency is not measured \(–\): too little text to judge fluency: /,
      );
      await page.screenshot({ path: `${OUT}/corpus-run.png`, fullPage: true });
      await closeClean(page, watch);
    },
  );
});
