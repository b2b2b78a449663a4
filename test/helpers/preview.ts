// Build the app once and serve dist/ with Vite's preview server, for end-to-end tests of the real site.
import { build, preview, type PreviewServer } from 'vite';

const config = new URL('../../vite.config.ts', import.meta.url).pathname;

export async function buildAndPreview(): Promise<{ server: PreviewServer; url: string }> {
  await build({ configFile: config, logLevel: 'error' });
  const server = await preview({
    configFile: config,
    preview: { port: 0, host: '127.0.0.1', open: false },
    logLevel: 'error',
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no address');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}
