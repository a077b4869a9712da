import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { readMigrations, readSchemas } from '@/lib/db/migrations';
import { createPostgresDb, type TPostgresDb } from '@/lib/db/postgres';
import { createThread, getThreadById } from '@/lib/db/threads';
import { getHealth } from '@/lib/health';
import { createTestApp } from '../helpers/app';
import { waitUntil } from '../helpers/models';
import { createPostgresTestDatabase } from '../helpers/stores';

// The DATABASE_URL transport against a real Postgres server that the test run started
// (tests/helpers/postgres-global-setup.ts): migrations under an advisory lock, the error contract, LISTEN/NOTIFY.

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

async function open(url: string, poolSize = 4): Promise<TPostgresDb> {
  const db = await createPostgresDb({ connectionString: url, poolSize });
  opened.push(db);
  return db;
}

/** An empty database (no migrations applied yet). */
async function createEmptyDatabase(): Promise<string> {
  const url = await createPostgresTestDatabase();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('drop schema public cascade; create schema public;');
  await client.end();
  return url;
}

async function query<T extends pg.QueryResultRow>(db: TPostgresDb, sql: string, params: unknown[] = []) {
  return (await db.pool.query<T>(sql, params)).rows;
}

describe('Postgres store (DATABASE_URL)', () => {
  it('applies the migrations and schema files once, in file order, when three instances start together on an empty database', async () => {
    const url = await createEmptyDatabase();
    const [first] = await Promise.all([open(url), open(url), open(url)]);
    const applied = await query<{ name: string; checksum: string }>(first!, 'select name, checksum from pa_schema_migration order by applied_at, name');
    const migrations = readMigrations();
    expect(applied.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
    expect(applied.map((row) => row.checksum)).toEqual(migrations.map((migration) => migration.checksum));
    const schemaFiles = await query<{ name: string; checksum: string }>(first!, 'select name, checksum from pa_schema_file order by name');
    expect(schemaFiles).toEqual(readSchemas().map((schema) => ({ name: schema.name, checksum: schema.checksum })));

    // A restart applies nothing again (the rows keep their first applied_at).
    const before = await query<{ applied_at: Date }>(first!, 'select applied_at from pa_schema_migration order by name');
    await open(url);
    const after = await query<{ applied_at: Date }>(first!, 'select applied_at from pa_schema_migration order by name');
    expect(after).toEqual(before);
  });

  it('runs the same SQL functions: data round-trips, ownership is a 404, row-level security is on everywhere', async () => {
    const db = await open(await createPostgresTestDatabase());
    const thread = await createThread({ db, owner: 'owner_1', metadata: { threadTitle: 'Kept', note: 'é ✓ "quoted"' } });
    expect(thread.id).toMatch(/^thread_/);
    expect((await getThreadById({ db, owner: 'owner_1', threadId: thread.id })).metadata).toEqual({ threadTitle: 'Kept', note: 'é ✓ "quoted"' });
    await expect(getThreadById({ db, owner: 'owner_2', threadId: thread.id })).rejects.toMatchObject({ code: 'not_found' });
    const tables = await query<{ relname: string; relrowsecurity: boolean }>(
      db,
      `select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r'`,
    );
    expect(tables.length).toBeGreaterThanOrEqual(6);
    expect(tables.filter((row) => !row.relrowsecurity)).toEqual([]);
    // pg_trgm served only the SQL docs vocabulary, which the in-memory ranker replaced: the baseline has neither.
    expect(await query(db, `select 1 from pg_extension where extname = 'pg_trgm'`)).toHaveLength(0);
  });

  it('answers a database that cannot be reached with the unavailable error, not a crash', async () => {
    const db = await open(await createPostgresTestDatabase(), 1);
    await db.pool.query('select 1');
    const url = new URL(await createPostgresTestDatabase());
    url.port = '1';
    await expect(createPostgresDb({ connectionString: url.toString() })).rejects.toThrow();
    const stopped = await createPostgresDb({ connectionString: await createPostgresTestDatabase(), poolSize: 1 });
    await stopped.pool.end();
    await expect(stopped.rpc('get_docs_index_stats')).rejects.toMatchObject({ code: expect.stringMatching(/^(unavailable|internal)$/) });
  });

  it('carries notifications between instances in the order they were sent (LISTEN/NOTIFY), and its own back', async () => {
    const url = await createPostgresTestDatabase();
    const sender = await open(url);
    const receiver = await open(url);
    expect(receiver.isNotifyShared).toBe(true);
    const heardByReceiver: (string | null)[] = [];
    const heardBySender: (string | null)[] = [];
    receiver.listen('pa_test', (payload) => heardByReceiver.push(payload));
    sender.listen('pa_test', (payload) => heardBySender.push(payload));
    await receiver.whenListening();
    await sender.whenListening();
    const payloads = Array.from({ length: 50 }, (_, index) => JSON.stringify({ n: index, text: 'é'.repeat(index) }));
    await Promise.all(payloads.map((payload) => sender.notify('pa_test', payload)));
    await waitUntil(() => heardByReceiver.length === payloads.length && heardBySender.length === payloads.length);
    expect(heardByReceiver).toEqual(payloads);
    expect(heardBySender).toEqual(payloads);
  });

  it('reconnects a listener whose connection was killed, tells it that it may have missed notifications, and delivers again', async () => {
    const url = await createPostgresTestDatabase();
    const db = await open(url);
    const heard: (string | null)[] = [];
    db.listen('pa_test', (payload) => heard.push(payload));
    await db.whenListening();
    await db.pool.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'paste-assistant-listen' and datname = current_database()`);
    await waitUntil(() => heard.includes(null), 10_000);
    await db.notify('pa_test', 'after');
    await waitUntil(() => heard.includes('after'), 10_000);
    expect(heard.filter((payload) => payload !== null)).toEqual(['after']);
  });

  it('runs the app on DATABASE_URL: health reports the store as postgres', async () => {
    const url = await createPostgresTestDatabase();
    const app = await createTestApp({ env: { DATABASE_URL: url }, overrides: { db: undefined } });
    opened.push(app.db);
    expect(app.db.transport).toBe('postgres');
    const health = await getHealth(app);
    expect(health.modes.store).toBe('postgres');
    expect(health.docs.pages).toBeGreaterThan(0);
  });
});
