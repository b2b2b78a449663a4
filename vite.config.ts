import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The app is a static site. onnxruntime-web loads its .wasm files from the same origin
// (copied into the build by Vite's asset handling), so the built site makes no outside requests.
export default defineConfig({
  plugins: [svelte()],
  base: './',
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 30000 },
  server: { port: 5173 },
});
