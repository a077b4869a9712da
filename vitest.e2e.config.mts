import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Browser tests: Debian's Chromium driven by playwright-core against `next start` of a production build
// (`npm run build` first). The global setup starts the servers once; files run one after another (the
// machine has two cores and each file drives a real browser).
export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/helpers/global-setup.ts'],
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    setupFiles: ['tests/helpers/setup.ts'],
  },
});
