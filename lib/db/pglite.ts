import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { vector } from '@electric-sql/pglite-pgvector';
import { lockDataDir } from './data-dir-lock';
import { assertIdentifier, mapDbError } from './errors';
import { applyMigrationsWith, readMigrations, readSchemas, type TMigration, type TSqlFile } from './migrations';
import { createLocalNotifier } from './notifications';
import type { TDb } from './types';

type TPgError = { code?: string; message?: string };

/**
 * The extensions every embedded database loads: pg_trgm, and pgvector (`vector`), whose HNSW indexes give the nearest
 * sections by embedding (supabase/migrations/20261126110000_docs_embedding_hnsw.sql). A database made with them is
 * opened with them.
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
  loadDataDir,
}: {
  dataDir: string;
  migrations?: TMigration[];
  schemas?: TSqlFile[];
  loadDataDir?: Blob;
}): Promise<TDb & { pg: PGlite }> {
  const isMemory = dataDir.startsWith('memory://');
  const location = isMemory ? dataDir : path.join(dataDir, 'pglite');
  if (!isMemory) mkdirSync(location, { recursive: true });
  const unlock = isMemory ? () => {} : lockDataDir(dataDir);
  let pg: PGlite;
  try {
    pg = await PGlite.create(location, { extensions: PGLITE_EXTENSIONS, postgresqlconf: EMBEDDED_SETTINGS, ...(loadDataDir ? { loadDataDir } : {}) });
    await applyMigrations(pg, migrations, schemas);
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

/** Applies every migration not yet applied with the same checksum, then the schema files due (lib/db/migrations.ts). */
export async function applyMigrations(pg: PGlite, migrations: TMigration[], schemas: TSqlFile[] = readSchemas()): Promise<string[]> {
  return applyMigrationsWith(
    {
      query: (sql, params) => pg.query(sql, params),
      transaction: async (run) => {
        await pg.transaction(async (tx) => run({ exec: (sql) => tx.exec(sql), query: (sql, params) => tx.query(sql, params) }));
      },
    },
    migrations,
    schemas,
  );
}
