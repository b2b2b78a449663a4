import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * The built site's Content-Security-Policy: everything from its own origin, nothing from anywhere else.
 * - script-src 'wasm-unsafe-eval': onnxruntime-web compiles its .wasm (WebAssembly.instantiate); no
 *   'unsafe-eval' and no inline scripts (Vite emits none: the entry is an external module).
 * - worker-src 'self': the simulation worker is a same-origin module file.
 * - img-src data: blob:: the favicon is `data:,`; PNG export draws the chart's SVG from a blob: URL.
 * - style-src 'self': stylesheets only from the site's own CSS files (Vite extracts every component's
 *   styles into them), so no <style> element can be injected. style-src-attr 'unsafe-inline': style
 *   *attributes* stay allowed — the chart export sets one on the SVG it serialises, and Svelte writes
 *   `style="…"` attributes and `style:` directives through them; an attribute style can neither run
 *   script nor hold selectors, and user text is never rendered as HTML (no {@html}) to inject one.
 * - frame-ancestors cannot be set from a <meta> (the embed is meant to be framed anyway).
 * Applied to the build only: the dev server injects its HMR client and component styles inline.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

const contentSecurityPolicy = (): Plugin => ({
  name: 'content-security-policy',
  apply: 'build',
  transformIndexHtml: (html) =>
    html.replace(
      '<meta charset="utf-8" />',
      `<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`,
    ),
});

/**
 * Cross-origin isolation: with these headers the page gets SharedArrayBuffer, so onnxruntime-web runs
 * WASM on several threads (without them, one). The app makes no cross-origin requests, so
 * require-corp blocks nothing; CORP cross-origin lets an isolated article embed the page in an iframe.
 * The dev and preview servers send them; `public/_headers` asks static hosts that read it to do the
 * same (README, "Cross-origin isolation").
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/**
 * The app's Vite config; `isolated: false` serves it as a static host without the headers would
 * (the bench's single-thread browser rows).
 */
export function appConfig({ isolated = true } = {}): UserConfig {
  const headers = isolated ? ISOLATION_HEADERS : {};
  return {
    plugins: [svelte(), contentSecurityPolicy()],
    // The app is a static site. onnxruntime-web loads its .wasm files from the same origin
    // (copied into the build by Vite's asset handling), so the built site makes no outside requests.
    base: './',
    worker: { format: 'es' },
    optimizeDeps: { exclude: ['onnxruntime-web'] },
    build: { target: 'es2022', chunkSizeWarningLimit: 30000 },
    server: { port: 5173, headers },
    preview: { headers },
  };
}

export default defineConfig(appConfig());
