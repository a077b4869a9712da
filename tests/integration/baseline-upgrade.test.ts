import nodePostgres from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { readLegacyMigrations, readMigrations, readSchemas } from '@/lib/db/migrations';
import { createPgliteDb } from '@/lib/db/pglite';
import { createPostgresDb } from '@/lib/db/postgres';
import type { TDb } from '@/lib/db/types';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestDb } from '../helpers/pglite-template';
import { catalogSchemaDumpWith } from '../helpers/schema-dump';
import { createPostgresTestDatabase, execSql, querySql } from '../helpers/stores';

// A database that today's deployments have — migrated with the chain before the baseline (supabase/legacy-migrations)
// and supabase/schemas, holding threads, messages, runs, docs pages and sections, maintainers' answers — is upgraded
// by the app's runner (lib/db/migrations.ts) on PGlite and on the test run's Postgres server: every row of every
// table is kept, the dead tables and column are gone, and its schema is a new database's (the baseline's), compared
// by the dump read from the catalogs (tests/helpers/schema-dump.ts).

const LEDGERS = ['pa_schema_migration', 'pa_schema_file'];
// Today's schema files that use what the migrations after the baseline add (readers' sessions and run audiences,
// hand-offs, key audiences: 20261202000100, 20261202000200; answer grades and the doors' thread sources:
// 20261204000100, 20261204000300): a legacy database had the files of its time, without them; the upgrade applies
// the migrations, then every file.
const NEEDS_LATER_MIGRATIONS = [
  ...['10_threads.sql', '15_reader_sessions.sql', '20_messages.sql', '30_runs.sql', '61_maintainers.sql', '64_deflection.sql'],
  ...['65_handoffs.sql', '66_answer_grades.sql', '80_api_keys.sql', '82_api_threads.sql', '90_telemetry.sql'],
];
/** The columns those migrations add to tables a legacy database has. */
const ADDED_COLUMNS: Record<string, string[]> = { assistant_run: ['reader_audiences'], api_key: ['audiences'] };
const legacySchemas = () => readSchemas().filter((schema) => !NEEDS_LATER_MIGRATIONS.includes(schema.name));
const DEAD_TABLES = ['docs_term', 'docs_lexeme'];

const SEED = `
insert into assistant_thread (id, owner, metadata, slack_thread_ts)
  values ('thread_a', 'owner_1', '{"threadTitle":"Theming"}', '100.1'), ('thread_b', 'owner_2', '{}', null);
insert into assistant_run (id, thread_id, status, model, instructions, max_tool_rounds, max_attempts, expires_at, completed_at)
  values ('run_a', 'thread_a', 'completed', 'offline', 'Be brief.', 4, 3, now() + interval '1 hour', now()),
         ('run_b', 'thread_b', 'queued', 'offline', '', 4, 3, now() + interval '1 hour', null);
insert into assistant_message (id, thread_id, run_id, role, content, metadata)
  values ('msg_q', 'thread_a', null, 'user', '[{"type":"text","text":{"value":"How do I theme?","annotations":[]}}]', '{}'),
         ('msg_a', 'thread_a', 'run_a', 'assistant', '[{"type":"text","text":{"value":"Use the Theme provider.","annotations":[]}}]', '{"author":"assistant"}'),
         ('msg_b', 'thread_b', null, 'user', '[{"type":"text","text":{"value":"Dark mode?","annotations":[]}}]', '{}');
insert into docs_page (path, slug, title, description, checksum, source_kind, meta)
  values ('theme/index.mdx', 'theme', 'Theme', 'Theming Paste', 'c1', 'folder', '{}'),
         ('answers/1', 'answers/1', 'How do I theme?', '', 'c2', 'answer', '{"answer_id":1}');
insert into docs_section (page_id, ordinal, page_title, description, heading, heading_path, anchor, content, content_hash, embedding, embedding_model)
  select id, 0, title, description, 'Theme provider', '["Theme","Theme provider"]', 'theme-provider', 'Wrap the app in a Theme.Provider.', 'h1', '{0.25,0.5,0.75}', 'fake-3'
  from docs_page where path = 'theme/index.mdx';
insert into docs_section (page_id, ordinal, page_title, heading, anchor, content, content_hash)
  select id, 1, title, 'Tokens', 'tokens', 'Tokens name the values.', 'h2' from docs_page where path = 'theme/index.mdx'
  union all select id, 0, title, '', '', 'Use the Theme provider.', 'h3' from docs_page where path = 'answers/1';
insert into maintainer_answer (status, question, answer, source_message_id, decided_at)
  values ('approved', 'How do I theme?', 'Use the Theme provider.', 'msg_a', now());
insert into docs_term (word, lexeme, ndoc) values ('theme', 'theme', 2);
insert into docs_lexeme (lexeme, ndoc) values ('theme', 2);
`;

/** Every row of every table (the ledgers and the dead tables aside), without the dead column, in a fixed order. */
async function allRows(db: TDb): Promise<Record<string, unknown[]>> {
  const { rows: tables } = await querySql<{ name: string }>(
    db,
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'r' and c.relname <> all($1::name[]) order by 1`,
    [[...LEDGERS, ...DEAD_TABLES]],
  );
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    const { rows } = await querySql<{ rows: unknown[] }>(
      db,
      `select coalesce(jsonb_agg(to_jsonb(t) - 'fts' order by (to_jsonb(t) - 'fts')::text), '[]'::jsonb) as rows from public.${name} t`,
    );
    out[name] = rows[0]!.rows;
  }
  return out;
}

const dumpOf = (db: TDb) => catalogSchemaDumpWith((sql) => querySql(db, sql));

type TStore = {
  name: string;
  open(isLegacy: boolean): Promise<TDb>;
  openFresh(): Promise<TDb>;
};

function pgliteStore(): TStore {
  const dataDir = makeTempDir('baseline-upgrade-');
  return {
    name: 'pglite',
    open: (isLegacy) => (isLegacy ? createPgliteDb({ dataDir, migrations: readLegacyMigrations(), legacyMigrations: [], schemas: legacySchemas() }) : createPgliteDb({ dataDir })),
    openFresh: () => createTestDb(),
  };
}

async function emptyPostgresDatabase(): Promise<string> {
  const url = new URL(inject('postgresUrl'));
  const name = `baseline_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new nodePostgres.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`create database ${name} template template0`);
  } finally {
    await client.end();
  }
  url.pathname = `/${name}`;
  return url.toString();
}

function postgresStore(): TStore {
  let url: string | undefined;
  return {
    name: 'postgres',
    async open(isLegacy) {
      url ??= await emptyPostgresDatabase();
      return isLegacy
        ? createPostgresDb({ connectionString: url, migrations: readLegacyMigrations(), legacyMigrations: [], schemas: legacySchemas(), poolSize: 2 })
        : createPostgresDb({ connectionString: url, poolSize: 2 });
    },
    openFresh: async () => createPostgresDb({ connectionString: await createPostgresTestDatabase(), poolSize: 2 }),
  };
}

const opened: TDb[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});
async function track(db: Promise<TDb>): Promise<TDb> {
  opened.push(await db);
  return opened.at(-1)!;
}

describe.each([{ make: pgliteStore }, { make: postgresStore }])('a database migrated with the legacy chain', ({ make }) => {
  it(`upgrades onto the baseline keeping every row, and then has a new database's schema (${make().name})`, { timeout: 300_000 }, async () => {
    const store = make();
    const legacy = await track(store.open(true));
    await execSql(legacy, SEED);
    const before = await allRows(legacy);
    expect(before.assistant_thread).toHaveLength(2);
    expect(before.assistant_message).toHaveLength(3);
    expect(before.assistant_run).toHaveLength(2);
    expect(before.docs_page).toHaveLength(2);
    expect(before.docs_section).toHaveLength(3);
    expect(before.maintainer_answer).toHaveLength(1);
    const legacyLedger = await querySql<{ name: string }>(legacy, 'select name from pa_schema_migration order by name');
    expect(legacyLedger.rows.map((row) => row.name)).toEqual(readLegacyMigrations().map((migration) => migration.name));
    await legacy.close();
    opened.splice(0);

    const upgraded = await track(store.open(false));
    // What the migrations after the baseline add comes empty: their tables hold no row, their columns are null.
    const after = await allRows(upgraded);
    for (const table of Object.keys(after).filter((name) => !(name in before))) {
      expect(after[table], table).toEqual([]);
      delete after[table];
    }
    for (const [table, columns] of Object.entries(ADDED_COLUMNS)) {
      after[table] = (after[table] ?? []).map((row) => {
        const copy = { ...(row as Record<string, unknown>) };
        for (const column of columns) {
          expect(copy[column], `${table}.${column}`).toBeNull();
          delete copy[column];
        }
        return copy;
      });
    }
    expect(after).toEqual(before);
    const dead = await querySql<{ name: string | null }>(
      upgraded,
      `select to_regclass('docs_term')::text as name union all select to_regclass('docs_lexeme')::text
       union all select column_name::text from information_schema.columns where table_name = 'docs_section' and column_name = 'fts'
       union all select proname::text from pg_proc where proname = 'heading_path_text'
       union all select extname::text from pg_extension where extname = 'pg_trgm'`,
    );
    expect(dead.rows.map((row) => row.name)).toEqual([null, null]);
    const ledger = await querySql<{ name: string }>(upgraded, `select name from pa_schema_migration where name not like '202611%' order by name`);
    expect(ledger.rows.map((row) => row.name)).toEqual(readMigrations().map((migration) => migration.name));

    const fresh = await track(store.openFresh());
    const freshSchema = await dumpOf(fresh);
    expect(freshSchema).toMatch(/CREATE OR REPLACE FUNCTION public\.get_maintainer_report/);
    expect(freshSchema).toMatch(/docs_section #11 embedding real\[\]/);
    expect(await dumpOf(upgraded)).toBe(freshSchema);
  });
});
