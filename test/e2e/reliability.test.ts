// The built site's defences and its faults, in one build and one browser.
// Security: it ships a strict Content-Security-Policy, and no user-supplied string — URL values, run
// names, imported run files (name, config, samples, probes, environment) — is ever rendered as HTML.
// XSS payloads go in everywhere; none may run or leave an element behind, no CSP violation may be
// reported (training on WASM included), and no request may leave the origin.
// Faults: the simulation worker crashes mid-run (an uncaught exception thrown inside it) and the tab is
// reloaded mid-run — the crash is shown, completed generations stay in IndexedDB, a new run starts
// without a reload; and the WebGPU device is destroyed mid-run — the run goes on on WASM.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/sim/record.ts';
import { QUICK_RUN } from '../charts/fixtures.ts';
import { metas, rows, simulationWorker, status } from '../helpers/lab-page.ts';
import { closeClean, useBuiltSite } from '../helpers/site-session.ts';

const site = useBuiltSite();

const PAYLOADS = [
  '<img src=x onerror=window.__xss=1>',
  '"><svg onload=window.__xss=2>',
  '<script>window.__xss=3</script>',
  "'><iframe src=javascript:window.__xss=4>",
];
const ALL = PAYLOADS.join(' ');

/** What the page must never have: a payload that ran, an element a payload made, a CSP violation. */
async function injected(page: Page) {
  return page.evaluate(() => ({
    xss: (window as { __xss?: unknown }).__xss,
    elements: document.querySelectorAll('#app img, #app iframe, #app script, #app svg[onload]').length,
    violations: (window as unknown as { __csp: string[] }).__csp,
  }));
}

/** A run file whose every free-text field holds the payloads. */
function payloadRecord(): RunRecord {
  const r = structuredClone(QUICK_RUN);
  r.environment.backendReason = ALL;
  r.environment.versions = { [PAYLOADS[0]!]: PAYLOADS[1]! };
  r.error = ALL;
  r.status = 'failed';
  for (const g of r.generations) {
    g.samples = PAYLOADS.map((text) => ({ text, spans: [{ start: 0, end: 4, kind: 'true-fact' }] }));
    g.probes = [
      {
        factId: PAYLOADS[0]!,
        format: PAYLOADS[1]!,
        question: PAYLOADS[2]!,
        answer: PAYLOADS[3]!,
        expected: PAYLOADS[0]!,
        correct: false,
        probability: 0.5,
        popularity: 'head',
      },
    ];
    g.metrics.accuracyByFormat = { [PAYLOADS[1]!]: 0.5 };
  }
  return r;
}

describe('security of the built site', () => {
  it('ships a strict Content-Security-Policy in index.html', () => {
    const html = fs.readFileSync(path.join(site.outDir, 'index.html'), 'utf8');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(csp).toBeDefined();
    const directives = Object.fromEntries(
      csp!.split(';').map((d) => {
        const [name, ...sources] = d.trim().split(/\s+/);
        return [name!, sources];
      }),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives['worker-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    // No source outside the origin anywhere, and no script from inline text.
    expect(csp).not.toMatch(/https?:|\*|'unsafe-eval'/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it(
    'renders payloads in the URL, run names and imported files as text, with no CSP violation',
    { timeout: 120_000 },
    async () => {
      const { page, ...watch } = await site.newPage({ viewport: { width: 1100, height: 900 } });
      await page.addInitScript(() => {
        const w = window as unknown as { __csp: string[] };
        w.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
        );
      });

      // URL values: as a setting's name, a setting's value, the preset and the backend.
      const query = new URLSearchParams({
        [PAYLOADS[0]!]: '1',
        model: PAYLOADS[1]!,
        preset: PAYLOADS[2]!,
        backend: PAYLOADS[3]!,
      });
      await page.goto(`${site.url}?${query}`);
      const urlErrors = page.locator('[data-testid=url-errors]');
      await expect.poll(() => urlErrors.textContent()).toContain(PAYLOADS[0]);
      for (const p of PAYLOADS) expect(await urlErrors.textContent()).toContain(p.slice(0, 30));

      // An imported file refused for a payload in its config lists it as text.
      const bad = { ...payloadRecord(), config: { ...QUICK_RUN.config, model: PAYLOADS[0] } };
      await page.setInputFiles('#import-run', {
        name: `${PAYLOADS[1]}.json`,
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(bad)),
      });
      const importErrors = page.locator('[data-testid=import-errors]');
      await expect.poll(() => importErrors.textContent()).toContain(`got '${PAYLOADS[0]}'`);
      expect(await importErrors.textContent()).toContain(PAYLOADS[1]);

      // A valid file with payloads in every free-text field, named after one, opened and overlaid.
      await page.setInputFiles('#import-run', {
        name: `${PAYLOADS[0]}.json`,
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(payloadRecord())),
      });
      const item = page.locator('[data-testid=run-item]').first();
      await expect.poll(() => item.locator('[data-testid=run-name]').textContent()).toBe(PAYLOADS[0]);
      await item.getByRole('button', { name: 'Open' }).click();
      await expect.poll(() => page.locator('[data-testid=samples] li').count()).toBe(PAYLOADS.length);
      expect(await page.locator('[data-testid=samples]').textContent()).toContain(PAYLOADS[2]);
      expect(await page.locator('[data-testid=probes]').textContent()).toContain(PAYLOADS[3]);
      await item.getByRole('checkbox').check();
      await expect.poll(() => page.textContent('.overlays')).toContain(PAYLOADS[0]);

      // Renamed to another payload.
      await item.getByRole('button', { name: 'Rename' }).click();
      await item.getByLabel('New name').fill(PAYLOADS[1]!);
      await item.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => item.locator('[data-testid=run-name]').textContent()).toBe(PAYLOADS[1]);

      expect(await injected(page)).toEqual({ xss: undefined, elements: 0, violations: [] });

      // After a reload the runs list still shows the renamed run as text.
      await page.reload();
      await expect
        .poll(() => page.locator('[data-testid=run-name]').allTextContents())
        .toContain(PAYLOADS[1]);

      expect(await injected(page)).toEqual({ xss: undefined, elements: 0, violations: [] });
      await closeClean(page, watch);
    },
  );

  it(
    'trains on WASM with the policy sent as a header too, so that it governs the worker',
    { timeout: 240_000 },
    async () => {
      // A <meta> policy binds the page only; a host that sends it as a header binds the worker too,
      // where onnxruntime compiles its WebAssembly: that needs 'wasm-unsafe-eval' and nothing more.
      const html = fs.readFileSync(path.join(site.outDir, 'index.html'), 'utf8');
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
      const { page, problems, outside } = await site.newPage();
      await page.context().route('**/*', async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
      });
      const workerProblems: string[] = [];
      page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && workerProblems.push(m.text())));
      await page.addInitScript(() => {
        const w = window as unknown as { __csp: string[] };
        w.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
        );
      });
      await page.goto(
        `${site.url}?preset=quick&entitiesPerKind=4&realDocuments=40&generations=1&backend=wasm`,
      );
      await page.click('button:text-is("Run")');
      await expect
        .poll(() => page.textContent('[data-testid=status]'), { timeout: 180_000, interval: 250 })
        .toMatch(/generation 0: training [2-9]\d*\/|failed/i);
      expect(await page.textContent('[data-testid=status]')).not.toMatch(/failed/i);
      await page.click('button:text-is("Stop")');
      await expect
        .poll(() => page.getAttribute('[data-testid=status]', 'data-status'), { timeout: 60_000 })
        .toBe('stopped');
      expect(await injected(page)).toEqual({ xss: undefined, elements: 0, violations: [] });
      expect([...problems, ...workerProblems]).toEqual([]);
      expect(outside).toEqual([]);
      await page.context().close();
    },
  );
});

const TINY =
  'preset=quick&entitiesPerKind=4&realDocuments=40&heldOutDocuments=8&documentsPerGeneration=40&probeFacts=8&gen0Epochs=3&generations=5&backend=wasm';

describe('faults in the lab', () => {
  it(
    'a crashed worker shows an error and keeps completed generations; a new run starts; a reload keeps them',
    { timeout: 300_000 },
    async () => {
      const { page, problems, outside } = await site.openLab(TINY, {
        viewport: { width: 1100, height: 800 },
      });
      await page.click('button:text-is("Run")');
      await expect.poll(() => rows(page), { timeout: 120_000, interval: 250 }).toBeGreaterThanOrEqual(1);

      // The fault: an exception thrown in the worker, outside any promise the run loop awaits.
      const worker = await simulationWorker(page);
      await worker.evaluate(() => {
        setTimeout(() => {
          throw new Error('injected crash');
        });
      });
      await expect.poll(() => status(page), { timeout: 30_000 }).toBe('failed');
      const kept = await rows(page);
      expect(kept).toBeGreaterThanOrEqual(1);
      expect(await page.textContent('[role=alert].error')).toMatch(
        /The simulation worker crashed \(.*injected crash\)\. Completed generations are saved/,
      );
      // Saved as failed, with the completed generations.
      await expect
        .poll(() => metas(page))
        .toEqual([expect.stringMatching(new RegExp(`^\\s*failed · ${kept}/6 generations`))]);

      // A new run starts on a fresh worker, without reloading the page.
      await page.click('button:text-is("Run")');
      await expect.poll(() => status(page), { timeout: 60_000 }).toBe('running');
      await expect.poll(() => rows(page), { timeout: 120_000, interval: 250 }).toBeGreaterThanOrEqual(1);
      const second = await rows(page);

      // Reload mid-run: both runs are still listed with what had finished.
      await page.reload();
      await expect.poll(() => metas(page), { timeout: 30_000 }).toHaveLength(2);
      const [newest, oldest] = await metas(page);
      const done = Number(/(\d+)\/6 generations/.exec(newest!)?.[1]);
      expect(done).toBeGreaterThanOrEqual(second);
      expect(oldest).toMatch(new RegExp(`failed · ${kept}/6 generations`));

      // The only problems reported are the injected crash itself.
      expect(problems.filter((p) => !p.includes('injected crash'))).toEqual([]);
      expect(outside).toEqual([]);
      await page.context().close();
    },
  );

  it(
    'a WebGPU device lost mid-run (device.destroy()) moves the run to WASM, tells the user, and finishes',
    { timeout: 300_000 },
    async () => {
      const { page, ...watch } = await site.openLab(
        TINY.replace('generations=5', 'generations=1').replace('wasm', 'webgpu'),
        { viewport: { width: 1100, height: 800 } },
      );
      // Keep a handle on the device onnxruntime will create, to destroy it mid-run.
      const worker = await simulationWorker(page);
      await worker.evaluate(() => {
        const request = GPUAdapter.prototype.requestDevice;
        GPUAdapter.prototype.requestDevice = async function (this: GPUAdapter, d?: GPUDeviceDescriptor) {
          const device = await request.call(this, d);
          (globalThis as { __device?: GPUDevice }).__device = device;
          return device;
        };
      });
      await page.click('button:text-is("Run")');
      await expect
        .poll(() => page.textContent('[data-testid=status]'), { timeout: 180_000, interval: 250 })
        .toMatch(/generation 0: training [2-9]\d*\//);
      expect(await page.textContent('[data-testid=backend]')).toMatch(/This run: webgpu/);
      await worker.evaluate(() => (globalThis as { __device?: GPUDevice }).__device!.destroy());

      await expect
        .poll(() => page.textContent('[data-testid=run-notice]'), { timeout: 30_000 })
        .toMatch(
          /^The GPU was lost during generation 0 \(.+\)\. The run goes on on WASM \(CPU\), from the start of generation 0\.$/,
        );
      await expect.poll(() => status(page), { timeout: 180_000, interval: 500 }).toBe('done');
      expect(await rows(page)).toBe(2);
      expect(await page.textContent('[data-testid=backend]')).toMatch(
        /This run: wasm — WASM \(CPU\) after the WebGPU device was lost/,
      );
      await expect.poll(() => metas(page)).toEqual([expect.stringMatching(/done · 2\/2 generations · wasm/)]);
      expect(await page.locator('[role=alert].error').count()).toBe(0);
      await closeClean(page, watch);
    },
  );
});
