import { cpSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSchemas, sha256, type TMigration, type TSqlFile } from '@/lib/db/migrations';
import { buildSupabaseMigration, isIntactSupabaseMigration, parseSupabaseMigration, writeSupabaseMigration } from '@/lib/db/supabase-migration';
import { makeTempDir } from '@/scripts/lib/temp-dir';

// `npm run db:supabase-migration`: what reaches `supabase db push` from supabase/schemas.

const file = (name: string, sql: string): TSqlFile => ({ name, sql, checksum: sha256(sql) });
const TABLES = file('20261121000001_tables.sql', 'create table if not exists note (id int);\nselect pa_lock_down();\n');
const SCHEMAS = [file('00_a.sql', 'select 1;\n'), file('10_b.sql', 'select 2;\n'), file('20_c.sql', 'select 3;\n')];
const NOW = new Date('2026-11-23T08:09:10Z');

/** The generated migration as it sits in supabase/migrations once written. */
function asMigration(generated: { name: string; sql: string }): TMigration {
  return { ...file(generated.name, generated.sql), isGenerated: true };
}

describe('the Supabase migration generated from supabase/schemas', () => {
  it('holds every schema file the first time, verbatim, in order, named after the time it was made', () => {
    const generated = buildSupabaseMigration({ migrations: [TABLES], schemas: SCHEMAS, now: NOW })!;
    expect(generated.name).toBe('20261123080910_schemas.sql');
    expect(generated.schemas).toEqual(['00_a.sql', '10_b.sql', '20_c.sql']);
    const parsed = parseSupabaseMigration(generated.sql);
    expect(parsed.sections).toEqual(SCHEMAS.map((schema) => ({ name: schema.name, sql: schema.sql })));
    expect([...parsed.state]).toEqual(SCHEMAS.map((schema) => [schema.name, schema.checksum]));
    expect(isIntactSupabaseMigration(generated.sql)).toBe(true);
  });

  it('sorts after every migration, even one named for a later time (the CLI will not insert one before those it applied)', () => {
    const future = file('20270101000000_later.sql', 'select pa_lock_down();\n');
    expect(buildSupabaseMigration({ migrations: [TABLES, future], schemas: SCHEMAS, now: NOW })!.name).toBe('20270101000001_schemas.sql');
  });

  it('next time holds nothing when nothing changed, and the changed file and every later one when one did', () => {
    const first = asMigration(buildSupabaseMigration({ migrations: [TABLES], schemas: SCHEMAS, now: NOW })!);
    expect(buildSupabaseMigration({ migrations: [TABLES, first], schemas: SCHEMAS, now: NOW })).toBeNull();
    const changed = [SCHEMAS[0]!, file('10_b.sql', 'select 22;\n'), SCHEMAS[2]!];
    const second = buildSupabaseMigration({ migrations: [TABLES, first], schemas: changed, now: new Date('2026-11-24T00:00:00Z') })!;
    expect(second.schemas).toEqual(['10_b.sql', '20_c.sql']);
    expect(second.name > first.name).toBe(true);
  });

  it('holds every schema file again after a migration landed since the last one (it may have dropped what they define)', () => {
    const first = asMigration(buildSupabaseMigration({ migrations: [TABLES], schemas: SCHEMAS, now: NOW })!);
    const column = file('20261124000000_note_title.sql', 'alter table note add column if not exists title text;\nselect pa_lock_down();\n');
    expect(buildSupabaseMigration({ migrations: [TABLES, first, column], schemas: SCHEMAS, now: NOW })!.schemas).toEqual(['00_a.sql', '10_b.sql', '20_c.sql']);
  });

  it('is not intact once edited', () => {
    const generated = buildSupabaseMigration({ migrations: [TABLES], schemas: SCHEMAS, now: NOW })!;
    expect(isIntactSupabaseMigration(generated.sql.replace('select 2;', 'select 2; create function sneaky() returns int language sql as $$ select 1 $$;'))).toBe(false);
  });

  it('is written into supabase/migrations and listed in supabase/landed-migrations.json; a second run writes nothing', () => {
    const root = makeTempDir('pa-supabase-migration-');
    cpSync(path.join(process.cwd(), 'supabase'), path.join(root, 'supabase'), { recursive: true });
    const before = readdirSync(path.join(root, 'supabase', 'migrations'));
    const written = writeSupabaseMigration({ root, now: NOW })!;
    expect(written.schemas).toEqual(readSchemas().map((schema) => schema.name));
    const added = readdirSync(path.join(root, 'supabase', 'migrations')).filter((name) => !before.includes(name));
    expect(added).toHaveLength(1);
    expect(written.file).toBe(path.join('supabase', 'migrations', added[0]!));
    const sql = readFileSync(path.join(root, written.file), 'utf8');
    const landed = JSON.parse(readFileSync(path.join(root, 'supabase', 'landed-migrations.json'), 'utf8')) as { migrations: Record<string, string> };
    expect(landed.migrations[added[0]!]).toBe(sha256(sql));
    expect(Object.keys(landed.migrations).at(-1)).toBe(added[0]);
    expect(writeSupabaseMigration({ root, now: NOW })).toBeNull();
  });
});
