import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { assertIdentifier, mapDbError } from './errors';
import { readMigrations, type TMigration } from './migrations';
import type { TDb } from './types';

type TPgError = { code?: string; message?: string };

/**
 * The embedded transport: Postgres in WASM. `dataDir` is a folder (created if missing) or `memory://`
 * for a throwaway database (tests). Migrations are applied before the first call. `loadDataDir` starts
 * from a dump of another database (tests start from an already migrated one).
 */
export async function createPgliteDb({
  dataDir,
  migrations = readMigrations(),
  loadDataDir,
}: {
  dataDir: string;
  migrations?: TMigration[];
  loadDataDir?: Blob;
}): Promise<TDb & { pg: PGlite }> {
  const isMemory = dataDir.startsWith('memory://');
  const location = isMemory ? dataDir : path.join(dataDir, 'pglite');
  if (!isMemory) mkdirSync(location, { recursive: true });
  const pg = await PGlite.create(location, { extensions: { pg_trgm }, ...(loadDataDir ? { loadDataDir } : {}) });
  await applyMigrations(pg, migrations);

  return {
    transport: 'pglite',
    pg,
    async rpc<T>(name: string, args: Record<string, unknown> = {}): Promise<T> {
      const names = Object.keys(args).map(assertIdentifier);
      const params = names.map((key, index) => `${key} => $${index + 1}`).join(', ');
      const values = names.map((key) => toParam(args[key]));
      try {
        const result = await pg.query<{ result: T }>(`select ${assertIdentifier(name)}(${params}) as result`, values);
        return (result.rows[0]?.result ?? null) as T;
      } catch (error) {
        throw mapDbError(error as TPgError, name);
      }
    },
    async close() {
      if (!pg.closed) await pg.close();
    },
  };
}

// Arrays and objects go to jsonb parameters as JSON text; PGlite would otherwise send arrays as Postgres arrays.
function toParam(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) return JSON.stringify(value);
  return value;
}

/** Applies every migration not yet applied with the same checksum. They are idempotent, so a changed one re-runs. */
export async function applyMigrations(pg: PGlite, migrations: TMigration[]): Promise<string[]> {
  await pg.exec(`create table if not exists pa_schema_migration (
    name text primary key, checksum text not null, applied_at timestamptz not null default now())`);
  const applied = new Map(
    (await pg.query<{ name: string; checksum: string }>('select name, checksum from pa_schema_migration')).rows.map(
      (row) => [row.name, row.checksum],
    ),
  );
  const ran: string[] = [];
  for (const migration of migrations) {
    // Once one migration runs, every later one runs again too: a later file may redefine what it defines
    // (a trigger, a function), and re-running an earlier file alone would undo that. They are idempotent.
    if (ran.length === 0 && applied.get(migration.name) === migration.checksum) continue;
    await pg.transaction(async (tx) => {
      await tx.exec(migration.sql);
      await tx.query(
        `insert into pa_schema_migration (name, checksum) values ($1, $2)
         on conflict (name) do update set checksum = excluded.checksum, applied_at = now()`,
        [migration.name, migration.checksum],
      );
    });
    ran.push(migration.name);
  }
  return ran;
}
