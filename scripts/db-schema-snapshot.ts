// `npm run db:schema-snapshot`: migrates a throwaway embedded database (supabase/migrations, then supabase/schemas)
// and writes its tables to supabase/tables.snapshot.sql. Run it after adding a migration and commit the two together;
// tests/integration/schema-snapshot.test.ts fails until they agree.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createPgliteDb } from '@/lib/db/pglite';
import { SNAPSHOT_FILE, tablesSnapshot } from './lib/schema-snapshot';

async function main() {
  const db = await createPgliteDb({ dataDir: 'memory://' });
  try {
    const snapshot = await tablesSnapshot((sql) => db.pg.query(sql));
    writeFileSync(path.join(process.cwd(), SNAPSHOT_FILE), snapshot);
    console.log(`Wrote ${SNAPSHOT_FILE} (${snapshot.match(/^create table /gm)?.length ?? 0} tables).`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
