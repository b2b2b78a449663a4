import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // onnxruntime-node is a native addon: separate processes keep each test file's sessions isolated.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
