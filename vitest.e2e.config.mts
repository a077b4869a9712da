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
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // expect.poll gives up after 1 s by default. In CI the browser tier runs beside two other tiers on two cores
    // (load 12-13), where a panel took longer than that to render its empty state after opening, and the test
    // failed (side-panel, ci of stop 32); 10 s was outrun once too (markdown-loading's render after its chunk
    // arrives), so it is 30 s. A limit on waiting, not a speed check: the poll still ends at the first success.
    expect: { poll: { timeout: 30_000 } },
    setupFiles: ['tests/helpers/setup.ts'],
  },
});
