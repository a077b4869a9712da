import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPgliteDb } from '@/lib/db/pglite';
import { readMigrations, readSchemas } from '@/lib/db/migrations';

// Starting PGlite and applying every migration takes seconds; loading a dump of an already migrated database
// takes a fraction of that. The dump is cached on disk per set of migrations and schema files, shared by all
// test files.

let cached: Promise<Blob> | undefined;

function templatePath(): string {
  const hash = createHash('sha256');
  for (const file of [...readMigrations(), ...readSchemas()]) hash.update(file.name).update(file.checksum);
  hash.update(process.version);
  return path.join(os.tmpdir(), `paste-assistant-pglite-${hash.digest('hex').slice(0, 16)}.tar`);
}

export function migratedTemplate(): Promise<Blob> {
  cached ??= (async () => {
    const file = templatePath();
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const db = await createPgliteDb({ dataDir: 'memory://' });
    const dump = await db.pg.dumpDataDir('none');
    await db.close();
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.from(await dump.arrayBuffer()));
    renameSync(temporary, file);
    return dump;
  })();
  return cached;
}

/** A fresh, migrated in-memory database. */
export async function createTestDb() {
  return createPgliteDb({ dataDir: 'memory://', loadDataDir: await migratedTemplate() });
}
