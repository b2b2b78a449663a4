// Browser backends of `npm run bench`: headless Chromium (playwright-core, the test helper's flags:
// WebGPU is SwiftShader on the CPU) opens src/bench/page/index.html from a Vite dev server over the
// repository; the engine runs in a module Web Worker. The page is served either cross-origin
// isolated (COOP/COEP headers, so onnxruntime-web may use WASM threads) or plain (one WASM thread).
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { CHROMIUM, launchChromium } from '../../test/helpers/browser.ts';
import { startViteServer } from '../../test/helpers/vite-server.ts';
import { appConfig } from '../../vite.config.ts';
import type { ModelSpec } from '../model/spec.ts';
import type { BrowserBenchApi } from './page/bench.worker.ts';
import type { MeasureSettings } from './measure.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

type Api = {
  [K in keyof BrowserBenchApi]: (
    ...a: Parameters<BrowserBenchApi[K]>
  ) => Promise<Awaited<ReturnType<BrowserBenchApi[K]>>>;
};
export type BrowserInfo = Awaited<ReturnType<BrowserBenchApi['info']>>;
export type BrowserRun = Awaited<ReturnType<BrowserBenchApi['run']>>;

/** A Vite dev server over the repository, with the app's COOP/COEP headers (as `npm start`) or none. */
function startServer(isolated: boolean): Promise<{ server: ViteDevServer; url: string }> {
  const app = appConfig({ isolated });
  return startViteServer({
    ...app,
    // Not the config file: its server headers would merge into any given here.
    configFile: false,
    root: ROOT,
    // Own dependency caches, pre-bundled up front: a dependency discovered mid-run (or another Vite
    // process re-optimising a shared cache) makes Vite reload the page under a running benchmark.
    cacheDir: `${ROOT}node_modules/.vite-bench-${isolated ? 'coi' : 'plain'}`,
    optimizeDeps: { ...app.optimizeDeps, include: ['comlink', 'onnx-proto'] },
    server: { headers: app.server?.headers },
  });
}

/** Why the browser backends cannot run here, or null when they can. */
export function browserUnavailable(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH to a Chromium/Chrome binary)`;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e as Error)),
    );
  });

export class BrowserBench {
  private servers = new Map<boolean, Promise<{ server: ViteDevServer; url: string }>>();
  private constructor(readonly browser: Browser) {}

  static async launch(): Promise<BrowserBench> {
    return new BrowserBench(await launchChromium());
  }

  version(): string {
    return this.browser.version();
  }

  private url(isolated: boolean): Promise<string> {
    let s = this.servers.get(isolated);
    if (!s) {
      s = startServer(isolated);
      this.servers.set(isolated, s);
    }
    return s.then((x) => x.url);
  }

  /** A fresh page (and so a fresh worker) with the benchmark API, run `job`, then close it. */
  private async withPage<T>(isolated: boolean, job: (call: CallFn) => Promise<T>): Promise<T> {
    try {
      return await this.onPage(isolated, job);
    } catch (e) {
      // Vite reloads the page when it re-optimises dependencies; that is not the engine's fault.
      if (!/Execution context was destroyed|navigation/i.test((e as Error).message)) throw e;
      return await this.onPage(isolated, job);
    }
  }

  private async onPage<T>(isolated: boolean, job: (call: CallFn) => Promise<T>): Promise<T> {
    const page = await this.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    try {
      await page.goto(`${await this.url(isolated)}/src/bench/page/index.html`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      return await job(caller(page));
    } catch (e) {
      const extra = errors.length ? ` (page errors: ${errors.slice(0, 3).join(' | ')})` : '';
      throw new Error(`${(e as Error).message.split('\n')[0]}${extra}`, { cause: e });
    } finally {
      await page.close().catch(() => undefined);
    }
  }

  info(isolated: boolean): Promise<BrowserInfo> {
    return this.withPage(isolated, (call) => withTimeout(call('info'), 60_000, 'browser info'));
  }

  run(
    backend: 'webgpu' | 'wasm',
    isolated: boolean,
    spec: ModelSpec,
    seed: number,
    settings: MeasureSettings,
    timeoutMs: number,
  ): Promise<BrowserRun> {
    return this.withPage(isolated, (call) =>
      withTimeout(call('run', backend, spec, seed, settings), timeoutMs, `${backend} in Chromium`),
    );
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    for (const s of this.servers.values()) await (await s).server.close();
    this.servers.clear();
  }
}

type CallFn = <K extends keyof BrowserBenchApi>(
  name: K,
  ...args: Parameters<BrowserBenchApi[K]>
) => Promise<Awaited<ReturnType<BrowserBenchApi[K]>>>;

const caller =
  (page: Page): CallFn =>
  <K extends keyof BrowserBenchApi>(name: K, ...args: Parameters<BrowserBenchApi[K]>) =>
    page.evaluate(
      ([name, args]) =>
        // eslint-disable-next-line no-restricted-syntax -- forwards a call's own few arguments
        (window as unknown as { bench: Api }).bench[name as K](...(args as Parameters<BrowserBenchApi[K]>)),
      [name, args] as const,
    ) as Promise<Awaited<ReturnType<BrowserBenchApi[K]>>>;
