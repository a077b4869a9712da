import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// The production tier: the HTTP contract against `next start` of the production build (`npm run build` first;
// without one the global setup fails and says so). The global setup starts the servers and the fake model and
// Slack servers once; files run one after another (two cores, and the servers are shared).
// Checked here as well as in the global setup, so that the reason is the first and only thing printed.
if (!existsSync(path.join(import.meta.dirname, '.next', 'BUILD_ID'))) {
  throw new Error(
    'The production tier tests `next start` of a production build, and there is none (.next/BUILD_ID is missing). ' +
      'Run `npm run build` first, then `npm run test:production`.',
  );
}

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['tests/production/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/production/helpers/global-setup.ts'],
    fileParallelism: false,
    pool: 'forks',
    // .ci/run runs this tier beside the test suites on two cores: a limit with room, not a speed check.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    setupFiles: ['tests/helpers/setup.ts'],
  },
});
