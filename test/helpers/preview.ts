// Build the app once per test file and serve it with Vite's preview server, for end-to-end tests of the
// real site. Each test process builds into its own folder: test files run in parallel, and two builds
// emptying one dist/ would race.
import fs from 'node:fs';
import path from 'node:path';
import { build, preview, type PreviewServer } from 'vite';

const config = new URL('../../vite.config.ts', import.meta.url).pathname;

export async function buildAndPreview(): Promise<{ server: PreviewServer; url: string; outDir: string }> {
  const outDir = path.resolve(`.tmp/dist-${process.pid}`);
  await build({ configFile: config, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    configFile: config,
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', open: false },
    logLevel: 'error',
  });
  // Closing the server also removes its build (each is tens of megabytes of onnxruntime WASM).
  const close = server.close.bind(server);
  server.close = async () => {
    await close();
    fs.rmSync(outDir, { recursive: true, force: true });
  };
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no address');
  return { server, url: `http://127.0.0.1:${address.port}/`, outDir };
}
