import type { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256, type TMigration, type TSqlFile } from '@/lib/db/migrations';
import { applyMigrations } from '@/lib/db/pglite';
import { buildSupabaseMigration } from '@/lib/db/supabase-migration';
import { createEmptyPglite } from '../helpers/pglite-template';

// The runner (lib/db/migrations.ts) on small files of its own: versioned migrations first, each once, the chain
// append-only and immutable once applied; a database of the legacy chain brought to its end and onto the baseline;
// then the schema files, re-applied from the first changed one on, and all of them after any migration ran.

const file = (name: string, sql: string): TSqlFile => ({ name, sql, checksum: sha256(sql) });

let pg: PGlite | undefined;
afterEach(async () => {
  await pg?.close();
  pg = undefined;
});

async function emptyDb(): Promise<PGlite> {
  pg = await createEmptyPglite();
  return pg;
}

async function rows<T>(db: PGlite, sql: string): Promise<T[]> {
  return (await db.query<T>(sql)).rows;
}

const TABLE = file('0001_note.sql', 'create table if not exists note (id int primary key, body text not null);');
const NOTE_BODY = file(
  '10_notes.sql',
  `create or replace function note_text(p_id int) returns text language sql stable as $$ select body from note where id = p_id $$;`,
);

describe('the migration runner', () => {
  it('applies migrations, then schema files, each in name order; a restart applies nothing', async () => {
    const db = await emptyDb();
    const later = file('20_later.sql', `create or replace function note_shout(p_id int) returns text language sql stable as $$ select upper(note_text(p_id)) $$;`);
    expect(await applyMigrations(db, [TABLE], [NOTE_BODY, later])).toEqual(['0001_note.sql', 'schemas/10_notes.sql', 'schemas/20_later.sql']);
    await db.exec(`insert into note values (1, 'hello')`);
    expect(await rows(db, 'select note_shout(1) as text')).toEqual([{ text: 'HELLO' }]);
    expect(await applyMigrations(db, [TABLE], [NOTE_BODY, later])).toEqual([]);
    expect(await rows(db, 'select name from pa_schema_file order by name')).toEqual([{ name: '10_notes.sql' }, { name: '20_later.sql' }]);
  });

  it('re-applies a changed schema file and every one after it, never one before it', async () => {
    const db = await emptyDb();
    const first = file('05_first.sql', 'create or replace function first_value() returns int language sql as $$ select 1 $$;');
    const third = file('30_third.sql', 'create or replace function third_value() returns int language sql as $$ select 3 $$;');
    await applyMigrations(db, [TABLE], [first, NOTE_BODY, third]);
    const changed = file('10_notes.sql', `${NOTE_BODY.sql}\n-- a comment changes the checksum`);
    expect(await applyMigrations(db, [TABLE], [first, changed, third])).toEqual(['schemas/10_notes.sql', 'schemas/30_third.sql']);
  });

  it('after a new migration changes a table, re-applies every schema file after it: a function may use the new column', async () => {
    const db = await emptyDb();
    await applyMigrations(db, [TABLE], [NOTE_BODY]);
    const column = file('0002_note_title.sql', `alter table note add column if not exists title text not null default '';`);
    // A SQL function's body is checked when it is created: this one could not be created before the migration.
    const withTitle = file('10_notes.sql', `create or replace function note_text(p_id int) returns text language sql stable as $$ select title || ': ' || body from note where id = p_id $$;`);
    expect(await applyMigrations(db, [TABLE, column], [withTitle])).toEqual(['0002_note_title.sql', 'schemas/10_notes.sql']);
    await db.exec(`insert into note values (1, 'hello', 'Greeting')`);
    expect(await rows(db, 'select note_text(1) as text')).toEqual([{ text: 'Greeting: hello' }]);
  });

  it('a function whose signature changes: a migration drops the old one, its schema file creates the new one; upgraded and fresh have one', async () => {
    const upgraded = await emptyDb();
    await applyMigrations(upgraded, [TABLE], [NOTE_BODY]);
    const drop = file('0002_drop_note_text.sql', 'drop function if exists note_text(int);');
    const newSignature = file('10_notes.sql', `create or replace function note_text(p_id int, p_max int) returns text language sql stable as $$ select left(body, p_max) from note where id = p_id $$;`);
    await applyMigrations(upgraded, [TABLE, drop], [newSignature]);
    const signatures = `select p.oid::regprocedure::text as signature from pg_proc p where proname = 'note_text'`;
    expect(await rows(upgraded, signatures)).toEqual([{ signature: 'note_text(integer,integer)' }]);
    await upgraded.close();

    const fresh = await emptyDb();
    await applyMigrations(fresh, [TABLE, drop], [newSignature]);
    expect(await rows(fresh, signatures)).toEqual([{ signature: 'note_text(integer,integer)' }]);
  });

  it('a trigger redefined in its schema file replaces the old one, and a policy is dropped and created again', async () => {
    const db = await emptyDb();
    const trigger = (when: string) =>
      file(
        '20_note_log.sql',
        `create or replace function note_touch() returns trigger language plpgsql as $$ begin new.body := new.body || '!'; return new; end; $$;
drop trigger if exists note_touch on note;
create trigger note_touch before insert on note for each row when (${when}) execute function note_touch();
drop policy if exists note_read on note;
create policy note_read on note for select using (${when.replace(/new\./g, '')});`,
      );
    const rls = file('0002_note_rls.sql', 'alter table note enable row level security;');
    await applyMigrations(db, [TABLE, rls], [trigger('new.id > 0')]);
    await applyMigrations(db, [TABLE, rls], [trigger('new.id > 10')]);
    const triggers = await rows<{ definition: string }>(db, `select pg_get_triggerdef(oid) as definition from pg_trigger where tgname = 'note_touch'`);
    expect(triggers).toHaveLength(1);
    expect(triggers[0]?.definition).toMatch(/WHEN \(\(new\.id > 10\)\)/);
    expect(await rows(db, `select qual from pg_policies where policyname = 'note_read'`)).toEqual([{ qual: '(id > 10)' }]);
  });

  it('applies each schema file in its own transaction: a failing one is not recorded, those before it stay, and the next start retries it', async () => {
    const db = await emptyDb();
    const broken = file('20_broken.sql', `create or replace function half() returns int language sql as $$ select 1 $$;\nselect no_such_function();`);
    await expect(applyMigrations(db, [TABLE], [NOTE_BODY, broken])).rejects.toThrow(/no_such_function/);
    expect(await rows(db, 'select name from pa_schema_file')).toEqual([{ name: '10_notes.sql' }]);
    expect(await rows(db, `select count(*)::int as count from pg_proc where proname = 'half'`)).toEqual([{ count: 0 }]);
    const fixed = file('20_broken.sql', 'create or replace function half() returns int language sql as $$ select 1 $$;');
    expect(await applyMigrations(db, [TABLE], [NOTE_BODY, fixed])).toEqual(['schemas/20_broken.sql']);
  });

  it('records a migration generated for the Supabase CLI without running it: the schema files it repeats are applied anyway', async () => {
    const db = await emptyDb();
    const generated = buildSupabaseMigration({ migrations: [TABLE], schemas: [NOTE_BODY], now: new Date('2026-11-23T00:00:00Z') })!;
    // Running it would fail: it calls a function that does not exist here.
    const recordedOnly: TMigration = { ...file(generated.name, `${generated.sql}\nselect no_such_function();`), isGenerated: true };
    expect(await applyMigrations(db, [TABLE, recordedOnly], [NOTE_BODY])).toEqual(['0001_note.sql', 'schemas/10_notes.sql']);
    expect(await rows(db, 'select name from pa_schema_migration order by name')).toEqual([{ name: '0001_note.sql' }, { name: generated.name }]);
    // Added later (pulled after the schema files were applied), it changes nothing and re-applies nothing.
    await db.close();
    const later = await emptyDb();
    await applyMigrations(later, [TABLE], [NOTE_BODY]);
    expect(await applyMigrations(later, [TABLE, recordedOnly], [NOTE_BODY])).toEqual([]);
  });
  it('refuses a migration changed after it was applied: nothing runs, and the database keeps what it had', async () => {
    const db = await emptyDb();
    const column = file('0002_note_title.sql', `alter table note add column if not exists title text;`);
    await applyMigrations(db, [TABLE, column], [NOTE_BODY]);
    const edited = file('0002_note_title.sql', `${column.sql}\nalter table note add column if not exists subtitle text;`);
    const later = file('0003_note_tags.sql', `alter table note add column if not exists tags text[];`);
    await expect(applyMigrations(db, [TABLE, edited, later], [NOTE_BODY])).rejects.toThrow(/0002_note_title\.sql changed after it was applied/);
    expect(await rows(db, `select column_name from information_schema.columns where table_name = 'note' order by ordinal_position`)).toEqual([
      { column_name: 'id' },
      { column_name: 'body' },
      { column_name: 'title' },
    ]);
  });

  it('refuses a new migration that sorts before one already applied: the chain is append-only', async () => {
    const db = await emptyDb();
    const third = file('0003_note_tags.sql', `alter table note add column if not exists tags text[];`);
    await applyMigrations(db, [TABLE, third], []);
    const second = file('0002_note_title.sql', `alter table note add column if not exists title text;`);
    await expect(applyMigrations(db, [TABLE, second, third], [])).rejects.toThrow(/0002_note_title\.sql is new but sorts before 0003_note_tags\.sql/);
    // At the end of the chain it is applied, once.
    const renamed = { ...second, name: '0004_note_title.sql' };
    expect(await applyMigrations(db, [TABLE, third, renamed], [])).toEqual(['0004_note_title.sql']);
    expect(await applyMigrations(db, [TABLE, third, renamed], [])).toEqual([]);
  });

  it('a database of the legacy chain: gets the legacy files it lacks, records the baseline without running it, then runs the chain after it', async () => {
    const legacy = [
      file('0001_legacy_note.sql', 'create table if not exists note (id int primary key, body text not null, old_words text);'),
      file('0002_legacy_title.sql', `alter table note add column if not exists title text not null default '';`),
    ];
    // The baseline is the tables as the legacy chain left them, without the dead column; run on this database it
    // would fail (the table exists): it must not run.
    const baseline = file('0100_baseline.sql', `create table note (id int primary key, body text not null, title text not null default '');`);
    const dropDead = file('0101_drop_dead.sql', 'alter table note drop column if exists old_words;');
    const db = await emptyDb();
    // A release before the baseline had applied the first legacy file only.
    await applyMigrations(db, [legacy[0]!], [NOTE_BODY]);
    await db.exec(`insert into note (id, body, old_words) values (1, 'kept', 'dead')`);

    const ran = await applyMigrations(db, [baseline, dropDead], [NOTE_BODY], legacy);
    expect(ran).toEqual(['legacy-migrations/0002_legacy_title.sql', '0101_drop_dead.sql', 'schemas/10_notes.sql']);
    expect(await rows(db, 'select * from note')).toEqual([{ id: 1, body: 'kept', title: '' }]);
    expect(await rows(db, 'select name from pa_schema_migration order by name')).toEqual([
      { name: '0001_legacy_note.sql' },
      { name: '0002_legacy_title.sql' },
      { name: '0100_baseline.sql' },
      { name: '0101_drop_dead.sql' },
    ]);
    expect(await applyMigrations(db, [baseline, dropDead], [NOTE_BODY], legacy)).toEqual([]);

    // A new database never sees the legacy files.
    await db.close();
    const fresh = await emptyDb();
    expect(await applyMigrations(fresh, [baseline, dropDead], [NOTE_BODY], legacy)).toEqual(['0100_baseline.sql', '0101_drop_dead.sql', 'schemas/10_notes.sql']);
    expect(await rows(fresh, 'select name from pa_schema_migration order by name')).toEqual([{ name: '0100_baseline.sql' }, { name: '0101_drop_dead.sql' }]);
  });
});
