import nodePostgres from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { claimChatInboxBatch, recordChatInbox, releaseChatInboxLeasesOfOtherWorkers } from '@/lib/db/chat-inbox';
import { readLegacyMigrations, readSchemas } from '@/lib/db/migrations';
import { createPgliteDb } from '@/lib/db/pglite';
import { createPostgresDb } from '@/lib/db/postgres';
import type { TDb } from '@/lib/db/types';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { execSql, querySql } from '../helpers/stores';

// 20261127100000_chat_inbox.sql moves the two chat doors' tables (slack_inbox + slack_conversation,
// discord_interaction + discord_conversation) into the one inbox keyed by door. A database as it was before it,
// with rows in flight (pending, leased by a worker of the old release, mid-answer), is upgraded by the app's
// runner on PGlite and on the test run's Postgres server: every row comes over with its step, lease, attempts,
// reply and secret, under the keys the doors' intake uses now, and the old tables are gone. The migration is in the
// legacy chain (supabase/legacy-migrations) now: a database it has not reached is brought to the end of that chain
// by the runner, then onto the baseline (lib/db/migrations.ts), which is the path tested here.

const MIGRATION = '20261127100000_chat_inbox.sql';
const before = readLegacyMigrations().filter((migration) => migration.name < MIGRATION);
// The functions of these files take or declare the new tables' row types, or read a table of a later migration
// (41_docs_search.sql and 47_docs_rank_index.sql: docs_search_version, 20261128100000, and its digest columns,
// 20261129100000): a database before the migration cannot have them (it had the old doors' functions and the old docs
// version, which the seed below does not need), or a column a later migration adds (21_thread_shares.sql: the share's
// updated_at, 20261130100030; 43_docs_vocabulary.sql: the feedback's reader, 20261130100010; 63_docs_gaps.sql: the
// draft's issue_number, 20261130100020; 70_limits.sql: the bucket's capacity, 20261130100000).
// And the files that use what the migrations after the baseline add (readers' sessions and run audiences, hand-offs,
// key audiences: 20261202000100, 20261202000200), or the chat inbox (90_telemetry.sql's queue depths).
const NEEDS_THE_NEW_TABLES = [
  ...['21_thread_shares.sql', '41_docs_search.sql', '43_docs_vocabulary.sql', '47_docs_rank_index.sql', '52_slack_answers.sql'],
  ...['53_chat_inbox.sql', '63_docs_gaps.sql', '70_limits.sql'],
  ...['15_reader_sessions.sql', '20_messages.sql', '30_runs.sql', '65_handoffs.sql', '64_deflection.sql', '80_api_keys.sql', '82_api_threads.sql', '90_telemetry.sql'],
  // answer grades and the doors' thread sources (20261204000100, 20261204000300)
  ...['10_threads.sql', '61_maintainers.sql', '66_answer_grades.sql'],
];
const schemasBefore = readSchemas().filter((schema) => !NEEDS_THE_NEW_TABLES.includes(schema.name));

const SEED = `
insert into assistant_thread (id, owner, metadata) values ('thread_s1', 'slack:T1', '{}'), ('thread_d1', 'discord:G1', '{}');
insert into slack_conversation (team_id, channel_id, thread_ts, thread_id, channel_type, asker)
  values ('T1', 'C1', '100.1', 'thread_s1', 'channel', 'U1');
insert into slack_inbox (event_id, kind, team_id, channel_id, channel_type, thread_ts, message_ts, slack_user, text, status,
                         outcome, thread_id, reply_ts, posted_text, attempts, lease_owner, lease_expires_at)
  values ('Ev1', 'question', 'T1', 'C1', 'channel', '100.1', '100.1', 'U1', 'How do I theme?', 'done', 'answered',
          'thread_s1', '100.2', 'The answer', 0, null, null),
         ('Ev2', 'question', 'T1', 'C1', 'channel', '100.1', '100.3', 'U1', 'And dark mode?', 'pending', null,
          'thread_s1', '100.4', 'Searching', 2, 'worker_old', now() + interval '1 hour');
insert into discord_conversation (channel_id, guild_id, thread_id, asker) values ('D_THREAD', 'G1', 'thread_d1', 'U9');
insert into discord_interaction (id, application_id, token, kind, guild_id, channel_id, discord_user, text, metadata, status,
                                 thread_id, message_id, discord_thread_id, posted_text, posted_parts, attempts, lease_owner, lease_expires_at)
  values ('I1', 'A1', 'tok-1', 'ask', 'G1', 'D_THREAD', 'U9', 'Why?', '{"discord_in_thread": true}', 'pending',
          'thread_d1', 'M1', 'D_THREAD', 'part one', 1, 1, 'worker_old', now() + interval '1 hour'),
         ('I2', 'A1', 'tok-2', 'ask_message', null, 'DM1', 'U8', 'Hi?', '{"discord_in_thread": false}', 'pending',
          null, null, null, null, 0, 0, null, null);
`;

type TStore = { name: string; open(isBefore: boolean): Promise<TDb> };

async function emptyPostgresDatabase(): Promise<string> {
  const url = new URL(inject('postgresUrl'));
  const name = `chat_inbox_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
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

function pgliteStore(): TStore {
  const dataDir = makeTempDir('chat-inbox-migration-');
  return {
    name: 'pglite',
    open: (isBefore) => (isBefore ? createPgliteDb({ dataDir, migrations: before, schemas: schemasBefore }) : createPgliteDb({ dataDir })),
  };
}

function postgresStore(): TStore {
  let url: string | undefined;
  return {
    name: 'postgres',
    async open(isBefore) {
      url ??= await emptyPostgresDatabase();
      return isBefore ? createPostgresDb({ connectionString: url, migrations: before, schemas: schemasBefore, poolSize: 2 }) : createPostgresDb({ connectionString: url, poolSize: 2 });
    },
  };
}

let db: TDb | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe.each([{ make: pgliteStore }, { make: postgresStore }])('the chat inbox migration', ({ make }) => {
  it(`moves both doors' rows over, rows in flight included, and drops the old tables (${make().name})`, { timeout: 300_000 }, async () => {
    const store = make();
    db = await store.open(true);
    await execSql(db, SEED);
    expect((await querySql<{ n: number }>(db, 'select count(*)::int as n from slack_inbox')).rows[0]!.n).toBe(2);
    await db.close();

    db = await store.open(false);
    const old = await querySql<{ name: string | null }>(
      db,
      `select to_regclass('slack_inbox')::text as name union all select to_regclass('slack_conversation')::text
       union all select to_regclass('discord_interaction')::text union all select to_regclass('discord_conversation')::text`,
    );
    expect(old.rows.map((row) => row.name)).toEqual([null, null, null, null]);
    const counts = await querySql<{ door: string; status: string; n: number }>(db, 'select door, status, count(*)::int as n from chat_inbox group by 1, 2 order by 1, 2');
    expect(counts.rows).toEqual([
      { door: 'discord', status: 'pending', n: 2 },
      { door: 'slack', status: 'done', n: 1 },
      { door: 'slack', status: 'pending', n: 1 },
    ]);

    // The leases of the old release's worker hold: a new worker takes only what nobody holds.
    expect(await claimChatInboxBatch({ db, door: 'slack', worker: 'worker_new', limit: 10, leaseSeconds: 30 })).toEqual([]);
    const free = await claimChatInboxBatch({ db, door: 'discord', worker: 'worker_new', limit: 10, leaseSeconds: 30 });
    expect(free.map((row) => [row.delivery_id, row.queue_key, row.secret, row.conversation])).toEqual([['I2', null, 'tok-2', null]]);

    // Once the old worker's leases are released, its rows go on from the step they had reached.
    expect(await releaseChatInboxLeasesOfOtherWorkers({ db, door: 'slack', worker: 'worker_new' })).toBe(1);
    const [slack] = await claimChatInboxBatch({ db, door: 'slack', worker: 'worker_new', limit: 10, leaseSeconds: 30 });
    expect(slack).toMatchObject({
      delivery_id: 'T1:C1:100.3',
      conversation_key: 'T1:C1:100.1',
      queue_key: 'T1:C1:100.1',
      asker: 'U1',
      text: 'And dark mode?',
      reply_id: '100.4',
      posted_text: 'Searching',
      attempts: 2,
      thread_id: 'thread_s1',
      door_data: { event_id: 'Ev2', team_id: 'T1', channel_id: 'C1', channel_type: 'channel', thread_ts: '100.1', message_ts: '100.3' },
      conversation: { thread_id: 'thread_s1', asker: 'U1', door_data: { team_id: 'T1', channel_id: 'C1', thread_ts: '100.1', channel_type: 'channel' } },
    });
    expect(await releaseChatInboxLeasesOfOtherWorkers({ db, door: 'discord', worker: 'worker_new' })).toBe(1);
    const [discord] = await claimChatInboxBatch({ db, door: 'discord', worker: 'worker_other', limit: 10, leaseSeconds: 30 });
    expect(discord).toMatchObject({
      delivery_id: 'I1',
      kind: 'ask',
      conversation_key: 'D_THREAD',
      queue_key: 'D_THREAD',
      secret: 'tok-1',
      reply_id: 'M1',
      posted_text: 'part one',
      posted_parts: 1,
      attempts: 1,
      door_data: { application_id: 'A1', guild_id: 'G1', channel_id: 'D_THREAD', discord_thread_id: 'D_THREAD' },
      conversation: { thread_id: 'thread_d1', asker: 'U9', door_data: { guild_id: 'G1' } },
    });

    // The moved rows keep their deliveries' keys as the intake writes them: a delivery again is a duplicate.
    const again = { kind: 'question', queueKey: null, asker: 'U1', text: 'x', metadata: {}, doorData: {} };
    expect(await recordChatInbox({ db, delivery: { ...again, door: 'slack', deliveryId: 'T1:C1:100.1', conversationKey: 'T1:C1:100.1' } })).toEqual({ status: 'duplicate' });
    expect(await recordChatInbox({ db, delivery: { ...again, door: 'discord', deliveryId: 'I2', conversationKey: 'DM1' } })).toEqual({ status: 'duplicate' });
  });
});
