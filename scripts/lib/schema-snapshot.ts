// The tables of a database as readable SQL: what supabase/tables.snapshot.sql holds (`npm run db:schema-snapshot`
// writes it; tests/integration/schema-snapshot.test.ts compares it with a freshly migrated database). Read from the
// catalogs, so it needs no pg_dump: PGlite has none. Tables only (columns in their order, types, defaults, identity
// and generated columns, constraints, indexes, row-level security, comments); functions, triggers, views and
// policies are defined, readably already, in supabase/schemas.

/** Runs one query: PGlite's `query` and node-postgres' both fit. */
export type TSnapshotQuery = <T>(sql: string) => Promise<{ rows: T[] }>;

export const SNAPSHOT_FILE = 'supabase/tables.snapshot.sql';

const HEADER = `-- The tables the migrations make: supabase/migrations applied in order to an empty database (and the migration
-- runner's own two tables). Generated, never edited: after adding a migration, regenerate it from a freshly
-- migrated embedded database with
--   npm run db:schema-snapshot
-- and commit it with the migration. tests/integration/schema-snapshot.test.ts fails when the migrations make
-- anything else. Functions, triggers, views and policies are not here: each is defined once, in supabase/schemas.
`;

// The schemas pg_dump dumps: all but the system's; and no object an extension created (pg_trgm's).
const USER_RELATION = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%'
  and n.nspname not like 'pg\\_temp%' and c.relkind in ('r', 'p')
  and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e')`;

type TTableRow = { oid: number; name: string; is_rls: boolean; is_rls_forced: boolean; comment: string | null };
type TColumnRow = { table_oid: number; name: string; type: string; is_not_null: boolean; default_expr: string | null; identity: string; generated: string; collation: string | null; comment: string | null };
type TConstraintRow = { table_oid: number; name: string; definition: string };
type TIndexRow = { table_oid: number; name: string; definition: string };

export async function tablesSnapshot(query: TSnapshotQuery): Promise<string> {
  const tables = (
    await query<TTableRow>(`select c.oid::int as oid, c.oid::regclass::text as name, c.relrowsecurity as is_rls,
        c.relforcerowsecurity as is_rls_forced, obj_description(c.oid, 'pg_class') as comment
      from pg_class c join pg_namespace n on n.oid = c.relnamespace where ${USER_RELATION}`)
  ).rows.sort((a, b) => compare(a.name, b.name));
  const columns = (
    await query<TColumnRow>(`select a.attrelid::int as table_oid, quote_ident(a.attname) as name, format_type(a.atttypid, a.atttypmod) as type,
        a.attnotnull as is_not_null, pg_get_expr(ad.adbin, ad.adrelid) as default_expr, a.attidentity::text as identity,
        a.attgenerated::text as generated,
        case when a.attcollation <> t.typcollation then a.attcollation::regcollation::text end as collation,
        col_description(a.attrelid, a.attnum) as comment
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      join pg_type t on t.oid = a.atttypid left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
      where ${USER_RELATION} and a.attnum > 0 and not a.attisdropped order by a.attrelid, a.attnum`)
  ).rows;
  // Not-null is the column's (Postgres 18 lists it as a constraint too, 17 does not); an index that backs a
  // primary key, unique or exclusion constraint is the constraint's.
  const constraints = (
    await query<TConstraintRow>(`select con.conrelid::int as table_oid, quote_ident(con.conname) as name,
        pg_get_constraintdef(con.oid) || case when con.condeferrable then ' deferrable' else '' end
          || case when con.condeferred then ' initially deferred' else '' end as definition
      from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
      where ${USER_RELATION} and con.contype <> 'n'`)
  ).rows.sort((a, b) => compare(a.name, b.name));
  const indexes = (
    await query<TIndexRow>(`select i.indrelid::int as table_oid, i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
      from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
      where ${USER_RELATION} and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid and con.contype in ('p', 'u', 'x'))`)
  ).rows.sort((a, b) => compare(a.name, b.name));

  const blocks = tables.map((table) => {
    const own = <T extends { table_oid: number }>(rows: T[]) => rows.filter((row) => row.table_oid === table.oid);
    const tableColumns = own(columns);
    const width = Math.max(...tableColumns.map((column) => column.name.length));
    const lines = [
      ...tableColumns.map((column) => `  ${column.name.padEnd(width)} ${columnDefinition(column)}`),
      ...own(constraints).map((constraint) => `  constraint ${constraint.name} ${constraint.definition}`),
    ];
    const statements = [`create table ${table.name} (\n${lines.join(',\n')}\n);`];
    for (const index of own(indexes)) statements.push(`${index.definition};`);
    if (table.is_rls) statements.push(`alter table ${table.name} enable row level security;`);
    if (table.is_rls_forced) statements.push(`alter table ${table.name} force row level security;`);
    if (table.comment !== null) statements.push(`comment on table ${table.name} is ${literal(table.comment)};`);
    for (const column of tableColumns) {
      if (column.comment !== null) statements.push(`comment on column ${table.name}.${column.name} is ${literal(column.comment)};`);
    }
    return statements.join('\n');
  });
  return `${HEADER}\n${blocks.join('\n\n')}\n`;
}

function columnDefinition(column: TColumnRow): string {
  const parts = [column.type];
  if (column.collation) parts.push(`collate ${column.collation}`);
  if (column.is_not_null) parts.push('not null');
  if (column.identity) parts.push(`generated ${column.identity === 'a' ? 'always' : 'by default'} as identity`);
  else if (column.generated === 's') parts.push(`generated always as (${column.default_expr}) stored`);
  else if (column.generated === 'v') parts.push(`generated always as (${column.default_expr}) virtual`);
  else if (column.default_expr !== null) parts.push(`default ${column.default_expr}`);
  return parts.join(' ');
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

// Byte order, not the locale's: the file must come out the same on every machine.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
