import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSharedConversation, revokeThreadSharesForCaller, SHARE_LINKS_PER_HOUR, shareThreadForCaller } from '@/lib/assistant/share';
import { isAppError } from '@/lib/errors';
import { createMessageByThread } from '@/lib/db/messages';
import { createThreadWithMessages } from '@/lib/db/threads';
import type { TDb } from '@/lib/db/types';
import { createStoreDb, execSql, querySql, STORES } from '../helpers/stores';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// One live share link per conversation (issue 54, item 1.4), on both stores: sharing again keeps the link and brings
// its snapshot up to date (one row, however often, even at once); revoking drops the snapshot, and the link answers
// 410; a later share is a new link, up to SHARE_LINKS_PER_HOUR new links an hour per conversation (issue 67, item
// 1.7), then 429 until the oldest is an hour old. The database holds it (a partial unique index, the count under the
// thread's lock), not only the code.

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
    const opened = await openSharedConversation({ access: PUBLIC_ACCESS, deps: deps(), id: first.url.split('/').at(-1) });
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
    expect(await openSharedConversation({ access: PUBLIC_ACCESS, deps: deps(), id })).toEqual({ status: 'revoked' });
    const second = await shareThreadForCaller({ deps: deps(), owner: OWNER, threadId: thread.id });
    expect(second.isNew).toBe(true);
    expect(second.url).not.toBe(first.url);
    expect(await openSharedConversation({ access: PUBLIC_ACCESS, deps: deps(), id })).toEqual({ status: 'revoked' });
    expect((await rowsOf(thread.id)).map((row) => [row.has_snapshot, row.is_revoked])).toEqual([
      [false, true],
      [true, false],
    ]);
  });

  it(`makes at most ${SHARE_LINKS_PER_HOUR} new links an hour per conversation, revoked ones counted; sharing the live one again is never refused`, async () => {
    const thread = await conversation();
    const urls: string[] = [];
    for (let index = 0; index < SHARE_LINKS_PER_HOUR; index += 1) {
      urls.push((await shareThreadForCaller({ deps: deps(), owner: OWNER, threadId: thread.id })).url);
      // The live link, shared again: the same link, whatever the count.
      expect((await shareThreadForCaller({ deps: deps(), owner: OWNER, threadId: thread.id })).url).toBe(urls.at(-1));
      await revokeThreadSharesForCaller({ deps: deps(), owner: OWNER, threadId: thread.id });
    }
    expect(new Set(urls).size).toBe(SHARE_LINKS_PER_HOUR);
    const refused = await shareThreadForCaller({ deps: deps(), owner: OWNER, threadId: thread.id }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isAppError(refused) && [refused.code, refused.status, refused.message]).toEqual([
      'rate_limited',
      429,
      `This conversation has had ${SHARE_LINKS_PER_HOUR} new share links in the last hour. Try again in 60 minutes.`,
    ]);
    const retryAfter = Number(isAppError(refused) ? refused.headers?.['Retry-After'] : NaN);
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(await rowsOf(thread.id)).toHaveLength(SHARE_LINKS_PER_HOUR);
    // Another conversation of the same reader is not held back by this one's count.
    const other = await conversation();
    expect((await shareThreadForCaller({ deps: deps(), owner: OWNER, threadId: other.id })).isNew).toBe(true);
    // Once the oldest link is an hour old, one more may be made.
    await execSql(db, `update thread_share set created_at = created_at - interval '61 minutes' where id = '${urls[0]!.split('/').at(-1)}'`);
    const renewed = await shareThreadForCaller({ deps: deps(), owner: OWNER, threadId: thread.id });
    expect(renewed.isNew).toBe(true);
    expect(urls).not.toContain(renewed.url);
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
