import path from 'node:path';
import { createApp, startApp, type TApp, type TAppOverrides } from '@/lib/app';
import { parseConfig } from '@/lib/config';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestDb } from './pglite-template';
import { createPostgresTestDatabase, STORES, type TStoreKind } from './stores';

export const FIXTURE_DOCS_DIR = path.resolve(import.meta.dirname, '../fixtures/docs');
export const TEST_SESSION_SECRET = 'test-session-secret-0123456789-abcdefghij';

/**
 * RUN_PIPELINING's values: the run engine's plain path (off) and its pipelined tool round (on, the default;
 * lib/assistant/engine/pipeline.ts). The engine's tests run in both: `env: { RUN_PIPELINING: pipelining }`.
 */
export const PIPELINING = ['on', 'off'] as const;

/** Each store with pipelining on and off: `describe.each(ENGINE_MODES)('… on $store, pipelining $pipelining', …)`. */
export const ENGINE_MODES = STORES.flatMap((store) => PIPELINING.map((pipelining) => ({ store, pipelining })));

/**
 * A real app on a throwaway database with the fixture docs indexed: in-memory PGlite, or (`store: 'postgres'`,
 * or a DATABASE_URL in `env`) a fresh database on the test run's Postgres server, opened by the app itself as
 * DATABASE_URL is in production. `env` is the environment as the server would see it.
 */
export async function createTestApp({
  env: givenEnv = {},
  overrides = {},
  isStarted = true,
  store = 'pglite',
}: {
  env?: Record<string, string>;
  overrides?: TAppOverrides;
  isStarted?: boolean;
  store?: TStoreKind;
} = {}): Promise<TApp> {
  const env = store === 'postgres' && !givenEnv.DATABASE_URL && !overrides.db ? { ...givenEnv, DATABASE_URL: await createPostgresTestDatabase() } : givenEnv;
  const dataDir = makeTempDir('paste-assistant-test-');
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    DOCS_DIR: FIXTURE_DOCS_DIR,
    SESSION_SECRET: TEST_SESSION_SECRET,
    // Tests make many requests from one address in a burst; the limits' own tests set tight ones.
    RATE_LIMIT_BURST: '100000',
    RATE_LIMIT_IP_BURST: '100000',
    RATE_LIMIT_MESSAGES_PER_HOUR: '100000',
    RATE_LIMIT_IP_MESSAGES_PER_HOUR: '100000',
    // With an OpenAI key, moderation would call OpenAI first; tests that cover it turn it back on.
    MODERATION: 'off',
    ...env,
  });
  const db = overrides.db ?? (env.DATABASE_URL ? undefined : await createTestDb());
  const app = await createApp(config, { ...overrides, db });
  if (isStarted) await startApp(app);
  return app;
}
