import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createThreadForCaller, deleteThreadForCaller, sendMessageForCaller } from '@/lib/assistant/service';
import { countDocsChanges } from '@/lib/db/docs-changes';
import { listMessagesByThread } from '@/lib/db/messages';
import { getSlackOutboxStats } from '@/lib/db/slack-outbox';
import { getThreadById } from '@/lib/db/threads';
import { serveAnswerMarkdown } from '@/lib/docs/agents/answers';
import { searchDocs } from '@/lib/docs/search/search';
import { loadAnswerPage } from '@/lib/docs/site/answers';
import type { TMaintainerAnswer, TMaintainerAnswersView } from '@/lib/shared/maintainer-answers';
import { createTestApp } from '../helpers/app';
import { waitUntil } from '../helpers/models';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { createFakeSlack, SLACK_CHANNEL, SLACK_ENV } from '../helpers/slack';
import { BOT_USER as BOT, envelope, nextTs, postSlackEvent } from '../helpers/slack-events';
import { execSql, querySql, type TStoreKind } from '../helpers/stores';
import { SLACK_INBOX } from '../helpers/chat-inbox';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// The maintainers' answers end to end, on a real database, over real HTTP, with Slack faked at the network edge:
// a maintainer's reply in Slack becomes a proposed answer (masked, without anyone's identity); approved on the
// dashboard's route, it answers another reader's question put in other words, cited as "Answered by the
// maintainers (date)", and has its page and .md twin; retracted or rejected, search never shows it.

const SIGNING_SECRET = 'slack-signing-secret-for-answers-0123';
const TOKEN = 'maintainer-token-for-answers-0123456789';
const OWNER = 'owner_answers_aaaaaaaaaa';
const MAINTAINER = 'U0MAINTANA';
const READER_IN_SLACK = 'U0READERJO';
const BEARER = { authorization: `Bearer ${TOKEN}` };

const QUESTION = 'The CSV export hangs in Safari whenever I change tabs. Is this a known bug? Reach me at jo.reader@example.com';
const REPLY =
  `<@${READER_IN_SLACK}> yes, known: Safari throttles the export worker in background tabs, so the download stalls. ` +
  'Keep the tab visible until the file is saved, or update to Safari 17.2, which fixes it. Questions: ana.maintainer@example.com';
/** The same problem, in other words: no "CSV", "export", "hangs" or "bug". */
const OTHER_WORDS = 'Why does my spreadsheet download stall on Safari when I switch to another tab?';

const msw = setupServer();
const apps: TApp[] = [];
let server: TTestServer | undefined;

beforeAll(() =>
  msw.listen({
    onUnhandledRequest: (request, print) => {
      if (new URL(request.url).hostname !== '127.0.0.1') print.error();
    },
  }),
);
afterEach(async () => {
  msw.resetHandlers();
  await server?.close();
  server = undefined;
  for (const app of apps.splice(0)) await app.db.close();
});
afterAll(() => msw.close());

async function setup({ store = 'pglite', env = {} }: { store?: TStoreKind; env?: Record<string, string> } = {}) {
  const slack = createFakeSlack({ users: { [MAINTAINER]: { displayName: 'Ana Maintainer' } } });
  msw.use(slack.handler);
  const app = await createTestApp({
    store,
    env: { ...SLACK_ENV, SLACK_SIGNING_SECRET: SIGNING_SECRET, MAINTAINER_TOKEN: TOKEN, ...env },
    overrides: { reviewChannelOptions: { isAutoDelivering: false }, chatDoorsOptions: { pollMs: 50, updateIntervalMs: 50 } },
  });
  apps.push(app);
  return app;
}

async function serve(app: TApp) {
  server = await startTestServer(app);
  return createClient(server.url);
}

/** A reader's conversation on the site whose Slack parent was posted (its ts kept on the thread). */
async function conversationInSlack(app: TApp, question: string) {
  const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app, owner: OWNER });
  await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: app, owner: OWNER, threadId: thread.id, text: question });
  await waitUntil(async () => {
    await app.reviewChannel.deliverOutboxOnce();
    return (await getSlackOutboxStats({ db: app.db })).pending === 0;
  }, 10_000);
  const parentTs = (await getThreadById({ db: app.db, owner: OWNER, threadId: thread.id })).slack_thread_ts as string;
  expect(parentTs).toMatch(/^\d+\.\d+$/);
  return { threadId: thread.id, parentTs };
}

const reviewReply = (parentTs: string, text: string) =>
  envelope({ type: 'message', channel: SLACK_CHANNEL, channel_type: 'channel', user: MAINTAINER, text, ts: nextTs(), thread_ts: parentTs });

async function replyInReview(app: TApp, parentTs: string, text: string) {
  const response = await postSlackEvent(server!.url, reviewReply(parentTs, text), { secret: SIGNING_SECRET });
  expect(response.status).toBe(200);
}

async function answersView(client: ReturnType<typeof createClient>): Promise<TMaintainerAnswersView> {
  const response = await client.get('/api/maintainers/answers', BEARER);
  expect(response.status).toBe(200);
  return response.body as TMaintainerAnswersView;
}

const decide = (client: ReturnType<typeof createClient>, json: unknown) => client.request('POST', '/api/maintainers/answers', { json, headers: BEARER });

const answerHits = async (app: TApp, prompt: string) => (await searchDocs({ access: PUBLIC_ACCESS, deps: app, prompt, source: 'site' })).filter((hit) => hit.kind === 'answer');

describe('a maintainer’s reply in the review channel', () => {
  it('is proposed masked and nameless; approved, it answers another reader’s question in other words, cited with its date; retracted, it is gone at once', async () => {
    const app = await setup();
    const client = await serve(app);
    const { threadId, parentTs } = await conversationInSlack(app, QUESTION);
    await replyInReview(app, parentTs, REPLY);

    // The reader got the reply, as before.
    const messages = (await listMessagesByThread({ db: app.db, owner: OWNER, threadId, limit: 10, order: 'asc' })).data;
    expect(messages.filter((message) => message.metadata.author === 'maintainer')).toHaveLength(1);

    expect((await client.get('/api/maintainers/answers')).status).toBe(401);
    const proposed = (await answersView(client)).proposed;
    expect(proposed).toHaveLength(1);
    const [item] = proposed as [TMaintainerAnswer];
    expect(item).toMatchObject({ status: 'proposed', decidedAt: null });
    expect(item.question).toContain('The CSV export hangs in Safari');
    expect(item.answer.startsWith('yes, known: Safari throttles the export worker')).toBe(true);
    // Nobody's identity: no emails, no Slack user ids or names, no mention, no thread id.
    const shown = JSON.stringify(item);
    for (const secret of ['jo.reader@example.com', 'ana.maintainer@example.com', READER_IN_SLACK, MAINTAINER, 'Ana Maintainer', '@someone', threadId, OWNER]) {
      expect(shown).not.toContain(secret);
    }
    expect(item.answer).toContain('[email removed]');
    expect(Object.keys(item).sort()).toEqual(['answer', 'createdAt', 'decidedAt', 'id', 'origin', 'question', 'status']);
    expect(item.origin).toBe('slack');

    // Proposed is not a source yet: the other reader's question finds nothing of it.
    expect(await answerHits(app, OTHER_WORDS)).toEqual([]);
    const approved = await decide(client, { id: item.id, status: 'approved' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: item.id, status: 'approved', url: `/docs/answers/${item.id}` });
    const today = new Date().toISOString().slice(0, 10);

    // At once: the very next search, in other words, leads with it.
    const [best] = await searchDocs({ access: PUBLIC_ACCESS, deps: app, prompt: OTHER_WORDS, source: 'site' });
    expect(best).toMatchObject({ kind: 'answer', url: `/docs/answers/${item.id}`, answeredAt: today });
    // Another reader asks in other words; the assistant (offline model) leads with the maintainers' answer.
    const other = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: app, owner: 'owner_answers_bbbbbbbbbb' });
    await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: app, owner: 'owner_answers_bbbbbbbbbb', threadId: other.id, text: OTHER_WORDS });
    const answer = (await listMessagesByThread({ db: app.db, owner: 'owner_answers_bbbbbbbbbb', threadId: other.id, limit: 10, order: 'asc' })).data.find(
      (message) => message.role === 'assistant',
    )!;
    const text = answer.content[0]!.text;
    expect(text.value.startsWith(`Answered by the maintainers (${today}): they answered this question before.`)).toBe(true);
    expect(text.value).toContain('Keep the tab visible until the file is saved');
    expect(text.annotations[0]).toMatchObject({ url: `/docs/answers/${item.id}`, source: { kind: 'answer', answeredAt: today } });

    // Its page and its twin.
    const page = await loadAnswerPage({ db: app.db, docsDir: app.config.docsDir, id: item.id, access: PUBLIC_ACCESS, audienceRules: app.config.docsSources.audiences });
    expect(page).toMatchObject({ href: `/docs/answers/${item.id}`, byline: `Answered by the maintainers (${today})` });
    const twin = await serveAnswerMarkdown({ db: app.db, config: app.config, id: item.id, access: PUBLIC_ACCESS });
    expect(twin.text.startsWith('# The CSV export hangs in Safari')).toBe(true);
    expect(twin.text).toContain(`> Answered by the maintainers (${today})`);
    expect(twin.text).toContain('## Answer');
    expect(twin.text).not.toContain('jo.reader@example.com');

    // Retracted (back to proposed): out of search, its page and twin 404, at once.
    expect((await decide(client, { id: item.id, status: null })).body).toMatchObject({ status: 'proposed', decidedAt: null });
    expect(await answerHits(app, OTHER_WORDS)).toEqual([]);
    expect(await loadAnswerPage({ db: app.db, docsDir: app.config.docsDir, id: item.id, access: PUBLIC_ACCESS, audienceRules: app.config.docsSources.audiences })).toBeNull();
    await expect(serveAnswerMarkdown({ db: app.db, config: app.config, id: item.id, access: PUBLIC_ACCESS })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('never shows a rejected one; an edit is masked and published as edited; the route keeps the error contract', async () => {
    const app = await setup();
    const client = await serve(app);
    const { parentTs } = await conversationInSlack(app, QUESTION);
    await replyInReview(app, parentTs, REPLY);
    const [item] = (await answersView(client)).proposed as [TMaintainerAnswer];

    expect((await decide(client, { id: item.id, status: 'rejected' })).body).toMatchObject({ status: 'rejected' });
    expect((await answersView(client)).rejected.map((answer) => answer.id)).toEqual([item.id]);
    for (const prompt of [OTHER_WORDS, QUESTION, 'Safari throttles the export worker in background tabs']) expect(await answerHits(app, prompt)).toEqual([]);
    expect(await loadAnswerPage({ db: app.db, docsDir: app.config.docsDir, id: item.id, access: PUBLIC_ACCESS, audienceRules: app.config.docsSources.audiences })).toBeNull();
    // Its reindexing (the kind's sync) does not bring it back either.
    const source = app.docsSources.sources.find((candidate) => candidate.kind === 'answer')!;
    await source.load(app);
    expect(await answerHits(app, OTHER_WORDS)).toEqual([]);

    // Edited, then approved: published as edited, masked.
    const edited = await decide(client, {
      id: item.id,
      status: 'approved',
      question: 'Why does the CSV export stall in Safari background tabs?',
      answer: 'Safari throttles background tabs. Keep the tab visible, or update to Safari 17.2. Mail help@example.com.',
    });
    expect(edited.status).toBe(200);
    expect(edited.body.answer).toBe('Safari throttles background tabs. Keep the tab visible, or update to Safari 17.2. Mail [email removed].');
    const [hit] = await answerHits(app, OTHER_WORDS);
    expect(hit).toMatchObject({ title: 'Why does the CSV export stall in Safari background tabs?', content: edited.body.answer });

    const bad = await decide(client, { id: item.id, status: 'published' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
    expect((await decide(client, { id: item.id, status: 'approved', answer: '   ' })).status).toBe(400);
    expect((await decide(client, { id: item.id, status: 'approved', extra: 1 })).status).toBe(400);
    const unknown = await decide(client, { id: 987_654, status: 'approved' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect((await client.request('POST', '/api/maintainers/answers', { json: { id: item.id, status: null } })).status).toBe(401);
    expect((await client.request('DELETE', '/api/maintainers/answers', { headers: BEARER })).status).toBe(405);
  });
});

describe('when the conversation leaves (its reader deletes it, or retention does)', () => {
  it('a proposed answer leaves with it; an approved one stays, as published', async () => {
    const app = await setup();
    const client = await serve(app);
    const kept = await conversationInSlack(app, QUESTION);
    await replyInReview(app, kept.parentTs, REPLY);
    const gone = await conversationInSlack(app, 'Is the CSV export slow in Firefox too?');
    await replyInReview(app, gone.parentTs, 'No, Firefox does not throttle it.');
    const view = await answersView(client);
    const approvedId = view.proposed.find((answer) => answer.question.startsWith('The CSV export hangs'))!.id;
    expect((await decide(client, { id: approvedId, status: 'approved' })).status).toBe(200);

    await deleteThreadForCaller({ deps: app, owner: OWNER, threadId: kept.threadId });
    await deleteThreadForCaller({ deps: app, owner: OWNER, threadId: gone.threadId });
    const after = await answersView(client);
    expect(after.proposed).toEqual([]);
    expect(after.approved.map((answer) => answer.id)).toEqual([approvedId]);
    expect((await answerHits(app, OTHER_WORDS)).map((hit) => hit.url)).toEqual([`/docs/answers/${approvedId}`]);
  });
});

describe('a maintainer’s reply in a Slack thread the app answered', () => {
  it('is proposed too, with the asker’s question, and without the people it names', async () => {
    const app = await setup({ env: { SLACK_MAINTAINER_IDS: MAINTAINER } });
    const client = await serve(app);
    const channel = 'C0HELPANSWERS';
    const question = envelope({ type: 'app_mention', channel, user: READER_IN_SLACK, text: `<@${BOT}> ${QUESTION}`, ts: nextTs() });
    const threadTs = question.event.ts as string;
    expect((await postSlackEvent(server!.url, question, { secret: SIGNING_SECRET })).status).toBe(200);
    await waitUntil(async () => (await app.chatDoors.worker('slack').drainOnce()) >= 0 && (await querySql<{ n: number }>(app.db, `select count(*)::int as n from ${SLACK_INBOX} slack_inbox where status = 'pending'`)).rows[0]!.n === 0, 20_000);
    const reply = envelope({ type: 'message', channel, channel_type: 'channel', user: MAINTAINER, text: REPLY, ts: nextTs(), thread_ts: threadTs });
    expect((await postSlackEvent(server!.url, reply, { secret: SIGNING_SECRET })).status).toBe(200);
    await waitUntil(async () => (await answersView(client)).proposed.length === 1, 20_000);
    const [item] = (await answersView(client)).proposed as [TMaintainerAnswer];
    expect(item.question).toContain('The CSV export hangs in Safari');
    expect(item.answer.startsWith('yes, known: Safari throttles')).toBe(true);
    for (const secret of ['jo.reader@example.com', 'ana.maintainer@example.com', READER_IN_SLACK, MAINTAINER, 'Ana Maintainer', '@someone', `<@${BOT}>`]) {
      expect(JSON.stringify(item)).not.toContain(secret);
    }
  });
});

describe('on Postgres', () => {
  it('keeps the reply when proposing fails, and an approval reaches another instance’s next search', async () => {
    const first = await setup({ store: 'postgres' });
    await serve(first);
    // A second instance on the same database, already searching (its ranking index built, its listener up).
    // (Configured as the first: an instance without Slack would tell the database to queue nothing for Slack.)
    const second = await setup({ env: { DATABASE_URL: (first.config.store as { url: string }).url } });
    await (second.db as unknown as { whenListening(): Promise<void> }).whenListening();
    expect(await answerHits(second, OTHER_WORDS)).toEqual([]);
    await (second.db as unknown as { whenListening(): Promise<void> }).whenListening();

    // Proposing fails (the table refuses every new row): the reply is stored all the same.
    await execSql(first.db, 'alter table maintainer_answer add constraint refuse_all check (false) not valid');
    const failing = await conversationInSlack(first, QUESTION);
    await replyInReview(first, failing.parentTs, REPLY);
    const kept = (await listMessagesByThread({ db: first.db, owner: OWNER, threadId: failing.threadId, limit: 10, order: 'asc' })).data;
    expect(kept.filter((message) => message.metadata.author === 'maintainer')).toHaveLength(1);
    expect((await querySql<{ n: number }>(first.db, 'select count(*)::int as n from maintainer_answer')).rows[0]!.n).toBe(0);
    await execSql(first.db, 'alter table maintainer_answer drop constraint refuse_all');

    const { parentTs } = await conversationInSlack(first, QUESTION);
    await replyInReview(first, parentTs, REPLY);
    const client = createClient(server!.url);
    const [item] = (await answersView(client)).proposed as [TMaintainerAnswer];
    const before = countDocsChanges(second.db);
    expect((await decide(client, { id: item.id, status: 'approved' })).status).toBe(200);
    // The other instance hears of the change (not a second later, at its next version read): its next search has it.
    await waitUntil(async () => countDocsChanges(second.db) > before, 5_000);
    expect((await answerHits(second, OTHER_WORDS)).map((hit) => hit.url)).toEqual([`/docs/answers/${item.id}`]);
    expect((await decide(client, { id: item.id, status: 'rejected' })).status).toBe(200);
    await waitUntil(async () => countDocsChanges(second.db) > before + 1, 5_000);
    expect(await answerHits(second, OTHER_WORDS)).toEqual([]);
  });
});
