// npm run bench:ui [-- --presets quick,ngram] [--backend wasm|webgpu] [--isolation on|off] [--out bench/out/ui.json]
// How responsive the lab's page stays while the worker trains: builds the site, opens it in headless
// Chromium (the test helper's flags), runs each preset to the end and records every main-thread task
// over 50 ms (the Long Tasks API). The target is no task over 50 ms; the figures depend on the machine
// and on what else it runs, so they are a benchmark, not a test. --isolation off serves the build without
// the COOP/COEP headers (one WASM thread, as on a static host that cannot send them).
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../cli/atomic-write.ts';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from '../../test/helpers/browser.ts';
import { buildAndPreview } from '../../test/helpers/preview.ts';
import { isPresetName } from '../sim/presets.ts';

const USAGE =
  'usage: npm run bench:ui -- [--presets quick,ngram] [--backend wasm|webgpu] [--isolation on|off] [--out bench/out/ui.json]';

interface UiResult {
  preset: string;
  backend: string;
  /** WASM threads the run used (from the lab's backend line), null when it does not say. */
  wasmThreads: number | null;
  runSeconds: number;
  longTasks: number;
  longestMs: number;
  /** Sum over long tasks of the time past 50 ms (Lighthouse's total blocking time). */
  totalBlockingMs: number;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        presets: { type: 'string', default: 'quick,ngram' },
        backend: { type: 'string', default: 'wasm' },
        isolation: { type: 'string', default: 'on' },
        out: { type: 'string', default: 'bench/out/ui.json' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    console.error(`error: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const presets = values.presets.split(',').filter(Boolean);
  const bad = presets.filter((p) => !isPresetName(p));
  if (
    bad.length ||
    !['wasm', 'webgpu'].includes(values.backend) ||
    !['on', 'off'].includes(values.isolation)
  ) {
    console.error(
      `error: unknown preset ${bad.join(', ') || ''}, backend '${values.backend}' or isolation '${values.isolation}'\n${USAGE}`,
    );
    return 2;
  }
  // The site built into a folder of its own and served; closing the server removes the build.
  const { server, url } = await buildAndPreview({ isolated: values.isolation === 'on' });
  const browser = await launchChromium();
  const results: UiResult[] = [];
  try {
    for (const preset of presets) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${url}?preset=${preset}&backend=${values.backend}`);
      await page.evaluate(() => {
        const w = window as unknown as { longTasks: number[] };
        w.longTasks = [];
        new PerformanceObserver((l) => l.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({
          type: 'longtask',
        });
      });
      const t0 = performance.now();
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await page.waitForFunction(
        () =>
          ['done', 'failed'].includes(
            document.querySelector('[data-testid=status]')?.getAttribute('data-status') ?? '',
          ),
        null,
        { timeout: 900_000, polling: 500 },
      );
      const runSeconds = (performance.now() - t0) / 1000;
      const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
      const threads = /(\d+) WASM threads?/.exec((await page.textContent('[data-testid=backend]')) ?? '');
      results.push({
        preset,
        backend: values.backend,
        wasmThreads: threads ? Number(threads[1]) : null,
        runSeconds: Math.round(runSeconds * 10) / 10,
        longTasks: tasks.length,
        longestMs: Math.round(tasks.reduce((a, b) => Math.max(a, b), 0)),
        totalBlockingMs: Math.round(tasks.reduce((s, d) => s + Math.max(0, d - 50), 0)),
      });
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log(
    '| preset | backend | WASM threads | run (s) | tasks > 50 ms | longest (ms) | total blocking (ms) |',
  );
  console.log(
    '| ------ | ------- | -----------: | ------: | ------------: | -----------: | ------------------: |',
  );
  for (const r of results)
    console.log(
      `| ${r.preset} | ${r.backend} | ${r.wasmThreads ?? '–'} | ${r.runSeconds} | ${r.longTasks} | ${r.longestMs} | ${r.totalBlockingMs} |`,
    );
  const load = os.loadavg().map((x) => x.toFixed(2));
  console.log(`load average ${load.join(' ')} on ${os.availableParallelism()} cores`);
  mkdirSync(path.dirname(values.out), { recursive: true });
  writeFileAtomic(
    values.out,
    JSON.stringify(
      { date: new Date().toISOString(), isolation: values.isolation, loadavg: os.loadavg(), results },
      null,
      1,
    ),
  );
  return 0;
}

process.exitCode = await main();
