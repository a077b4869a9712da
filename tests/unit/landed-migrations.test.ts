import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, readMigrations } from '@/lib/db/migrations';

// `supabase db push` applies each migration file once, ever: an edited migration never reaches a deployed
// database (while the embedded store would re-run it). So a landed migration is frozen, and a change is a
// new file that says which earlier definitions it replaces.

type TLanded = { migrations: Record<string, string>; replacesWithoutHeader: string[] };
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
    for (const migration of migrations) {
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
});
