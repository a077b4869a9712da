import { expect } from 'vitest';
import type { TApp, TAppOverrides } from '@/lib/app';
import { createTestDb } from './pglite-template';
import type { TDb } from '@/lib/db/types';
import { createTestApp } from './app';
import { expectError } from './contract';
import { startTestServer, type TTestServer } from './server';
import { createPostgresTestDatabase, type TStoreKind } from './stores';

export { expectError };

// Several app instances on one real database, each behind its own HTTP server: what several server processes
// sharing a database look like, in one test process. On PGlite they share one database object; on Postgres
// (`store: 'postgres'`) each instance opens its own pool on the same DATABASE_URL, as separate processes do,
// and notifications travel through the server (LISTEN/NOTIFY).

export type TInstances = { db: TDb & { pg?: unknown }; apps: TApp[]; servers: TTestServer[]; urls: string[]; close(): Promise<void> };

export async function startInstances({
  count = 2,
  env = {},
  overrides = () => ({}),
  db,
  store = 'pglite',
  isEveryInstanceStarted = false,
}: {
  count?: number;
  env?: Record<string, string>;
  overrides?: (index: number) => TAppOverrides;
  db?: TDb;
  store?: TStoreKind;
  /** Every instance runs startApp (sweeper included), as separate servers do; by default only the first. */
  isEveryInstanceStarted?: boolean;
} = {}): Promise<TInstances> {
  const url = store === 'postgres' && !db ? await createPostgresTestDatabase() : undefined;
  const shared = url ? undefined : (db ?? (await createTestDb()));
  const apps: TApp[] = [];
  const servers: TTestServer[] = [];
  for (let index = 0; index < count; index += 1) {
    // Only the first instance indexes the docs; the others find them in the shared database.
    const app = await createTestApp({
      env: url ? { ...env, DATABASE_URL: url } : env,
      overrides: { ...overrides(index), ...(shared ? { db: shared } : {}) },
      isStarted: index === 0 || isEveryInstanceStarted,
    });
    apps.push(app);
    servers.push(await startTestServer(app));
  }
  return {
    db: shared ?? apps[0]!.db,
    apps,
    servers,
    urls: servers.map((server) => server.url),
    async close() {
      for (const server of servers) await server.close();
      if (shared) await shared.close();
      else for (const app of apps) await app.db.close();
    },
  };
}

/** A 429 as the contract has it: Retry-After in whole seconds, and a message the UI can show. */
export function expectRateLimited(response: { status: number; body: any; headers: Headers }, { message, minRetry = 1, maxRetry = 86_400 }: { message: RegExp; minRetry?: number; maxRetry?: number }) {
  expectError(response, 429, 'rate_limited');
  expect(response.body.error.message).toMatch(message);
  const retryAfter = response.headers.get('retry-after');
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(minRetry);
  expect(Number(retryAfter)).toBeLessThanOrEqual(maxRetry);
  return Number(retryAfter);
}

export type TSession = ReturnType<typeof createSession>;

/** One reader (one session cookie) that may talk to any instance, as behind a load balancer. */
export function createSession(defaultHeaders: Record<string, string> = {}) {
  let cookie: string | undefined;
  const request = async (base: string, method: string, route: string, options: { json?: unknown; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...defaultHeaders, ...(options.headers ?? {}) };
    if (cookie) headers.cookie = cookie;
    if (options.json !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${base}${route}`, {
      method,
      headers,
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0];
    const text = await response.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Kept as text.
    }
    return { status: response.status, headers: response.headers, body };
  };
  return {
    request,
    get: (base: string, route: string, headers?: Record<string, string>) => request(base, 'GET', route, { headers }),
    post: (base: string, route: string, json?: unknown, headers?: Record<string, string>) => request(base, 'POST', route, { json, headers }),
    get cookie() {
      return cookie;
    },
  };
}

/**
 * msw's strictness for tests that also talk to their own servers on 127.0.0.1: those requests pass through,
 * anything else unhandled is an error.
 */
export function onlyLocalUnhandled(request: Request, print: { error(): void }) {
  if (new URL(request.url).hostname === '127.0.0.1') return;
  print.error();
}
