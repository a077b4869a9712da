import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp, TAppOverrides } from '@/lib/app';
import { getMaintainerDashboard } from '@/lib/db/maintainers';
import { listMessagesByThread } from '@/lib/db/messages';
import { SEARCHING_TEXT } from '@/lib/chat-doors/doors/slack/style';
import { createTestApp } from '../helpers/app';
import { buildScriptedModel, toolCall, waitUntil } from '../helpers/models';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { createFakeSlack, SITE_URL, SLACK_CHANNEL, SLACK_ENV, SLACK_FAILURES, type TFakeSlack } from '../helpers/slack';
import { BOT_USER as BOT, envelope, nextTs, postSlackEvent, TEAM_ID as TEAM } from '../helpers/slack-events';
import { querySql } from '../helpers/stores';
import { SLACK_INBOX } from '../helpers/chat-inbox';

// Answers in Slack: mentions and direct messages answered in their Slack thread by the run engine, over real
// HTTP (POST /api/slack/events, signed), a real database, and Slack's Web API faked at the network edge (msw).

const SIGNING_SECRET = 'slack-signing-secret-for-answers-0123';
const ASKER = 'U0ASKER';
const OTHER = 'U0OTHER';
const MAINTAINER = 'U0MAINT';
const CHANNEL = 'C0HELP';

const msw = setupServer();
let slack: TFakeSlack;
let app: TApp | undefined;
let server: TTestServer | undefined;
let client: ReturnType<typeof createClient>;

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
  await app?.db.close();
  app = undefined;
});
afterAll(() => msw.close());

async function setup(env: Record<string, string> = {}, overrides: TAppOverrides = {}) {
  slack = createFakeSlack({ users: { [MAINTAINER]: { displayName: 'Ana (docs team)' } } });
  msw.use(slack.handler);
  app = await createTestApp({
    env: { ...SLACK_ENV, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_MAINTAINER_IDS: MAINTAINER, ...env },
    overrides: {
      reviewChannelOptions: { isAutoDelivering: false },
      chatDoorsOptions: { pollMs: 50, updateIntervalMs: 50, backoffBaseMs: 50, backoffMaxMs: 200 },
      ...overrides,
    },
  });
  server = await startTestServer(app);
  client = createClient(server.url);
  return app;
}

const mention = (text: string, fields: Record<string, unknown> = {}) =>
  envelope({ type: 'app_mention', channel: CHANNEL, user: ASKER, text: `<@${BOT}> ${text}`, ts: nextTs(), ...fields });

const send = (payload: unknown, options: { secret?: string; ageSeconds?: number; headers?: Record<string, string> } = {}) =>
  postSlackEvent(server!.url, payload, { secret: SIGNING_SECRET, ...options });

/** What the app posted and updated in one Slack thread, in order. */
const inThread = (channel: string, threadTs: string) => slack.calls.filter((call) => call.channel === channel && (call.threadTs === threadTs || call.method === 'chat.update'));
const repliesIn = (channel: string, threadTs: string) =>
  slack.delivered().filter((call) => call.method === 'chat.postMessage' && call.channel === channel && call.threadTs === threadTs);
/** The text a reply shows now: its last update, or what was posted. */
function shownText(channel: string, replyTs: string): string | null {
  const updates = slack.delivered().filter((call) => call.method === 'chat.update' && call.channel === channel && call.ts === replyTs);
  const last = updates[updates.length - 1];
  if (last) return last.text;
  return slack.delivered().find((call) => call.method === 'chat.postMessage' && call.outcome.ok && call.outcome.ts === replyTs)?.text ?? null;
}
const replyTsOf = (call: { outcome: { ok: true; ts: string } | { ok: false } }) => (call.outcome.ok ? call.outcome.ts : '');

async function inbox(current: TApp) {
  return (await querySql<{ kind: string; status: string; outcome: string | null; message_ts: string; thread_id: string | null; run_id: string | null }>(
    current.db,
    `select kind, status, outcome, message_ts, thread_id, run_id from ${SLACK_INBOX} slack_inbox order by id`,
  )).rows;
}

// A limit, not a speed check: with Slack failing first (backoff, a 1 s rate limit) and the suite sharing two cores
// with the other CI lanes, settling took over 15 s in a lanes run at load 20.
async function settled(current: TApp, count: number) {
  await waitUntil(async () => {
    const rows = await inbox(current);
    return rows.length >= count && rows.every((row) => row.status !== 'pending');
  }, 45_000);
}

describe('a mention in a channel', () => {
  it('is answered once in its thread, "Searching the docs…" first, then the answer with its sources, however often Slack delivers it', async () => {
    const current = await setup();
    const question = mention('How do I create a Slack bot token?');
    const ts = question.event.ts as string;
    expect((await send(question)).body).toEqual({ ok: true });
    // Slack's retries (same event id), and the message event of the same message (another event id).
    expect((await send(question, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
    const twin = envelope({ type: 'message', channel: CHANNEL, channel_type: 'channel', user: ASKER, text: question.event.text, ts });
    expect((await send(twin)).status).toBe(200);
    await settled(current, 1);
    expect((await send(question, { headers: { 'x-slack-retry-num': '2' } })).status).toBe(200);

    const replies = repliesIn(CHANNEL, ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toBe(SEARCHING_TEXT);
    const final = shownText(CHANNEL, replyTsOf(replies[0]!));
    expect(final).toMatch(/\*Sources:\* <https:\/\/docs\.example\.com\/docs\/[^|>]+\|[^>]+>/);
    expect(final).toContain('React with :+1: or :-1:');
    expect(final).not.toMatch(/\]\(/);
    // The quoted section is named by a link to it, in bold; no raw Markdown, no bare URL.
    expect(final).toMatch(/^\*<https:\/\/docs\.example\.com\/docs\/guides\/slack#[a-z-]+\|Slack notifications › [^>]+>\*$/m);
    expect(final).not.toMatch(/\*\*/);
    for (const match of (final ?? '').matchAll(/<([^>|]*)\|([^>]*)>/g)) expect(match[2]).not.toMatch(/^https?:/);
    const rows = await inbox(current);
    expect(rows).toEqual([expect.objectContaining({ kind: 'question', status: 'done', outcome: 'answered', message_ts: ts })]);
    // The conversation is Slack's: a thread owned by the workspace, its question stored masked like the site's.
    const thread = (await querySql<{ owner: string; metadata: Record<string, string> }>(current.db, 'select owner, metadata from assistant_thread')).rows;
    expect(thread).toEqual([expect.objectContaining({ owner: `slack:${TEAM}`, metadata: expect.objectContaining({ source: 'slack', slack_channel: CHANNEL }) })]);
    // Not repeated in the review channel: nothing was queued for it.
    expect((await querySql(current.db, 'select id from slack_outbox')).rows).toEqual([]);
  });

  it('keeps the thread as one conversation: the asker’s follow-up (no mention) is answered with the earlier turns, others are not', async () => {
    const model = buildScriptedModel([
      { type: 'tool_calls', calls: [toolCall('button variants')] },
      { type: 'message', text: 'Use the `variant` prop: see [Buttons](/docs/guides/slack).' },
    ]);
    const current = await setup({}, { model });
    const first = mention('Which button variants exist?');
    const root = first.event.ts as string;
    await send(first);
    await settled(current, 1);
    // Someone else chatting in the thread is not asking the app; the asker is.
    await send(envelope({ type: 'message', channel: CHANNEL, channel_type: 'channel', user: OTHER, text: 'I wondered too', ts: nextTs(), thread_ts: root }));
    const followUp = envelope({ type: 'message', channel: CHANNEL, channel_type: 'channel', user: ASKER, text: 'And the destructive one?', ts: nextTs(), thread_ts: root });
    await send(followUp);
    await settled(current, 3);
    expect((await inbox(current)).map((row) => [row.kind, row.outcome])).toEqual([
      ['question', 'answered'],
      ['thread_message', 'ignored'],
      ['question', 'answered'],
    ]);
    const last = model.requests[model.requests.length - 1]!;
    const said = last.input.filter((item) => item.type === 'message').map((item) => (item as { content: string }).content);
    expect(said[0]).toBe('Which button variants exist?');
    expect(said).toContain('And the destructive one?');
    expect(repliesIn(CHANNEL, root)).toHaveLength(2);
    // The model's Markdown as Slack mrkdwn: code in backticks, the docs link absolute.
    const answerText = shownText(CHANNEL, replyTsOf(repliesIn(CHANNEL, root)[1]!));
    expect(answerText).toContain('Use the `variant` prop: see <https://docs.example.com/docs/guides/slack|Buttons>.');
  });

  it('records a maintainer’s message in the thread as a maintainer’s reply, without answering it', async () => {
    const current = await setup();
    const first = mention('How do I create a Slack bot token?');
    await send(first);
    await settled(current, 1);
    await send(envelope({ type: 'message', channel: CHANNEL, channel_type: 'channel', user: MAINTAINER, text: 'Also see the FAQ.', ts: nextTs(), thread_ts: first.event.ts }));
    await settled(current, 2);
    const threadId = (await inbox(current))[0]!.thread_id as string;
    const messages = (await listMessagesByThread({ db: current.db, owner: `slack:${TEAM}`, threadId, limit: 10, order: 'asc' })).data;
    expect(messages.map((message) => [message.role, message.metadata.author ?? null])).toEqual([
      ['user', null],
      ['assistant', null],
      ['assistant', 'maintainer'],
    ]);
    expect(messages[2]!.metadata.author_name).toBe('Ana (docs team)');
    expect(repliesIn(CHANNEL, first.event.ts as string)).toHaveLength(1);
  });
});

describe('what the app never answers', () => {
  it('ignores bots (itself included), edits, the review channel, channels outside SLACK_ANSWER_CHANNELS, and unsigned or stale callbacks', async () => {
    const current = await setup({ SLACK_ANSWER_CHANNELS: CHANNEL });
    expect((await send(mention('from a bot', { bot_id: 'B0OTHER', user: 'U0OTHERBOT' }))).status).toBe(200);
    await send(mention('from itself', { user: BOT }));
    await send(mention('edited', { subtype: 'message_changed' }));
    await send(mention('in the review channel', { channel: SLACK_CHANNEL }));
    await send(mention('elsewhere', { channel: 'C0ELSEWHERE' }));
    expect((await send(mention('forged'), { secret: 'not-the-signing-secret-at-all-000' })).status).toBe(401);
    expect((await send(mention('stale'), { ageSeconds: 6 * 60 })).status).toBe(401);
    const unsigned = await client.request('POST', '/api/slack/events', { body: JSON.stringify(mention('unsigned')), headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(401);
    await current.chatDoors.worker('slack').drainOnce();
    expect(await inbox(current)).toEqual([]);
    expect(slack.calls).toEqual([]);
  });
});

describe('direct messages', () => {
  it('are answered in a thread under the message', async () => {
    const current = await setup();
    const ts = nextTs();
    await send(envelope({ type: 'message', channel: 'D0DM', channel_type: 'im', user: ASKER, text: 'How do I create a Slack bot token?', ts }));
    // The app's own reply in the DM comes back as an event too, and is not a question.
    await send(envelope({ type: 'message', channel: 'D0DM', channel_type: 'im', user: BOT, bot_id: 'B0ME', text: SEARCHING_TEXT, ts: nextTs(), thread_ts: ts }));
    await settled(current, 1);
    expect(repliesIn('D0DM', ts)).toHaveLength(1);
    expect(shownText('D0DM', replyTsOf(repliesIn('D0DM', ts)[0]!))).toMatch(/Sources:/);
  });
});

describe('a question the docs do not cover', () => {
  it('says so, with a link that searches the docs for it', async () => {
    const current = await setup();
    const question = mention('xyzzy plugh frobnicate?');
    await send(question);
    await settled(current, 1);
    const text = shownText(CHANNEL, replyTsOf(repliesIn(CHANNEL, question.event.ts as string)[0]!));
    expect(text).toMatch(/^The docs don't cover this: .* <https:\/\/docs\.example\.com\/docs\?q=[^|>]*xyzzy[^|>]*\|search the docs>/);
    expect(text).not.toContain('Sources:');
  });
});

describe('reactions', () => {
  it('are the member’s vote on the answer: 👍 up, removed none, 👎 down; the bot’s own are not', async () => {
    const current = await setup();
    const question = mention('How do I create a Slack bot token?');
    await send(question);
    await settled(current, 1);
    const replyTs = replyTsOf(repliesIn(CHANNEL, question.event.ts as string)[0]!);
    const reaction = (type: string, name: string, user = OTHER) =>
      envelope({ type, user, reaction: name, item: { type: 'message', channel: CHANNEL, ts: replyTs }, item_user: BOT, event_ts: nextTs() });
    const votes = async () => (await querySql<{ owner: string; vote: string }>(current.db, 'select owner, vote from message_vote order by owner')).rows;
    await send(reaction('reaction_added', '+1::skin-tone-3'));
    await send(reaction('reaction_added', 'thumbsdown', ASKER));
    await send(reaction('reaction_added', '+1', BOT));
    await send(reaction('reaction_added', 'tada'));
    expect(await votes()).toEqual([
      { owner: `slack:${TEAM}:${ASKER}`, vote: 'down' },
      { owner: `slack:${TEAM}:${OTHER}`, vote: 'up' },
    ]);
    await send(reaction('reaction_removed', '+1'));
    expect(await votes()).toEqual([{ owner: `slack:${TEAM}:${ASKER}`, vote: 'down' }]);
    // A reaction on someone else's message changes nothing.
    await send(envelope({ type: 'reaction_added', user: OTHER, reaction: '-1', item: { type: 'message', channel: CHANNEL, ts: question.event.ts } }));
    expect(await votes()).toHaveLength(1);

    // The maintainers' dashboard counts the vote and names the conversation's source.
    const now = Date.now();
    const dashboard = await getMaintainerDashboard({ db: current.db, from: new Date(now - 86_400_000), to: new Date(now + 60_000), limit: 10 });
    expect(dashboard.sources).toEqual([{ source: 'slack', questions: 1 }]);
    expect(dashboard.unanswered).toEqual([expect.objectContaining({ kind: 'voted_down', source: 'slack', question: 'How do I create a Slack bot token?' })]);
  });
});

describe('limits and failures', () => {
  it('refuses past a member’s hourly limit with the site’s message, per member', async () => {
    const current = await setup({ RATE_LIMIT_MESSAGES_PER_HOUR: '1' });
    const first = mention('How do I create a Slack bot token?');
    const second = mention('And the signing secret?');
    const fromOther = mention('How do I create a Slack bot token?', { user: OTHER });
    for (const event of [first, second, fromOther]) await send(event);
    await settled(current, 3);
    expect((await inbox(current)).map((row) => row.outcome)).toEqual(['answered', 'refused', 'answered']);
    expect(shownText(CHANNEL, replyTsOf(repliesIn(CHANNEL, second.event.ts as string)[0]!))).toMatch(/^:no_entry: You've reached the limit of 1 messages an hour/);
  });

  it('apologizes for a failed run with how to retry, and `retry` answers the question again', async () => {
    const model = buildScriptedModel([new Error('model down'), { type: 'message', text: 'Second time lucky: see [Slack](/docs/guides/slack).' }]);
    const current = await setup({}, { model });
    const question = mention('How do I create a Slack bot token?');
    await send(question);
    await settled(current, 1);
    const root = question.event.ts as string;
    expect(shownText(CHANNEL, replyTsOf(repliesIn(CHANNEL, root)[0]!))).toMatch(/^:warning: Sorry, I couldn't finish this answer\..*Reply `retry` in this thread/);
    await send(envelope({ type: 'message', channel: CHANNEL, channel_type: 'channel', user: ASKER, text: 'retry', ts: nextTs(), thread_ts: root }));
    await settled(current, 2);
    expect(shownText(CHANNEL, replyTsOf(repliesIn(CHANNEL, root)[1]!))).toContain('Second time lucky');
    // The retry ran the same question again: no second question was stored.
    const threadId = (await inbox(current))[0]!.thread_id as string;
    const messages = (await listMessagesByThread({ db: current.db, owner: `slack:${TEAM}`, threadId, limit: 10, order: 'asc' })).data;
    expect(messages.filter((message) => message.role === 'user')).toHaveLength(1);
  });

  it('retries Slack’s errors and rate limits with backoff, and still shows one answer', async () => {
    const current = await setup();
    slack.failNext(SLACK_FAILURES.http500, SLACK_FAILURES.rateLimited(1));
    const question = mention('How do I create a Slack bot token?');
    await send(question);
    await settled(current, 1);
    const posts = slack.calls.filter((call) => call.method === 'chat.postMessage');
    expect(posts.map((call) => call.outcome.ok)).toEqual([false, false, true]);
    const replies = repliesIn(CHANNEL, question.event.ts as string);
    expect(replies).toHaveLength(1);
    expect(shownText(CHANNEL, replyTsOf(replies[0]!))).toMatch(/Sources:/);
    expect(inThread(CHANNEL, question.event.ts as string).length).toBeGreaterThan(1);
    expect(SITE_URL).toBe('https://docs.example.com');
  });
});
