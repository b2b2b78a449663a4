// Serve the built app with Vite's preview server, for end-to-end tests of the real site. In the e2e
// lane the app is built once for every file (test/helpers/built-site.ts); elsewhere each test process
// builds into its own folder: test files run in parallel, and two builds emptying one dist/ would race.
import fs from 'node:fs';
import path from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { appConfig } from '../../vite.config.ts';

/**
 * Build the app and serve it with `vite preview`, as `npm run build && npm run preview` would: with the
 * app's cross-origin-isolation headers, or (`isolated: false`) as a static host without them.
 */
export async function buildAndPreview({ isolated = true } = {}): Promise<{
  server: PreviewServer;
  url: string;
  outDir: string;
}> {
  // Outside vitest (npm run bench:ui) there is no shared build.
  const shared = process.env.VITEST ? ((await import('vitest')).inject('builtSite') ?? '') : '';
  const outDir = shared || path.resolve(`.tmp/dist-${process.pid}`);
  const app = appConfig({ isolated });
  if (!shared)
    await build({
      ...app,
      configFile: false,
      logLevel: 'error',
      build: { ...app.build, outDir, emptyOutDir: true },
    });
  const server = await preview({
    ...app,
    configFile: false,
    build: { outDir },
    preview: { ...app.preview, port: 0, host: '127.0.0.1', open: false },
    logLevel: 'error',
  });
  // Closing the server also removes a build of its own (each is tens of megabytes of onnxruntime
  // WASM); the shared build is removed by the global setup's teardown.
  const close = server.close.bind(server);
  server.close = async () => {
    await close();
    if (!shared) fs.rmSync(outDir, { recursive: true, force: true });
  };
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no address');
  return { server, url: `http://127.0.0.1:${address.port}/`, outDir };
}
