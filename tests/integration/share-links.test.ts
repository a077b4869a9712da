import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSharedConversation, revokeThreadSharesForCaller, shareThreadForCaller } from '@/lib/assistant/share';
import { createMessageByThread } from '@/lib/db/messages';
import { createThreadWithMessages } from '@/lib/db/threads';
import type { TDb } from '@/lib/db/types';
import { createStoreDb, execSql, querySql, STORES } from '../helpers/stores';

// One live share link per conversation (issue 54, item 1.4), on both stores: sharing again keeps the link and brings
// its snapshot up to date (one row, however often, even at once); revoking drops the snapshot, and the link answers
// 410; a later share is a new link. The database holds it (a partial unique index), not only the code.

const OWNER = 'owner_share_aaaaaaaaaaaa';
const SITE = 'https://docs.example.test';
const text = (value: string) => [{ type: 'text' as const, text: { value, annotations: [] } }];

describe.each(STORES)('share links on %s', (store) => {
  let db: TDb;
  beforeAll(async () => {
    db = await createStoreDb(store);
  });
  afterAll(() => db?.close());

  const deps = () => ({ db, config: { siteUrl: SITE } });
  const rowsOf = async (threadId: string) =>
    (await querySql<{ id: string; has_snapshot: boolean; is_revoked: boolean }>(
      db,
      'select id, snapshot is not null as has_snapshot, revoked_at is not null as is_revoked from thread_share where thread_id = $1 order by created_at, id',
      [threadId],
    )).rows;

  async function conversation() {
    return createThreadWithMessages({
      db,
      owner: OWNER,
      metadata: { threadTitle: 'Sharing' },
      messages: [
        { role: 'user', content: text('How do I share?') },
        { role: 'assistant', content: text('With the Share button.') },
      ],
    });
  }

  it('keeps one link per conversation: sharing again returns it with the conversation as it is now', async () => {
    const thread = await conversation();
    const first = await shareThreadForCaller({ deps: deps(), owner: OWNER, threadId: thread.id });
    expect(first.isNew).toBe(true);
    await createMessageByThread({ db, owner: OWNER, threadId: thread.id, message: { role: 'user', content: text('And later?') } });
    const shares = [];
    for (let index = 0; index < 20; index += 1) shares.push(await shareThreadForCaller({ deps: deps(), owner: OWNER, threadId: thread.id }));
    expect(new Set(shares.map((shared) => shared.url))).toEqual(new Set([first.url]));
    expect(shares.every((shared) => !shared.isNew && shared.createdAt === first.createdAt)).toBe(true);
    expect(await rowsOf(thread.id)).toHaveLength(1);
    const opened = await openSharedConversation({ deps: deps(), id: first.url.split('/').at(-1) });
    expect(opened.status === 'active' && opened.conversation.messages.map((message) => message.content[0]!.text.value)).toEqual([
      'How do I share?',
      'With the Share button.',
      'And later?',
    ]);
  });

  it('makes one link of shares sent at once', async () => {
    const thread = await conversation();
    const shares = await Promise.all(Array.from({ length: 8 }, () => shareThreadForCaller({ deps: deps(), owner: OWNER, threadId: thread.id })));
    expect(new Set(shares.map((shared) => shared.url)).size).toBe(1);
    expect(shares.filter((shared) => shared.isNew)).toHaveLength(1);
    expect(await rowsOf(thread.id)).toHaveLength(1);
  });

  it('drops the snapshot on revoking; the link answers revoked, and sharing again makes a new one', async () => {
    const thread = await conversation();
    const first = await shareThreadForCaller({ deps: deps(), owner: OWNER, threadId: thread.id });
    const id = first.url.split('/').at(-1);
    expect(await revokeThreadSharesForCaller({ deps: deps(), owner: OWNER, threadId: thread.id })).toEqual({ revoked: 1 });
    expect(await rowsOf(thread.id)).toEqual([{ id, has_snapshot: false, is_revoked: true }]);
    expect(await openSharedConversation({ deps: deps(), id })).toEqual({ status: 'revoked' });
    const second = await shareThreadForCaller({ deps: deps(), owner: OWNER, threadId: thread.id });
    expect(second.isNew).toBe(true);
    expect(second.url).not.toBe(first.url);
    expect(await openSharedConversation({ deps: deps(), id })).toEqual({ status: 'revoked' });
    expect((await rowsOf(thread.id)).map((row) => [row.has_snapshot, row.is_revoked])).toEqual([
      [false, true],
      [true, false],
    ]);
  });

  it('refuses a second live link or a revoked link that keeps its snapshot, whatever writes the table', async () => {
    const thread = await conversation();
    await shareThreadForCaller({ deps: deps(), owner: OWNER, threadId: thread.id });
    await expect(execSql(db, `insert into thread_share (id, thread_id, snapshot) values ('${'B'.repeat(32)}', '${thread.id}', '{}')`)).rejects.toThrow(
      /thread_share_live_thread_idx|duplicate key/,
    );
    await expect(execSql(db, `update thread_share set revoked_at = now() where thread_id = '${thread.id}'`)).rejects.toThrow(/thread_share_snapshot_check|check constraint/);
  });
});
