// Global setup of the e2e lane: one production build of the app for every e2e test file, instead of
// one build per file. buildAndPreview serves this folder when it is provided.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { appConfig } from '../../vite.config.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the app built once for the e2e lane ('' when each file builds its own). */
    builtSite: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const outDir = path.resolve(`.tmp/dist-e2e-${process.pid}`);
  // The headers differ between isolated and plain serving; the build itself is the same.
  const app = appConfig();
  await build({
    ...app,
    configFile: false,
    logLevel: 'error',
    build: { ...app.build, outDir, emptyOutDir: true },
  });
  project.provide('builtSite', outDir);
  return () => fs.rmSync(outDir, { recursive: true, force: true });
}
