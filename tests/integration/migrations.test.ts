import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import nodePostgres from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { MIGRATIONS_DIR, readLegacyMigrations, readMigrations, readSchemas, sha256, type TMigration } from '@/lib/db/migrations';
import { createPostgresDb } from '@/lib/db/postgres';
import { PGLITE_EXTENSIONS } from '@/lib/db/pglite';
import { buildSupabaseMigration } from '@/lib/db/supabase-migration';
import { messageText, type TTextContent } from '@/lib/shared/messages';
import { createEmptyPglite, createTestDb } from '../helpers/pglite-template';
import { catalogSchemaDump, schemaDumper } from '../helpers/schema-dump';
import { definitionsIn } from '../helpers/sql-definitions';

// The SQL as `supabase db push` runs it: every migration file, in name order, with the migration that
// `npm run db:supabase-migration` generates from supabase/schemas last, on an empty database that has Supabase's
// roles; and again, as the embedded store may re-apply a changed file. Then the schema of a fresh database
// against an upgraded one, and against the Supabase path, compared on a real Postgres server by pg_dump --schema-only
// (or, where the server's binaries have no pg_dump, the npm package's, by a dump read from the catalogs).

const SUPABASE_ROLES = ['anon', 'authenticated', 'service_role'];
let pg: PGlite | undefined;

afterEach(async () => {
  await pg?.close();
  pg = undefined;
});

async function emptyDatabase(): Promise<PGlite> {
  pg = await createEmptyPglite({ extensions: PGLITE_EXTENSIONS });
  for (const role of SUPABASE_ROLES) {
    await pg.exec(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = '${role}') then create role ${role} nologin; end if;
    end $$;`);
  }
  return pg;
}

async function schemaSnapshot(db: PGlite) {
  const tables = await db.query<{ name: string; rls: boolean }>(
    `select c.relname as name, c.relrowsecurity as rls from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'r' order by 1`,
  );
  const functions = await db.query<{ signature: string }>(
    `select p.oid::regprocedure::text as signature from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'public' order by 1`,
  );
  const triggers = await db.query<{ name: string }>(`select tgname as name from pg_trigger where not tgisinternal order by 1`);
  return { tables: tables.rows, functions: functions.rows.map((row) => row.signature), triggers: triggers.rows.map((row) => row.name) };
}

/** What `supabase db push` applies to a database that has none of these migrations yet. */
function supabaseMigrations(): TMigration[] {
  const migrations = readMigrations();
  const generated = buildSupabaseMigration({ migrations, schemas: readSchemas() });
  return generated ? [...migrations, { name: generated.name, sql: generated.sql, checksum: sha256(generated.sql), isGenerated: true }] : migrations;
}

// Every migration applied to an empty PGlite (not the app's migrated template: the migrations as `supabase db push`
// runs them are what is tested) takes tens of seconds on a loaded two-core machine: done once, for every test
// that examines the result (the one that applies them twice starts from it and applies them again). The empty
// database itself is loaded from a dump of a fresh one rather than made by initdb each time
// (tests/helpers/pglite-template.ts).
describe('migrations', { timeout: 300_000 }, () => {
  const migrations = supabaseMigrations();

  // What `supabase db push` makes of an empty database: every migration applied in order (one that fails throws
  // here, failing each test that asks for it), made once; each test gets its own copy.
  let pushed: Promise<Blob> | undefined;
  async function pushedDatabase(): Promise<PGlite> {
    pushed ??= (async () => {
      const db = await emptyDatabase();
      for (const migration of migrations) await db.exec(migration.sql);
      const dump = await db.dumpDataDir('none');
      await db.close();
      return dump;
    })();
    const dump = await pushed;
    pg = await PGlite.create('memory://', { extensions: PGLITE_EXTENSIONS, loadDataDir: dump });
    return pg;
  }

  it('are named for the Supabase CLI and each ends by locking the schema down', () => {
    expect(migrations.length).toBeGreaterThanOrEqual(3);
    for (const migration of migrations) {
      expect(migration.name).toMatch(/^\d{14}_[a-z0-9_]+\.sql$/);
      expect(migration.sql.trim()).toMatch(/select pa_lock_down\(\);$/);
    }
  });

  it('apply cleanly in order to an empty database, and again on top of themselves without changing the schema', async () => {
    const db = await pushedDatabase();
    const once = await schemaSnapshot(db);
    expect(once.tables.map((table) => table.name)).toEqual(
      expect.arrayContaining(['assistant_thread', 'assistant_message', 'assistant_run', 'docs_query', 'slack_outbox', 'message_vote', 'pa_setting']),
    );
    expect(once.triggers).toEqual(expect.arrayContaining(['pa_slack_thread_insert', 'pa_slack_message_insert', 'pa_slack_vote']));

    for (const migration of migrations) await db.exec(migration.sql);
    expect(await schemaSnapshot(db)).toEqual(once);
  });

  it('turn row-level security on for every table with no policy: the anon and authenticated roles see nothing', async () => {
    const db = await pushedDatabase();
    await db.exec(`insert into pa_setting (key, value) values ('slack_enabled', 'true')`);
    await db.query(`select create_thread(p_owner => 'owner_a', p_metadata => '{"threadTitle":"Private"}')`);

    const { tables } = await schemaSnapshot(db);
    expect(tables.filter((table) => !table.rls)).toEqual([]);
    const policies = await db.query<{ count: number }>(`select count(*)::int as count from pg_policies where schemaname = 'public'`);
    expect(policies.rows[0]?.count).toBe(0);

    for (const role of ['anon', 'authenticated']) {
      await db.exec(`set role ${role}`);
      for (const table of tables) {
        const rows = await db.query(`select * from public.${table.name}`).then(
          (result) => result.rows.length,
          (error: Error) => error.message,
        );
        // Either refused outright (no grant) or filtered to nothing by RLS: never a row.
        expect([0, `permission denied for table ${table.name}`]).toContain(rows);
      }
      await expect(db.query(`select get_thread_transcript_by_id(p_thread_id => 'thread_x')`)).rejects.toThrow(/permission denied for function/);
      await db.exec('reset role');
    }

    // Even given a grant, RLS with no policy shows anon no rows.
    await db.exec('grant select on assistant_thread, slack_outbox to anon');
    await db.exec('set role anon');
    expect((await db.query('select * from assistant_thread')).rows).toEqual([]);
    expect((await db.query('select * from slack_outbox')).rows).toEqual([]);
    await db.exec('reset role');
    expect((await db.query('select * from assistant_thread')).rows).toHaveLength(1);
    expect((await db.query('select * from slack_outbox')).rows).toHaveLength(1);
  });

  it("compute a message's text as TypeScript does (lib/shared/messages.ts): every part, a blank line between them", async () => {
    const db = await pushedDatabase();
    const part = (value: string) => ({ type: 'text' as const, text: { value, annotations: [] } });
    const contents: TTextContent[] = [[], [part('One part.')], [part('First part.'), part('Second part,\nwith a line break.'), part('Third.')]];
    for (const content of contents) {
      const { rows } = await db.query<{ message: string; draft: string }>(
        'select pa_message_text($1::jsonb) as message, pa_content_text($1::jsonb) as draft',
        [JSON.stringify(content)],
      );
      expect(rows[0]).toEqual({ message: messageText({ content }), draft: messageText({ content }) });
    }
    expect(messageText({ content: contents[2]! })).toBe('First part.\n\nSecond part,\nwith a line break.\n\nThird.');
  });
});

describe('supabase/schemas', () => {
  it('define every function, trigger, view and policy a migrated database has, and nothing it lacks; no function is left with an old signature beside its new one', async () => {
    const db = await createTestDb();
    try {
      const query = async (sql: string) => (await db.pg.query<{ kind: string; name: string }>(sql)).rows.map((row) => `${row.kind} ${row.name}`);
      // Functions of extensions (pg_trgm's similarity, …) are the extension's, not ours.
      const functions = await query(`select 'function' as kind, p.proname as name from pg_proc p
        join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')`);
      const inDatabase = [
        ...functions,
        ...(await query(`select 'trigger' as kind, tgname as name from pg_trigger where not tgisinternal`)),
        ...(await query(`select 'view' as kind, viewname as name from pg_views where schemaname = 'public'`)),
        ...(await query(`select 'policy' as kind, policyname as name from pg_policies where schemaname = 'public'`)),
      ];
      const inSchemas = new Set(readSchemas().flatMap((schema) => definitionsIn(schema.sql).map(({ kind, name }) => `${kind} ${name}`)));
      expect(functions.length).toBeGreaterThan(100);
      expect([...new Set(inDatabase)].sort()).toEqual([...inSchemas].sort());
      // A changed signature needs the old one dropped (by a migration); otherwise both stay, and calls may be ambiguous.
      expect(functions.filter((name, index) => functions.indexOf(name) !== index)).toEqual([]);
    } finally {
      await db.close();
    }
  });
});

// The schema dumped on the test run's Postgres server (tests/helpers/postgres-global-setup.ts); the test names say
// which dump compared them (tests/helpers/schema-dump.ts).
const dumper = schemaDumper();
describe(`a fresh database and an upgraded one (${dumper.label})`, () => {
  const landed = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, '..', 'landed-migrations.json'), 'utf8')) as { legacy: { landedBeforeSchemas: string[] } };
  let count = 0;

  async function withClient<T>(url: string, run: (client: nodePostgres.Client) => Promise<T>): Promise<T> {
    const client = new nodePostgres.Client({ connectionString: url });
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  }

  async function emptyPostgresDatabase(): Promise<string> {
    const url = new URL(inject('postgresUrl'));
    const name = `schema_${process.pid}_${(count += 1)}`;
    await withClient(url.toString(), (client) => client.query(`create database ${name} template template0`));
    url.pathname = `/${name}`;
    return url.toString();
  }

  const dumpSchema = (url: string, excluded: string[] = []) => dumper.dump(url, excluded);

  async function migrateWithApp(url: string, migrations = readMigrations()): Promise<void> {
    const db = await createPostgresDb({ connectionString: url, migrations, poolSize: 1 });
    await db.close();
  }

  it('are identical: the current tree on an empty database, and on a database migrated as main did before supabase/schemas (the legacy chain, caught up, then the baseline)', async () => {
    const fresh = await emptyPostgresDatabase();
    await migrateWithApp(fresh);

    // main before supabase/schemas: those landed migrations, applied by its runner (each file once, in a
    // transaction, recorded in pa_schema_migration); the database a deployment has today.
    const upgraded = await emptyPostgresDatabase();
    const before = readLegacyMigrations().filter((migration) => landed.legacy.landedBeforeSchemas.includes(migration.name));
    expect(before.map((migration) => migration.name)).toEqual(landed.legacy.landedBeforeSchemas);
    await withClient(upgraded, async (client) => {
      await client.query('create table if not exists pa_schema_migration (name text primary key, checksum text not null, applied_at timestamptz not null default now())');
      for (const migration of before) {
        await client.query('begin');
        await client.query(migration.sql);
        await client.query('insert into pa_schema_migration (name, checksum) values ($1, $2)', [migration.name, migration.checksum]);
        await client.query('commit');
      }
    });
    const beforeUpgrade = await dumpSchema(upgraded);
    await migrateWithApp(upgraded);

    const freshSchema = await dumpSchema(fresh);
    expect(freshSchema).toMatch(/CREATE (OR REPLACE )?FUNCTION public\.get_maintainer_report/);
    expect(freshSchema).toMatch(/CREATE TRIGGER pa_slack_message_completed/);
    expect(await dumpSchema(upgraded)).toBe(freshSchema);
    // The upgrade did something (the schema files' ledger, at least): the comparison is not of two untouched copies.
    expect(beforeUpgrade).not.toBe(freshSchema);
  });

  it("are identical: the app's runner, and `supabase db push` of the migrations and the one generated from supabase/schemas", async () => {
    const app = await emptyPostgresDatabase();
    await migrateWithApp(app);
    const supabase = await emptyPostgresDatabase();
    await withClient(supabase, async (client) => {
      for (const migration of supabaseMigrations()) {
        await client.query('begin');
        await client.query(migration.sql);
        await client.query('commit');
      }
    });
    // The Supabase CLI keeps its own ledger (supabase_migrations); the app's two ledger tables are the app's.
    const ledgers = ['pa_schema_migration', 'pa_schema_file'];
    expect(await dumpSchema(supabase, ledgers)).toBe(await dumpSchema(app, ledgers));
  });

  // Without pg_dump the comparison rests on the catalog dump: it must see each kind of change an upgrade could miss.
  it('the catalog dump (used where there is no pg_dump) changes with a function body, an index, a default, a grant, a policy, a trigger', async () => {
    const url = await emptyPostgresDatabase();
    await migrateWithApp(url);
    const changes = [
      `create or replace function pa_message_text(p_content jsonb) returns text language sql immutable as $$ select 'changed' $$`,
      'drop index assistant_message_thread_seq_idx',
      `alter table pa_setting alter column value set default '{}'::jsonb`,
      'grant select on pa_setting to public',
      'create policy p_test on pa_setting for select using (true)',
      'alter table assistant_message disable trigger pa_slack_message_insert',
      'create index pa_setting_value_idx on pa_setting (value)',
    ];
    let previous = await catalogSchemaDump(url);
    expect(previous).toMatch(/CREATE OR REPLACE FUNCTION public\.get_maintainer_report/);
    for (const change of changes) {
      await withClient(url, (client) => client.query(change));
      const next = await catalogSchemaDump(url);
      expect(next, change).not.toBe(previous);
      previous = next;
    }
    // And it is stable: dumped twice, equal.
    expect(await catalogSchemaDump(url)).toBe(previous);
  });
});
