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
