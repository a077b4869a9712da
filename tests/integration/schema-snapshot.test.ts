import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SNAPSHOT_FILE, tablesSnapshot } from '@/scripts/lib/schema-snapshot';
import { createTestDb } from '../helpers/pglite-template';

// supabase/tables.snapshot.sql is the tables as one readable file: it must be exactly what the migrations make
// (the runner on an empty embedded database: supabase/migrations, then supabase/schemas). A migration without the
// regenerated snapshot, or a snapshot edited by hand, fails here.

let db: Awaited<ReturnType<typeof createTestDb>> | undefined;

afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe(SNAPSHOT_FILE, () => {
  it('is the tables of a freshly migrated database (regenerate it with `npm run db:schema-snapshot`)', async () => {
    db = await createTestDb();
    const current = db;
    const snapshot = await tablesSnapshot((sql) => current.pg.query(sql));
    const committed = readFileSync(path.join(process.cwd(), SNAPSHOT_FILE), 'utf8');
    expect(committed, `${SNAPSHOT_FILE} is not what the migrations make: run npm run db:schema-snapshot and commit it`).toBe(snapshot);
  });

  it('changes with a column, its default, a constraint, an index, row-level security and a dropped table', async () => {
    db = await createTestDb();
    const current = db;
    const snapshot = () => tablesSnapshot((sql) => current.pg.query(sql));
    let previous = await snapshot();
    for (const change of [
      'alter table pa_setting add column note text',
      `alter table pa_setting alter column note set default 'x'`,
      'alter table pa_setting add constraint pa_setting_note_check check (note <> \'\')',
      'create index pa_setting_note_idx on pa_setting (note)',
      'alter table pa_setting disable row level security',
      'drop table slack_event',
    ]) {
      await current.pg.exec(change);
      const next = await snapshot();
      expect(next, change).not.toBe(previous);
      previous = next;
    }
  });
});
