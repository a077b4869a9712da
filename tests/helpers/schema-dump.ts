import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TSnapshotQuery } from '@/scripts/lib/schema-snapshot';
import { findPostgresBinaries } from './postgres-server';

// The schema of a database as text, to compare two databases (a fresh one and an upgraded one): `pg_dump
// --schema-only` when the test server's binaries come with it (the OS's PostgreSQL), and otherwise — the npm
// package's binaries have no pg_dump — a dump read from the catalogs: what pg_dump would print, object by object,
// in a fixed order (extensions, schemas, types, tables with their columns, defaults, constraints, indexes and
// row-level security, sequences, views, functions with their bodies, triggers, policies, grants, comments).

export type TSchemaDumper = {
  /** For test names and logs: which of the two made the dump. */
  label: string;
  dump(url: string, excludedTables?: string[]): Promise<string>;
};

/** pg_dump of the test server's own version: beside its binaries (which may be links, as /usr/local/bin's). */
function findPgDump(): string | undefined {
  const binaries = findPostgresBinaries();
  if (binaries.source !== 'os') return undefined;
  const initdb = path.join(binaries.dir, 'initdb');
  return [path.dirname(realpathSync(initdb)), binaries.dir].map((dir) => path.join(dir, 'pg_dump')).find((file) => existsSync(file));
}

export function schemaDumper(): TSchemaDumper {
  const pgDump = findPgDump();
  if (pgDump) {
    return {
      label: 'pg_dump --schema-only',
      async dump(url, excludedTables = []) {
        const dump = execFileSync(pgDump, ['--schema-only', ...excludedTables.map((table) => `--exclude-table=${table}`), url], { encoding: 'utf8' });
        // pg_dump's per-run restrict key differs between two dumps of equal schemas.
        return dump
          .split('\n')
          .filter((line) => !/^\\(un)?restrict /.test(line))
          .join('\n');
      },
    };
  }
  return { label: 'catalog query dump (no pg_dump beside the server binaries)', dump: catalogSchemaDump };
}

// The schemas pg_dump dumps: all but the system's.
const USER_SCHEMA = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'`;
// Objects an extension created are the extension's (pg_dump prints `create extension`, not them).
const NOT_FROM_EXTENSION = (oid: string) => `not exists (select 1 from pg_depend d where d.objid = ${oid} and d.deptype = 'e')`;

/** Each query returns one text column `line`; the section's lines are sorted, so the order of creation is irrelevant. */
function catalogQueries(excluded: string): Record<string, string> {
  const table = `c.relname <> all(${excluded})`;
  return {
    extensions: `select extname || ' ' || extversion || ' in ' || extnamespace::regnamespace::text as line from pg_extension`,
    schemas: `select n.nspname || ' owner ' || pg_get_userbyid(n.nspowner) || ' acl ' || coalesce(n.nspacl::text, '-') as line
      from pg_namespace n where ${USER_SCHEMA}`,
    types: `select format_type(t.oid, null) || ' ' || t.typtype::text || coalesce(' (' || (select string_agg(e.enumlabel, ', ' order by e.enumsortorder)
        from pg_enum e where e.enumtypid = t.oid) || ')', '') || coalesce(' base ' || format_type(t.typbasetype, t.typtypmod), '') as line
      from pg_type t join pg_namespace n on n.oid = t.typnamespace
      where ${USER_SCHEMA} and t.typtype in ('e', 'd', 'r', 'm') and ${NOT_FROM_EXTENSION('t.oid')}`,
    relations: `select c.oid::regclass::text || ' kind ' || c.relkind::text || ' persistence ' || c.relpersistence::text
        || ' rls ' || c.relrowsecurity || ' force ' || c.relforcerowsecurity || ' options ' || coalesce(c.reloptions::text, '-')
        || ' owner ' || pg_get_userbyid(c.relowner) || ' acl ' || coalesce(c.relacl::text, '-')
        || ' comment ' || coalesce(obj_description(c.oid, 'pg_class'), '-') as line
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where ${USER_SCHEMA} and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') and ${table} and ${NOT_FROM_EXTENSION('c.oid')}`,
    // Column order matters (pg_dump prints columns in it), so the column's position among the table's live columns
    // is part of the line (not attnum, which keeps a dropped column's place: an upgraded table has gaps a new one has not).
    columns: `select c.oid::regclass::text || ' #' || row_number() over (partition by a.attrelid order by a.attnum) || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
        || case when a.attnotnull then ' not null' else '' end
        || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
        || case when a.attidentity <> '' then ' identity ' || a.attidentity::text else '' end
        || case when a.attgenerated <> '' then ' generated ' || a.attgenerated::text else '' end
        || case when a.attcollation <> t.typcollation then ' collate ' || a.attcollation::regcollation::text else '' end
        || ' acl ' || coalesce(a.attacl::text, '-') || ' comment ' || coalesce(col_description(c.oid, a.attnum), '-') as line
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      join pg_type t on t.oid = a.atttypid
      left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
      where ${USER_SCHEMA} and c.relkind in ('r', 'p', 'v', 'm', 'f') and a.attnum > 0 and not a.attisdropped and ${table}
        and ${NOT_FROM_EXTENSION('c.oid')}`,
    constraints: `select c.oid::regclass::text || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
        || case when con.condeferrable then ' deferrable' else '' end || case when con.condeferred then ' initially deferred' else '' end as line
      from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
      where ${USER_SCHEMA} and ${table}`,
    indexes: `select pg_get_indexdef(i.indexrelid) || case when i.indisclustered then ' clustered' else '' end as line
      from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
      where ${USER_SCHEMA} and ${table} and ${NOT_FROM_EXTENSION('c.oid')}`,
    sequences: `select s.seqrelid::regclass::text || ' ' || format_type(s.seqtypid, null) || ' start ' || s.seqstart || ' by ' || s.seqincrement
        || ' min ' || s.seqmin || ' max ' || s.seqmax || ' cache ' || s.seqcache || ' cycle ' || s.seqcycle
        || coalesce(' owned by ' || (select d.refobjid::regclass::text || '.' || a.attname from pg_depend d
          join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
          where d.objid = s.seqrelid and d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')), '') as line
      from pg_sequence s join pg_class c on c.oid = s.seqrelid join pg_namespace n on n.oid = c.relnamespace
      where ${USER_SCHEMA} and ${table}`,
    views: `select c.oid::regclass::text || ' as ' || pg_get_viewdef(c.oid) as line
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where ${USER_SCHEMA} and c.relkind in ('v', 'm') and ${table}`,
    // The whole definition (language, volatility, security definer, search_path, body), its owner and grants.
    functions: `select case when p.prokind = 'a' then 'aggregate ' || p.oid::regprocedure::text else pg_get_functiondef(p.oid) end
        || ' owner ' || pg_get_userbyid(p.proowner) || ' acl ' || coalesce(p.proacl::text, '-')
        || ' comment ' || coalesce(obj_description(p.oid, 'pg_proc'), '-') as line
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where ${USER_SCHEMA} and ${NOT_FROM_EXTENSION('p.oid')}`,
    triggers: `select pg_get_triggerdef(t.oid) || ' enabled ' || t.tgenabled::text as line
      from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
      where not t.tgisinternal and ${USER_SCHEMA} and ${table}`,
    rules: `select r.schemaname || '.' || r.tablename || ' ' || r.definition as line from pg_rules r
      where r.schemaname not in ('pg_catalog', 'information_schema') and r.tablename <> all(${excluded})`,
    policies: `select p.schemaname || '.' || p.tablename || ' ' || p.policyname || ' ' || p.permissive || ' ' || p.roles::text || ' ' || p.cmd
        || ' using ' || coalesce(p.qual, '-') || ' check ' || coalesce(p.with_check, '-') as line
      from pg_policies p where p.tablename <> all(${excluded})`,
    defaultPrivileges: `select pg_get_userbyid(d.defaclrole) || ' ' || coalesce(d.defaclnamespace::regnamespace::text, '-') || ' '
        || d.defaclobjtype::text || ' ' || d.defaclacl::text as line from pg_default_acl d`,
    eventTriggers: `select evtname || ' ' || evtevent || ' ' || evtfoid::regproc::text || ' ' || evtenabled::text as line from pg_event_trigger`,
    publications: `select pubname || ' all ' || puballtables as line from pg_publication`,
  };
}

/** The schema read from the catalogs of the database at `url`, one sorted section per kind of object. */
export async function catalogSchemaDump(url: string, excludedTables: string[] = []): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await catalogSchemaDumpWith(async <T,>(sql: string) => (await client.query(sql)) as unknown as { rows: T[] }, excludedTables);
  } finally {
    await client.end();
  }
}

/** The same dump through any connection that runs a query (PGlite's `query`, a node-postgres client's or pool's). */
export async function catalogSchemaDumpWith(query: TSnapshotQuery, excludedTables: string[] = []): Promise<string> {
  const excluded = `array[${excludedTables.map((name) => `'${name.replaceAll("'", "''")}'`).join(', ')}]::name[]`;
  const sections: string[] = [];
  for (const [section, sql] of Object.entries(catalogQueries(excluded))) {
    const { rows } = await query<{ line: string | null }>(sql);
    const lines = rows.map((row) => row.line ?? '(null)').sort();
    sections.push(`-- ${section} (${lines.length})\n${lines.join('\n')}`);
  }
  return `${sections.join('\n\n')}\n`;
}
