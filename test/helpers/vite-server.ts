// A Vite dev server over the repository for browser tests of source modules (workers included), and for
// the bench's browser pages (which add headers and a dependency cache of their own).
import { createServer, mergeConfig, type InlineConfig, type ViteDevServer } from 'vite';

export async function startViteServer(
  overrides: InlineConfig = {},
): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer(
    mergeConfig(
      {
        configFile: new URL('../../vite.config.ts', import.meta.url).pathname,
        server: { port: 0, host: '127.0.0.1', open: false },
        logLevel: 'error',
        clearScreen: false,
      } satisfies InlineConfig,
      overrides,
    ),
  );
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('vite dev server has no address');
  return { server, url: `http://127.0.0.1:${address.port}` };
}
