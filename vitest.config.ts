import { defineConfig } from 'vitest/config';

/** Test files that drive Chromium (a page or a worker in it), apart from the e2e tests of the built site. */
const browserTests = [
  'test/browser/**/*.test.ts',
  'test/charts/charts.test.ts',
  'test/charts/charts-more.test.ts',
  'test/charts/gallery.test.ts',
  'test/app/storage.test.ts',
];
/** Test files that run the CLI commands as processes. */
const cliTests = ['test/cli/**/*.test.ts'];
const e2eTests = ['test/e2e/**/*.test.ts'];

// Lanes: `npm run test:unit` (no browser, no CLI process: the fast lane), `test:cli`, `test:browser`,
// `test:e2e` (one build of the app shared by every file); `npm test` runs them all.
export default defineConfig({
  test: {
    // onnxruntime-node is a native addon: separate processes keep each test file's sessions isolated.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...browserTests, ...cliTests, ...e2eTests],
        },
      },
      { extends: true, test: { name: 'cli', include: cliTests } },
      { extends: true, test: { name: 'browser', include: browserTests } },
      {
        extends: true,
        test: { name: 'e2e', include: e2eTests, globalSetup: ['test/helpers/built-site.ts'] },
      },
    ],
  },
});
