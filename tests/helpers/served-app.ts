import { afterAll, beforeAll } from 'vitest';
import type { TApp } from '@/lib/app';
import { createTestApp } from './app';
import { startTestServer, type TTestServer } from './server';

/**
 * One app (createTestApp's options) served over HTTP on 127.0.0.1 for a file's tests: started before them, closed
 * after. Read `app` and `server` inside the tests (they are set once beforeAll has run).
 */
export function serveTestAppForFile(options?: Parameters<typeof createTestApp>[0]): { app: TApp; server: TTestServer } {
  const served = {} as { app: TApp; server: TTestServer };
  beforeAll(async () => {
    served.app = await createTestApp(options);
    served.server = await startTestServer(served.app);
  });
  afterAll(async () => {
    await served.server?.close();
    await served.app?.db.close();
  });
  return served;
}
