import { isRunning } from '@/lib/db/data-dir-lock';
import { createHash } from 'node:crypto';
import { accessSync, appendFileSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { createPgliteDb } from '@/lib/db/pglite';
import { readMigrations, readSchemas } from '@/lib/db/migrations';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// Starting PGlite and applying every migration takes seconds (tens of seconds on a loaded two-core machine);
// loading a dump of an already migrated database takes a fraction of that. The dump is cached on disk per set of
// migrations and schema files, shared by all test files. Tests whose subject is the migrations themselves (the
// migrations and store tests) start from an empty database instead.

let cached: Promise<Blob> | undefined;

function templateKey(): string {
  const hash = createHash('sha256');
  for (const file of [...readMigrations(), ...readSchemas()]) hash.update(file.name).update(file.checksum);
  hash.update(process.version);
  return hash.digest('hex').slice(0, 16);
}

const templatePath = () => path.join(os.tmpdir(), `paste-assistant-pglite-${templateKey()}.tar`);

/**
 * A database dump kept in `file`: read from there when a test process made it before, else made by `make` and
 * written there (through a temporary name, so that a process reading it never sees half a file).
 */
async function dumpCachedIn(file: string, make: () => Promise<Blob>): Promise<Blob> {
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const dump = await make();
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.from(await dump.arrayBuffer()));
  renameSync(temporary, file);
  return dump;
}

export function migratedTemplate(): Promise<Blob> {
  cached ??= dumpCachedIn(templatePath(), async () => {
    const db = await createPgliteDb({ dataDir: 'memory://' });
    const dump = await db.pg.dumpDataDir('none');
    await db.close();
    return dump;
  });
  return cached;
}

let emptyCached: Promise<Blob> | undefined;

// The empty cluster depends on PGlite's build only (its package.json sits above its entry point, dist/).
const PGLITE_VERSION = (
  JSON.parse(readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')) as { version: string }
).version;

/** A dump of a database PGlite has just created (initdb, nothing else), cached on disk like the migrated one. */
function emptyTemplate(): Promise<Blob> {
  const key = createHash('sha256').update(`${PGLITE_VERSION} ${process.version}`).digest('hex').slice(0, 16);
  emptyCached ??= dumpCachedIn(path.join(os.tmpdir(), `paste-assistant-pglite-empty-${key}.tar`), async () => {
    const pg = await PGlite.create('memory://');
    const dump = await pg.dumpDataDir('none');
    await pg.close();
    return dump;
  });
  return emptyCached;
}

/**
 * A fresh, empty in-memory database (no migration applied), for the tests whose subject is the migrations: the
 * same cluster initdb makes, loaded from a dump of one instead of running initdb again (seconds each).
 */
export async function createEmptyPglite(options: Omit<PGliteOptions, 'dataDir' | 'loadDataDir'> = {}): Promise<PGlite> {
  return PGlite.create('memory://', { ...options, loadDataDir: await emptyTemplate() });
}

// Test databases are copies of the migrated data folder, opened by PGlite where they lie: copying the folder costs
// a fraction of the CPU that loading the dump into an in-memory database does (PGlite unpacks the tar in
// JavaScript, ~0.9 s of CPU against ~0.45 s, measured under load). They are made in a RAM-backed folder where the
// OS has one (Linux's /dev/shm), so that hundreds of 44 MB copies a run are never written to a disk, and each is
// removed when its database is closed, or at the latest when the test process exits.
const SCRATCH_ROOT = (() => {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
})();
const scratchDirs = new Set<string>();
let isCleanupRegistered = false;

function removeScratchDir(dir: string): void {
  scratchDirs.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

const SCRATCH_PREFIX = 'paste-assistant-db-';

/** Removes the folders of test processes that were killed before they could (RAM, under /dev/shm). */
function removeOrphanedScratchDirs(): void {
  for (const name of readdirSync(SCRATCH_ROOT)) {
    const pid = Number(/^paste-assistant-db-(\d+)-/.exec(name)?.[1]);
    if (pid > 0 && !isRunning(pid)) rmSync(path.join(SCRATCH_ROOT, name), { recursive: true, force: true });
  }
}

/**
 * Settings of the throwaway test databases, after the data folder's own (a later line wins). Postgres' default
 * 128 MB of shared buffers is set up, zeroed, at every start: about a quarter of the CPU time of opening a test
 * database (~0.43 s against ~0.32 s with 16 MB, measured under load), and a suite run opens about 150. A
 * test database holds a few hundred rows; 16 MB of buffers holds it all. The data folders that tests serve as an
 * app's DATA_DIR (seedDataDir) keep the defaults an embedded store has.
 */
const TEST_DB_SETTINGS = '\n# tests/helpers/pglite-template.ts (createTestDb)\nshared_buffers = 16MB\n';

/** A fresh, migrated database, on a throwaway data folder. */
export async function createTestDb() {
  if (!isCleanupRegistered) {
    isCleanupRegistered = true;
    removeOrphanedScratchDirs();
    process.once('exit', () => {
      for (const dir of scratchDirs) removeScratchDir(dir);
    });
  }
  const dataDir = mkdtempSync(path.join(SCRATCH_ROOT, `${SCRATCH_PREFIX}${process.pid}-`));
  scratchDirs.add(dataDir);
  await seedDataDir(dataDir);
  appendFileSync(path.join(dataDir, 'pglite', 'postgresql.conf'), TEST_DB_SETTINGS);
  const db = await createPgliteDb({ dataDir });
  const close = db.close;
  db.close = async () => {
    await close();
    removeScratchDir(dataDir);
  };
  return db;
}

/**
 * The migrated database as the embedded store keeps it on disk (`<DATA_DIR>/pglite`), made once per template
 * from the dump by PGlite itself and kept beside it; `seedDataDir` copies it.
 */
async function migratedDataDir(): Promise<string> {
  const folder = path.join(os.tmpdir(), `paste-assistant-pglite-${templateKey()}.data`);
  if (existsSync(path.join(folder, 'pglite', 'PG_VERSION'))) return folder;
  const staging = mkdtempSync(`${folder}.tmp-`);
  const db = await createPgliteDb({ dataDir: staging, loadDataDir: await migratedTemplate() });
  await db.close();
  try {
    renameSync(staging, folder);
  } catch {
    // Another test process made it first: theirs is the same database.
    rmSync(staging, { recursive: true, force: true });
  }
  return folder;
}

/**
 * Gives a DATA_DIR the migrated embedded database, so that the app (or a server process) opening it starts as it
 * would on its second boot instead of paying for the first one's migrations. Only for a DATA_DIR without one.
 * Returns the DATA_DIR.
 */
export async function seedDataDir(dataDir: string): Promise<string> {
  const target = path.join(dataDir, 'pglite');
  if (existsSync(path.join(target, 'PG_VERSION'))) throw new Error(`seedDataDir: ${dataDir} already holds a database`);
  mkdirSync(dataDir, { recursive: true });
  cpSync(path.join(await migratedDataDir(), 'pglite'), target, { recursive: true });
  return dataDir;
}

/**
 * Makes the migrated and the empty database on disk if this set of migrations has none yet. The integration
 * project's global setup calls it before any test file starts: otherwise the first files to start, two at a time,
 * would each migrate a database of their own at once inside their first test, which on a loaded machine took
 * that test past its 60 s limit (ci7).
 */
export async function prepareTemplates(): Promise<void> {
  await Promise.all([migratedDataDir(), emptyTemplate()]);
}

/**
 * A new temp DATA_DIR (under the OS's temp folder, named from `prefix`) holding the migrated embedded database,
 * removed when the test file ends (or the process that made it: a global setup's).
 */
export async function createSeededDataDir(prefix = 'paste-assistant-seeded-'): Promise<string> {
  return seedDataDir(makeTempDir(prefix));
}
