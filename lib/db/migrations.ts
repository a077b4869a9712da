import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type TMigration = { name: string; sql: string; checksum: string };

// The migrations are read at run time from the project folder (`next start` runs there), not traced into the
// build: the turbopackIgnore comments stop Next's file tracer from treating these paths as unknown and
// tracing the whole project into the server output.
export const MIGRATIONS_DIR = path.join(/* turbopackIgnore: true */ process.cwd(), 'supabase', 'migrations');

/** The migrations in the order the Supabase CLI applies them (file name order). */
export function readMigrations(dir = MIGRATIONS_DIR): TMigration[] {
  return readdirSync(/* turbopackIgnore: true */ dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((name) => {
      const file = path.join(/* turbopackIgnore: true */ dir, name);
      const sql = readFileSync(/* turbopackIgnore: true */ file, 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** What applying migrations needs of a connection: PGlite and a node-postgres client both provide it. */
export type TMigrationSession = {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Runs `run` in one transaction: everything it executes is committed together, or nothing is. */
  transaction(run: (tx: { exec(sql: string): Promise<unknown>; query(sql: string, params?: unknown[]): Promise<unknown> }) => Promise<void>): Promise<void>;
};

/**
 * Applies every migration not yet applied with the same checksum, each in its own transaction, in file name
 * order. The files are idempotent, so a changed one re-runs; callers that share a database serialize this
 * (lib/db/postgres.ts takes an advisory lock).
 */
export async function applyMigrationsWith(session: TMigrationSession, migrations: TMigration[]): Promise<string[]> {
  await session.query(`create table if not exists pa_schema_migration (
    name text primary key, checksum text not null, applied_at timestamptz not null default now())`);
  const applied = new Map(
    (await session.query<{ name: string; checksum: string }>('select name, checksum from pa_schema_migration')).rows.map((row) => [
      row.name,
      row.checksum,
    ]),
  );
  const ran: string[] = [];
  for (const migration of migrations) {
    // Once one migration runs, every later one runs again too: a later file may redefine what it defines
    // (a trigger, a function), and re-running an earlier file alone would undo that. They are idempotent.
    if (ran.length === 0 && applied.get(migration.name) === migration.checksum) continue;
    await session.transaction(async (tx) => {
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
