import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { vector } from '@electric-sql/pglite-pgvector';
import { lockDataDir } from './data-dir-lock';
import { assertIdentifier, mapDbError } from './errors';
import { applyMigrationsWith, readLegacyMigrations, readMigrations, readSchemas, type TMigration, type TSqlFile } from './migrations';
import { createLocalNotifier } from './notifications';
import type { TDb } from './types';

type TPgError = { code?: string; message?: string };

/**
 * The extensions every embedded database loads: pgvector (`vector`), whose HNSW indexes give the nearest sections by
 * embedding (supabase/legacy-migrations/20261126110000_docs_embedding_hnsw.sql says why), and pg_trgm, which
 * databases made before the baseline have (20261201000100_drop_dead_docs_search.sql drops it) and must be opened with.
 */
export const PGLITE_EXTENSIONS = { pg_trgm, vector };

/**
 * Postgres settings of the embedded database. Its buffer pool lives in the process's WASM memory, which never
 * shrinks, on top of the operating system's cache of the same files: Postgres's default 128 MB became ~120 MB of
 * resident memory per server once the docs tables had been read. 32 MB holds the hot pages (the ranker keeps its
 * own index in memory and reads the tables only to rebuild it, page by page).
 */
export const EMBEDDED_SETTINGS = ['shared_buffers = 32MB'];

/**
 * The embedded transport: Postgres in WASM. `dataDir` is a folder (created if missing) or `memory://`
 * for a throwaway database (tests). Migrations, then schema files, are applied before the first call.
 * `loadDataDir` starts from a dump of another database (tests start from an already migrated one).
 */
export async function createPgliteDb({
  dataDir,
  migrations = readMigrations(),
  schemas = readSchemas(),
  legacyMigrations = readLegacyMigrations(),
  loadDataDir,
}: {
  dataDir: string;
  migrations?: TMigration[];
  schemas?: TSqlFile[];
  /** The chain before the baseline, for a database a release before it migrated (lib/db/migrations.ts). */
  legacyMigrations?: TMigration[];
  loadDataDir?: Blob;
}): Promise<TDb & { pg: PGlite }> {
  const isMemory = dataDir.startsWith('memory://');
  const location = isMemory ? dataDir : path.join(dataDir, 'pglite');
  if (!isMemory) mkdirSync(location, { recursive: true });
  const unlock = isMemory ? () => {} : lockDataDir(dataDir);
  let pg: PGlite;
  try {
    pg = await PGlite.create(location, { extensions: PGLITE_EXTENSIONS, postgresqlconf: EMBEDDED_SETTINGS, ...(loadDataDir ? { loadDataDir } : {}) });
    await applyMigrations(pg, migrations, schemas, legacyMigrations);
  } catch (error) {
    unlock();
    throw error;
  }
  const notifier = createLocalNotifier();

  return {
    transport: 'pglite',
    pg,
    ...notifier,
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
      unlock();
    },
  };
}

// Arrays and objects go to jsonb parameters as JSON text; PGlite would otherwise send arrays as Postgres arrays.
function toParam(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) return JSON.stringify(value);
  return value;
}

/** Applies the migrations not yet applied, then the schema files due (lib/db/migrations.ts, applyMigrationsWith). */
export async function applyMigrations(pg: PGlite, migrations: TMigration[], schemas: TSqlFile[] = readSchemas(), legacy: TMigration[] = []): Promise<string[]> {
  return applyMigrationsWith(
    {
      query: (sql, params) => pg.query(sql, params),
      transaction: async (run) => {
        await pg.transaction(async (tx) => run({ exec: (sql) => tx.exec(sql), query: (sql, params) => tx.query(sql, params) }));
      },
    },
    migrations,
    schemas,
    legacy,
  );
}
