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
