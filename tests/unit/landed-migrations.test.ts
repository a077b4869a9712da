import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, readMigrations } from '@/lib/db/migrations';
import { isIntactSupabaseMigration } from '@/lib/db/supabase-migration';
import { definitionsIn } from '../helpers/sql-definitions';

// `supabase db push` applies each migration file once, ever: an edited migration never reaches a deployed
// database (while the embedded store would re-run it). So a landed migration is frozen, and a change is a
// new file. Functions, triggers, views and policies are no longer defined in migrations but in
// supabase/schemas (tests/unit/schema-files.test.ts); the migrations that landed before still define theirs.

type TLanded = {
  migrations: Record<string, string>;
  landedBeforeSchemas: string[];
  tableFunctions: Record<string, string>;
  replacesWithoutHeader: string[];
};
const landed = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, '..', 'landed-migrations.json'), 'utf8')) as TLanded;
const migrations = readMigrations();

const DEFINED_FUNCTION = /create\s+(?:or\s+replace\s+)?function\s+(?:public\.)?(\w+)\s*\(/gi;

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

  it('are listed in the order they landed, and each sorts after those before it (the Supabase CLI applies files in name order)', () => {
    const listed = Object.keys(landed.migrations);
    expect(listed).toEqual([...listed].sort());
  });

  it('a migration that redefines an earlier function says so in a "-- replaces:" line naming it', () => {
    const definedIn = new Map<string, string>();
    const missing: string[] = [];
    for (const migration of migrations.filter((file) => !file.isGenerated)) {
      const names = new Set([...migration.sql.matchAll(DEFINED_FUNCTION)].map((match) => (match[1] as string).toLowerCase()));
      const declared = [...migration.sql.matchAll(/^--\s*replaces:\s*(.+)$/gim)].flatMap((match) => (match[1] as string).toLowerCase().split(/[\s,]+/));
      for (const name of names) {
        const earlier = definedIn.get(name);
        const isGrandfathered = landed.replacesWithoutHeader.includes(migration.name);
        if (earlier && earlier !== migration.name && !declared.includes(name) && !isGrandfathered) {
          missing.push(`${migration.name} redefines ${name} (from ${earlier})`);
        }
        definedIn.set(name, migration.name);
      }
    }
    expect(missing).toEqual([]);
  });

  it('a migration that landed after supabase/schemas defines no function, trigger, view or policy: those go in supabase/schemas', () => {
    const offending = migrations
      .filter((migration) => !landed.landedBeforeSchemas.includes(migration.name) && !migration.isGenerated)
      .flatMap((migration) => definitionsIn(migration.sql).map(({ kind, name }) => ({ migration, kind, name })))
      .filter(({ kind, name }) => !(kind === 'function' && name in landed.tableFunctions))
      .map(({ migration, kind, name }) => `${migration.name} defines ${kind} ${name}`);
    expect(offending).toEqual([]);
  });

  it('a generated Supabase migration (npm run db:supabase-migration) holds the schema files its header records, unedited', () => {
    for (const migration of migrations.filter((file) => file.isGenerated)) {
      expect(isIntactSupabaseMigration(migration.sql), `${migration.name} differs from what was generated; generate a new one instead`).toBe(true);
    }
  });

  it('the migrations that landed before supabase/schemas are a fixed set of landed migrations', () => {
    expect(landed.landedBeforeSchemas.length).toBeGreaterThanOrEqual(13);
    for (const name of landed.landedBeforeSchemas) expect(landed.migrations[name], name).toBeDefined();
  });
});
