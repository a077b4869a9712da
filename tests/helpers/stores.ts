import pg from 'pg';
import { inject } from 'vitest';
import { createPostgresDb, type TPostgresDb } from '@/lib/db/postgres';
import type { TDb } from '@/lib/db/types';
import { createTestDb } from './pglite-template';

// The stores the integration suite runs on: PGlite (embedded) and a real Postgres server that the test run
// starts itself (tests/helpers/postgres-global-setup.ts). Files that cover the store are parametrized with
// `describe.each(STORES)`.

export const STORES = ['pglite', 'postgres'] as const;
export type TStoreKind = (typeof STORES)[number];

const TEMPLATE_DATABASE = 'paste_template';
let count = 0;

/** A fresh database on the test run's Postgres server, copied from the migrated template; returns its URL. */
export async function createPostgresTestDatabase(): Promise<string> {
  const serverUrl = inject('postgresUrl');
  if (!serverUrl) throw new Error('No test Postgres server: tests/helpers/postgres-global-setup.ts did not run.');
  const name = `t_${process.pid}_${(count += 1)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`create database ${name} template ${TEMPLATE_DATABASE}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh, migrated database of the given kind. */
export async function createStoreDb(kind: TStoreKind, { poolSize = 10 }: { poolSize?: number } = {}): Promise<TDb> {
  if (kind === 'pglite') return createTestDb();
  return createPostgresTestDb({ poolSize });
}

export async function createPostgresTestDb({ poolSize = 10 }: { poolSize?: number } = {}): Promise<TPostgresDb> {
  const db = await createPostgresDb({ connectionString: await createPostgresTestDatabase(), poolSize });
  await db.whenListening();
  return db;
}

type TRawQueryable = { pg?: { query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>; exec(sql: string): Promise<unknown> }; pool?: pg.Pool };

/** Raw SQL on a test database of either kind (tests that set up a state the API cannot reach, e.g. a lapsed lease). */
export async function querySql<T>(db: TDb, sql: string, params: unknown[] = []): Promise<{ rows: T[] }> {
  const raw = db as unknown as TRawQueryable;
  if (raw.pool) return (await raw.pool.query(sql, params)) as unknown as { rows: T[] };
  if (raw.pg) return (await raw.pg.query(sql, params)) as { rows: T[] };
  throw new Error(`querySql: a ${db.transport} database without a raw connection`);
}

/** Several statements, no parameters. */
export async function execSql(db: TDb, sql: string): Promise<void> {
  const raw = db as unknown as TRawQueryable;
  if (raw.pool) await raw.pool.query(sql);
  else if (raw.pg) await raw.pg.exec(sql);
  else throw new Error(`execSql: a ${db.transport} database without a raw connection`);
}
