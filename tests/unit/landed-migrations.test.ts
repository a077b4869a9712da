import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, readLegacyMigrations, readMigrations } from '@/lib/db/migrations';
import { isIntactSupabaseMigration } from '@/lib/db/supabase-migration';
import { definitionsIn } from '../helpers/sql-definitions';

// `supabase db push` applies each migration file once, ever, and so does the app's runner (lib/db/migrations.ts):
// an edited migration would never reach a database that applied it. So a landed migration is frozen, and a change
// is a new file at the end of the chain. The chain starts from a baseline (the tables as the legacy chain left
// them, without what nothing read); the legacy chain stays, frozen, in supabase/legacy-migrations for the databases
// it migrated. Functions, triggers, views and policies are defined in supabase/schemas (tests/unit/schema-files.test.ts).

type TLanded = {
  migrations: Record<string, string>;
  migrationFunctions: Record<string, string>;
  legacy: { migrations: Record<string, string>; landedBeforeSchemas: string[] };
};
const landed = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, '..', 'landed-migrations.json'), 'utf8')) as TLanded;
const migrations = readMigrations();
const legacy = readLegacyMigrations();

/** At most this many files in supabase/migrations (issue 55, item 5): past it, the chain is restarted from a new baseline. */
const MAX_MIGRATIONS = 8;

describe('landed migrations', () => {
  it('are unchanged and all present', () => {
    const current = Object.fromEntries(migrations.map((migration) => [migration.name, migration.checksum]));
    for (const [name, checksum] of Object.entries(landed.migrations)) {
      expect(current[name], `${name} was removed; landed migrations stay`).toBeDefined();
      expect(current[name], `${name} was edited after it landed; add a new migration instead`).toBe(checksum);
    }
  });

  it('lists every migration file (a new one is added to supabase/landed-migrations.json when it lands)', () => {
    const unlisted = migrations.map((migration) => migration.name).filter((name) => !(name in landed.migrations));
    expect(unlisted).toEqual([]);
  });

  it('are listed in the order they landed, and each sorts after those before it (the chain is append-only; the Supabase CLI applies files in name order)', () => {
    const listed = Object.keys(landed.migrations);
    expect(listed).toEqual([...listed].sort());
    expect(new Set(listed.map((name) => name.split('_')[0])).size, 'two migrations share a version').toBe(listed.length);
  });

  it(`start from the baseline, sort after the whole legacy chain, and are at most ${MAX_MIGRATIONS}`, () => {
    expect(migrations[0]?.name).toMatch(/^\d{14}_baseline\.sql$/);
    expect(migrations.length).toBeLessThanOrEqual(MAX_MIGRATIONS);
    const lastLegacy = legacy.at(-1)!.name;
    for (const migration of migrations) expect(migration.name > lastLegacy, migration.name).toBe(true);
  });

  it('define no function, trigger, view or policy but those migrationFunctions names: those go in supabase/schemas', () => {
    const offending = migrations
      .filter((migration) => !migration.isGenerated)
      .flatMap((migration) => definitionsIn(migration.sql).map(({ kind, name }) => ({ migration, kind, name })))
      .filter(({ kind, name }) => !(kind === 'function' && name in landed.migrationFunctions))
      .map(({ migration, kind, name }) => `${migration.name} defines ${kind} ${name}`);
    expect(offending).toEqual([]);
  });

  it('a generated Supabase migration (npm run db:supabase-migration) holds the schema files its header records, unedited', () => {
    for (const migration of migrations.filter((file) => file.isGenerated)) {
      expect(isIntactSupabaseMigration(migration.sql), `${migration.name} differs from what was generated; generate a new one instead`).toBe(true);
    }
  });
});

describe('the legacy chain (supabase/legacy-migrations)', () => {
  it('is frozen: every file as it landed, none added or removed', () => {
    expect(Object.fromEntries(legacy.map((migration) => [migration.name, migration.checksum]))).toEqual(landed.legacy.migrations);
  });

  it('the migrations that landed before supabase/schemas are a fixed set of its files', () => {
    expect(landed.legacy.landedBeforeSchemas.length).toBeGreaterThanOrEqual(13);
    for (const name of landed.legacy.landedBeforeSchemas) expect(landed.legacy.migrations[name], name).toBeDefined();
  });
});
