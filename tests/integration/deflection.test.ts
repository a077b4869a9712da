import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createThreadForCaller, sendMessageForCaller } from '@/lib/assistant/service';
import { openSharedConversation, revokeThreadSharesForCaller, shareThreadForCaller } from '@/lib/assistant/share';
import { addMaintainerReplyBySlackThread } from '@/lib/db/maintainers';
import { listMessagesByThread } from '@/lib/db/messages';
import { setMessageVoteById } from '@/lib/db/votes';
import { recordPageRead } from '@/lib/docs/site/page-reads';
import { isAppError } from '@/lib/errors';
import { deflectionCsv, getDeflectionForMaintainers, ZDeflectionQuery } from '@/lib/maintainers/deflection';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestApp, FIXTURE_DOCS_DIR } from '../helpers/app';
import { querySql } from '../helpers/stores';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// Deflection and sources on the real SQL (PGlite): questions answered, not covered, voted down and answered by a
// maintainer; the sources cited per kind and per page, the pages never cited, page reads against questions asked
// from a page; and share links: made by the owner only, opened by anyone, revoked, counted on the dashboard.

const OWNER = 'owner_defl_aaaaaaaaaaaa';
const OTHER = 'owner_defl_bbbbbbbbbbbb';
const MATCHING = 'How do I create a Slack bot token?';
const GAPS = ['xyzzy plugh frobnicate', 'quux wibble wobble'];

let app: TApp | undefined;
afterEach(async () => {
  await app?.db.close();
  app = undefined;
});

async function ask(current: TApp, text: string, page?: string) {
  const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: current, owner: OWNER });
  const { run } = await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: current, owner: OWNER, threadId: thread.id, text, page });
  expect(run.status).toBe('completed');
  const messages = (await listMessagesByThread({ db: current.db, owner: OWNER, threadId: thread.id, limit: 10, order: 'asc' })).data;
  return { threadId: thread.id, answer: messages.find((message) => message.role === 'assistant')! };
}

const query = (days = 7) => ZDeflectionQuery.parse({ days });

describe('deflection and sources', () => {
  it('rates the questions, counts the cited sources per kind and page, lists pages never cited, and divides questions by page reads', async () => {
    app = await createTestApp();
    const current = app;
    const empty = await getDeflectionForMaintainers({ db: current.db, query: query() });
    expect(empty.questions).toBe(0);
    expect(empty.rates.answered).toEqual({ count: 0, rate: null });
    expect(empty.neverCited.count).toBe(empty.indexedPages);

    const first = await ask(current, MATCHING, '/docs/guides/slack');
    const second = await ask(current, MATCHING);
    for (const gap of GAPS) await ask(current, gap);
    await setMessageVoteById({ db: current.db, owner: OWNER, threadId: second.threadId, messageId: second.answer.id, vote: 'down' });
    // A maintainer replies in Slack to the first gap's conversation.
    const gapThread = (await querySql<{ id: string }>(current.db, `select thread_id as id from assistant_message where role = 'user' and content::text like '%xyzzy%'`)).rows[0]!.id;
    await querySql(current.db, `update assistant_thread set slack_thread_ts = '111.222' where id = $1`, [gapThread]);
    const reply = await addMaintainerReplyBySlackThread({ db: current.db, eventId: 'Ev1', threadTs: '111.222', slackTs: '111.333', text: 'Use the frobnicator.', author: { name: 'Ann', slackUser: 'U1' } });
    expect(reply.status).toBe('added');

    expect(await recordPageRead({ deps: current, path: '/docs/guides/slack', clientIp: '192.0.2.1' })).toEqual({ recorded: true });
    expect(await recordPageRead({ deps: current, path: '/docs/guides/slack/', clientIp: '192.0.2.2' })).toEqual({ recorded: true });
    expect(await recordPageRead({ deps: current, path: '/docs/guides/buttons', clientIp: '192.0.2.1' })).toEqual({ recorded: true });
    expect(await recordPageRead({ deps: current, path: '/docs/not-a-page', clientIp: '192.0.2.1' })).toEqual({ recorded: false });
    const stored = await querySql<{ path: string; reads: string }>(current.db, 'select path, reads::text from docs_page_read order by path');
    // A count per page and day, and nothing else.
    expect(stored.rows).toEqual([
      { path: '/docs/guides/buttons', reads: '1' },
      { path: '/docs/guides/slack', reads: '2' },
    ]);

    const view = await getDeflectionForMaintainers({ db: current.db, query: query() });
    expect(view.questions).toBe(4);
    expect(view.rates.answered).toEqual({ count: 2, rate: 0.5 });
    expect(view.rates.notCovered).toEqual({ count: 2, rate: 0.5 });
    expect(view.rates.downVoted).toEqual({ count: 1, rate: 0.25 });
    expect(view.rates.byMaintainer).toEqual({ count: 1, rate: 0.25 });
    expect(view.rates.deflected).toEqual({ count: 1, rate: 0.25 });
    expect(view.rates.withoutAnswer.count).toBe(0);

    // The answered questions cite the Slack guide; every cited source is an indexed docs page here.
    const citedUrls = new Set(first.answer.content[0]!.text.annotations.map((annotation) => annotation.url.split('#')[0]));
    expect(citedUrls.size).toBeGreaterThan(0);
    expect(view.sources.map((source) => source.url).sort()).toEqual([...new Set([...citedUrls])].sort());
    const slack = view.sources.find((source) => source.url === '/docs/guides/slack');
    expect(slack).toMatchObject({ kind: 'docs', citations: 2, reads: 2, isIndexed: true });
    expect(view.kinds.map((kind) => kind.kind).sort()).toEqual(['answer', 'api', 'code', 'docs', 'page', 'thread']);
    expect(view.kinds[0]).toMatchObject({ kind: 'docs', sources: citedUrls.size });
    expect(view.kinds.filter((kind) => kind.kind !== 'docs').every((kind) => kind.citations === 0)).toBe(true);

    // Pages never cited: every indexed page but the cited ones, the most read first.
    expect(view.neverCited.count).toBe(view.indexedPages - citedUrls.size);
    expect(view.neverCited.pages.map((page) => page.url)).not.toContain('/docs/guides/slack');
    if (!citedUrls.has('/docs/guides/buttons')) expect(view.neverCited.pages[0]).toMatchObject({ url: '/docs/guides/buttons', reads: 1, kind: 'docs' });
    expect(Object.values(view.neverCited.byKind).reduce((a, b) => a + b, 0)).toBe(view.neverCited.count);

    // 4 questions over 3 reads; the Slack guide: 1 question asked from it, 2 reads.
    expect(view.reads.total).toBe(3);
    expect(view.reads.questionsPerRead).toBeCloseTo(4 / 3);
    expect(view.reads.pages[0]).toMatchObject({ url: '/docs/guides/slack', questions: 1, reads: 2, questionsPerRead: 0.5 });

    // A period before any of it counts nothing.
    const before = await getDeflectionForMaintainers({ db: current.db, query: ZDeflectionQuery.parse({ from: '2020-01-01', to: '2020-01-31' }) });
    expect(before.questions).toBe(0);
    expect(before.reads.total).toBe(0);

    const csv = deflectionCsv(view);
    expect(csv.split('\r\n')[0]).toBe('section,name,title,kind,count,rate,reads,questions');
    expect(csv).toContain('\r\nrate,answered,,,2,0.5,,4\r\n');
    expect(csv).toContain('\r\nsource,/docs/guides/slack,');
  });

  it('lists no error page as a page never cited: a docs folder\'s 404 page is not docs', async () => {
    // The fixture docs with a not-found page as the Paste docs have one (404/index.mdx), and one as a file.
    const docsDir = makeTempDir('pa-deflection-docs-');
    cpSync(FIXTURE_DOCS_DIR, docsDir, { recursive: true });
    mkdirSync(path.join(docsDir, '404'));
    writeFileSync(path.join(docsDir, '404', 'index.mdx'), '---\ntitle: "404"\ndescription: Error page\n---\n\nThis page could not be found.\n');
    writeFileSync(path.join(docsDir, '500.md'), '---\ntitle: Server error\n---\n\nSomething went wrong.\n');
    app = await createTestApp({ env: { DOCS_DIR: docsDir } });
    const indexed = (await querySql<{ slug: string }>(app.db, 'select slug from docs_page')).rows.map((row) => row.slug);
    expect(indexed).toEqual(expect.arrayContaining(['404', '500']));

    const view = await getDeflectionForMaintainers({ db: app.db, query: ZDeflectionQuery.parse({ days: 7, limit: 1000 }) });
    const listed = view.neverCited.pages.map((page) => page.url);
    expect(listed).not.toContain('/docs/404');
    expect(listed).not.toContain('/docs/500');
    // Every other page is there, and the count agrees with the list.
    expect(listed).toContain('/docs/guides/slack');
    expect(view.neverCited.count).toBe(indexed.length - 2);
    expect(listed).toHaveLength(view.neverCited.count);
  });

  it('shares a conversation as a snapshot for anyone, refuses another reader, and revokes it', async () => {
    app = await createTestApp();
    const current = app;
    const email = 'reader.name@example.com';
    const asked = await ask(current, `${MATCHING} My address is ${email}`);
    const shared = await shareThreadForCaller({ deps: current, owner: OWNER, threadId: asked.threadId });
    const id = new URL(shared.url).pathname.split('/').at(-1)!;
    expect(new URL(shared.url).pathname).toBe(`/shared/${id}`);
    expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);

    // Another reader can neither share nor revoke it: the same 404 as reading it.
    for (const attempt of [
      () => shareThreadForCaller({ deps: current, owner: OTHER, threadId: asked.threadId }),
      () => revokeThreadSharesForCaller({ deps: current, owner: OTHER, threadId: asked.threadId }),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(isAppError(error) && error.code).toBe('not_found');
    }

    // Anyone with the link reads the snapshot: the question (masked), the answer with its sources, no identity.
    const opened = await openSharedConversation({ access: PUBLIC_ACCESS, deps: current, id });
    expect(opened.status).toBe('active');
    if (opened.status !== 'active') return;
    const { conversation } = opened;
    expect(conversation.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(conversation.messages[1]!.content[0]!.text.annotations.length).toBeGreaterThan(0);
    const text = JSON.stringify(conversation);
    expect(text).not.toContain(email);
    expect(text).not.toContain(OWNER);
    expect(text).not.toContain(asked.threadId);
    expect(text).not.toContain(asked.answer.id);

    // Later messages are not in it: a snapshot.
    await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: current, owner: OWNER, threadId: asked.threadId, text: 'And the buttons?' });
    const again = await openSharedConversation({ access: PUBLIC_ACCESS, deps: current, id });
    expect(again.status === 'active' && again.conversation.messages.length).toBe(2);

    expect(await openSharedConversation({ access: PUBLIC_ACCESS, deps: current, id: 'A'.repeat(32) })).toEqual({ status: 'not_found' });
    expect(await openSharedConversation({ access: PUBLIC_ACCESS, deps: current, id: '../etc' })).toEqual({ status: 'not_found' });

    const before = await getDeflectionForMaintainers({ db: current.db, query: query() });
    expect(before.shares).toEqual({ conversations: 1, links: 1, revoked: 0 });
    expect(await revokeThreadSharesForCaller({ deps: current, owner: OWNER, threadId: asked.threadId })).toEqual({ revoked: 1 });
    expect(await openSharedConversation({ access: PUBLIC_ACCESS, deps: current, id })).toEqual({ status: 'revoked' });
    const after = await getDeflectionForMaintainers({ db: current.db, query: query() });
    expect(after.shares).toEqual({ conversations: 1, links: 1, revoked: 1 });
  });
});
