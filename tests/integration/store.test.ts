import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { createPgliteDb } from '@/lib/db/pglite';
import { readMigrations } from '@/lib/db/migrations';
import { createThread, getThreadById } from '@/lib/db/threads';
import { loadSessionSecret } from '@/lib/session';
import { makeTempDir } from '@/scripts/lib/temp-dir';

describe('embedded store', () => {
  it('creates DATA_DIR, applies migrations once, and keeps data across restarts', async () => {
    const dataDir = path.join(makeTempDir('pa-store-'), 'nested', '.data');
    const first = await createPgliteDb({ dataDir });
    const thread = await createThread({ db: first, owner: 'owner_1', metadata: { threadTitle: 'Kept' } });
    const applied = await first.pg.query<{ name: string }>('select name from pa_schema_migration order by name');
    expect(applied.rows.map((row) => row.name)).toEqual(readMigrations().map((migration) => migration.name));
    await first.close();

    const second = await createPgliteDb({ dataDir });
    expect((await getThreadById({ db: second, owner: 'owner_1', threadId: thread.id })).metadata).toEqual({ threadTitle: 'Kept' });
    const appliedAgain = await second.pg.query<{ applied_at: string }>('select applied_at from pa_schema_migration');
    expect(appliedAgain.rows).toHaveLength(applied.rows.length);
    await second.close();
  });

  it('re-applies every migration safely (they are idempotent)', async () => {
    const db = await createPgliteDb({ dataDir: 'memory://' });
    for (const migration of readMigrations()) await db.pg.exec(migration.sql);
    const thread = await createThread({ db, owner: 'owner_1', metadata: {} });
    expect(thread.id).toMatch(/^thread_/);
    await db.close();
  });

  it('turns row-level security on for every table', async () => {
    const db = await createPgliteDb({ dataDir: 'memory://' });
    const tables = await db.pg.query<{ relname: string; relrowsecurity: boolean }>(
      `select c.relname, c.relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r'`,
    );
    expect(tables.rows.length).toBeGreaterThanOrEqual(5);
    expect(tables.rows.filter((row) => !row.relrowsecurity)).toEqual([]);
    await db.close();
  });
});

describe('session secret', () => {
  it('is generated once into DATA_DIR (mode 600) and reused; a configured one wins', () => {
    const dataDir = makeTempDir('pa-secret-');
    const config = parseConfig({ DATA_DIR: dataDir });
    const secret = loadSessionSecret(config);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(loadSessionSecret(config)).toBe(secret);
    expect(readFileSync(path.join(dataDir, 'session-secret'), 'utf8')).toBe(secret);
    expect(statSync(path.join(dataDir, 'session-secret')).mode & 0o777).toBe(0o600);
    const configured = parseConfig({ DATA_DIR: dataDir, SESSION_SECRET: 'c'.repeat(40) });
    expect(loadSessionSecret(configured)).toBe('c'.repeat(40));
  });
});
