import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { afterEach, describe, expect, it } from 'vitest';
import { readMigrations } from '@/lib/db/migrations';
import { messageText, type TTextContent } from '@/lib/shared/messages';

// The SQL as `supabase db push` runs it: every file, in name order, on an empty database that has Supabase's
// roles; and again, as the embedded store may re-apply a changed file.

const SUPABASE_ROLES = ['anon', 'authenticated', 'service_role'];
let pg: PGlite | undefined;

afterEach(async () => {
  await pg?.close();
  pg = undefined;
});

async function emptyDatabase(): Promise<PGlite> {
  pg = await PGlite.create('memory://', { extensions: { pg_trgm } });
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

describe('migrations', () => {
  const migrations = readMigrations();

  it('are named for the Supabase CLI and each ends by locking the schema down', () => {
    expect(migrations.length).toBeGreaterThanOrEqual(3);
    for (const migration of migrations) {
      expect(migration.name).toMatch(/^\d{14}_[a-z0-9_]+\.sql$/);
      expect(migration.sql.trim()).toMatch(/select pa_lock_down\(\);$/);
    }
  });

  it('apply cleanly in order to an empty database, and again on top of themselves without changing the schema', async () => {
    const db = await emptyDatabase();
    for (const migration of migrations) await db.exec(migration.sql);
    const once = await schemaSnapshot(db);
    expect(once.tables.map((table) => table.name)).toEqual(
      expect.arrayContaining(['assistant_thread', 'assistant_message', 'assistant_run', 'docs_query', 'slack_outbox', 'message_vote', 'pa_setting']),
    );
    expect(once.triggers).toEqual(expect.arrayContaining(['pa_slack_thread_insert', 'pa_slack_message_insert', 'pa_slack_vote']));

    for (const migration of migrations) await db.exec(migration.sql);
    expect(await schemaSnapshot(db)).toEqual(once);
  });

  it('turn row-level security on for every table with no policy: the anon and authenticated roles see nothing', async () => {
    const db = await emptyDatabase();
    for (const migration of migrations) await db.exec(migration.sql);
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
    const db = await emptyDatabase();
    for (const migration of migrations) await db.exec(migration.sql);
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
