import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_MIGRATION_MARKER, readMigrations, readSchemas, schemasDue, sha256, type TMigration, type TSqlFile } from './migrations';

// The Supabase CLI (`supabase db push`) applies supabase/migrations only, each file once. The schema files
// reach it as a generated migration: the files due since the last generated one (by the runner's own rule,
// schemasDue), copied verbatim, with a header recording the checksum of every schema file after it. The next
// generation reads that header to know what changed. The app's runner records such a file without running it.

const STATE_LINE = /^-- schema file: (\S+) sha256:([0-9a-f]{64})$/gm;
const SECTION_LINE = /^-- >>> supabase\/schemas\/(\S+)\n/gm;

export type TParsedSupabaseMigration = {
  /** Every schema file's checksum as the database has it after this migration. */
  state: Map<string, string>;
  /** The schema files this migration applies, as they were when it was generated. */
  sections: { name: string; sql: string }[];
};

export function parseSupabaseMigration(sql: string): TParsedSupabaseMigration {
  const state = new Map([...sql.matchAll(STATE_LINE)].map((match) => [match[1] as string, match[2] as string]));
  const starts = [...sql.matchAll(SECTION_LINE)];
  const sections = starts.map((match, index) => ({
    name: match[1] as string,
    sql: sql.slice((match.index ?? 0) + match[0].length, starts[index + 1]?.index ?? sql.length),
  }));
  return { state, sections };
}

/** A migration version (the digits before `_`) for `now`, in UTC: yyyymmddhhmmss. */
function versionAt(now: Date): number {
  return Number(now.toISOString().replace(/\D/g, '').slice(0, 14));
}

/**
 * The migration that brings a database `supabase db push` has migrated up to date with `schemas`, or null when
 * nothing is due. Named to sort after every migration (the CLI refuses to insert one before those it applied).
 */
export function buildSupabaseMigration({
  migrations,
  schemas,
  now = new Date(),
}: {
  migrations: TMigration[];
  schemas: TSqlFile[];
  now?: Date;
}): { name: string; sql: string; schemas: string[] } | null {
  const last = migrations.filter((migration) => migration.isGenerated).at(-1);
  const applied = last ? parseSupabaseMigration(last.sql).state : new Map<string, string>();
  const isAfterMigration = !last || migrations.some((migration) => !migration.isGenerated && migration.name > last.name);
  const due = schemasDue(schemas, applied, isAfterMigration);
  if (due.length === 0) return null;

  const newest = Math.max(0, ...migrations.map((migration) => Number(migration.name.split('_')[0])));
  const name = `${Math.max(versionAt(now), newest + 1)}_schemas.sql`;
  const header = [
    GENERATED_MIGRATION_MARKER,
    '-- For `supabase db push`: the schema files due since the last generated migration. Never edit this file:',
    '-- change supabase/schemas and run the command again. The app applies supabase/schemas itself and only',
    '-- records this file. The checksum of every schema file once this migration is applied:',
    ...schemas.map((schema) => `-- schema file: ${schema.name} sha256:${schema.checksum}`),
    '',
  ].join('\n');
  // Verbatim: each schema file ends with a newline (tests/unit/schema-files.test.ts), so each marker starts a line.
  const body = due.map((schema) => `-- >>> supabase/schemas/${schema.name}\n${schema.sql}`);
  return { name, sql: `${header}\n${body.join('')}`, schemas: due.map((schema) => schema.name) };
}

/** A generated migration is intact when each section is the schema file its header records. */
export function isIntactSupabaseMigration(sql: string): boolean {
  const { state, sections } = parseSupabaseMigration(sql);
  return sections.length > 0 && sections.every((section) => state.get(section.name) === sha256(section.sql));
}

/**
 * Writes the migration due (if any) into `<root>/supabase/migrations` and lists it in
 * supabase/landed-migrations.json, which tests/unit/landed-migrations.test.ts asks of every migration file.
 */
export function writeSupabaseMigration({ root, now }: { root: string; now?: Date }): { file: string; schemas: string[] } | null {
  const migrationsDir = path.join(/* turbopackIgnore: true */ root, 'supabase', 'migrations');
  const migration = buildSupabaseMigration({
    migrations: readMigrations(migrationsDir),
    schemas: readSchemas(path.join(/* turbopackIgnore: true */ root, 'supabase', 'schemas')),
    now,
  });
  if (!migration) return null;
  writeFileSync(path.join(/* turbopackIgnore: true */ migrationsDir, migration.name), migration.sql);
  const landedFile = path.join(/* turbopackIgnore: true */ root, 'supabase', 'landed-migrations.json');
  const landed = JSON.parse(readFileSync(/* turbopackIgnore: true */ landedFile, 'utf8')) as { migrations: Record<string, string> };
  landed.migrations[migration.name] = sha256(migration.sql);
  writeFileSync(landedFile, `${JSON.stringify(landed, null, 2)}\n`);
  return { file: path.join('supabase', 'migrations', migration.name), schemas: migration.schemas };
}
