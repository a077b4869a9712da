import { afterEach, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createThreadForCaller, deleteThreadForCaller, rerunMessageForCaller, sendMessageForCaller } from '@/lib/assistant/service';
import { setVoteForCaller } from '@/lib/assistant/votes';
import { addMaintainerReplyBySlackThread } from '@/lib/db/maintainers';
import { listMessagesByThread } from '@/lib/db/messages';
import { setSlackThreadTsById } from '@/lib/db/slack-outbox';
import { searchDocs } from '@/lib/docs/search/search';
import { buildReportUrl, buildTranscriptUrl, signMaintainerScope } from '@/lib/maintainers/links';
import { loadTranscriptPage } from '@/lib/maintainers/page';
import { formatReportText, getReportForMaintainers, ZReportWindow } from '@/lib/maintainers/report';
import { createTestApp } from '../helpers/app';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { PUBLIC_ACCESS } from '@/lib/audiences';

const OWNER = 'owner_maint_aaaaaaaaaaa';
const MATCHING = 'How do I create a Slack bot token?';
const UNMATCHED = 'xyzzy plugh frobnicate';
let app: TApp | undefined;
let server: TTestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  await app?.db.close();
  app = undefined;
});

async function seed(current: TApp) {
  const answered = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: current, owner: OWNER });
  await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: current, owner: OWNER, threadId: answered.id, text: MATCHING });
  const unanswered = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: current, owner: OWNER });
  await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: current, owner: OWNER, threadId: unanswered.id, text: UNMATCHED });
  const answerOf = async (threadId: string) =>
    (await listMessagesByThread({ db: current.db, owner: OWNER, threadId, limit: 10, order: 'asc' })).data.find((m) => m.role === 'assistant')!;
  const good = await answerOf(answered.id);
  const bad = await answerOf(unanswered.id);
  await setVoteForCaller({ deps: current, owner: OWNER, threadId: answered.id, messageId: good.id, vote: 'up' });
  await setVoteForCaller({ deps: current, owner: OWNER, threadId: unanswered.id, messageId: bad.id, vote: 'down' });
  await searchDocs({ access: PUBLIC_ACCESS, deps: current, prompt: 'Primary button', source: 'site' });
  return { answered, unanswered, good, bad };
}

const window = (overrides: Record<string, unknown> = {}) => ZReportWindow.parse(overrides);

describe('transcript view for maintainers', () => {
  it('shows the whole thread behind a valid link: questions, runs with tool calls and results, answers with sources and votes', async () => {
    app = await createTestApp();
    const { answered, good } = await seed(app);
    const { url } = buildTranscriptUrl({ siteUrl: app.config.siteUrl, secret: app.sessionSecret, threadId: answered.id, ttlSeconds: 60 });
    const query = Object.fromEntries(new URL(url).searchParams);
    const page = await loadTranscriptPage({ deps: app!, threadId: answered.id, query });
    if (!('props' in page)) throw new Error('expected the transcript');
    const { transcript } = page.props;
    expect(transcript.thread).toMatchObject({ id: answered.id, title: 'New thread' });
    expect(transcript.entries.map((entry) => (entry.type === 'run' ? `run:${entry.status}` : entry.role))).toEqual(['user', 'run:completed', 'assistant']);
    const [question, run, answer] = transcript.entries;
    expect(question).toMatchObject({ type: 'message', text: MATCHING, vote: null });
    if (run?.type !== 'run' || answer?.type !== 'message') throw new Error('unexpected entries');
    expect(run.toolCalls).toHaveLength(1);
    expect(run.toolCalls[0]).toMatchObject({ name: 'get_relevant_docs', query: MATCHING, error: null });
    expect(run.toolCalls[0]?.results.map((result) => result.url)).toContain('/docs/guides/slack#creating-a-bot-token');
    expect(run.durationSeconds).toBeGreaterThanOrEqual(0);
    expect(answer).toMatchObject({ id: good.id, role: 'assistant', vote: 'up', isNoDocsMatch: false });
    expect(answer.sources.map((source) => source.url)).toContain('/docs/guides/slack#creating-a-bot-token');
    expect(transcript.counts).toEqual({ messages: 2, runs: 1, up: 1, down: 0 });
  });

  it('is a 404 without a valid, unexpired signature for that very thread, and for a deleted thread', async () => {
    app = await createTestApp();
    const { answered, unanswered } = await seed(app);
    const secret = app.sessionSecret;
    const valid = signMaintainerScope({ secret, scope: { type: 'transcript', threadId: answered.id }, ttlSeconds: 60 });
    const expired = signMaintainerScope({ secret, scope: { type: 'transcript', threadId: answered.id }, ttlSeconds: -1 });
    const report = signMaintainerScope({ secret, scope: { type: 'report' }, ttlSeconds: 60 });
    const load = (threadId: unknown, query: Record<string, string | undefined>) => loadTranscriptPage({ deps: app!, threadId, query });
    const asQuery = (link: { exp: number; sig: string }) => ({ exp: String(link.exp), sig: link.sig });

    expect(await load(answered.id, {})).toEqual({ notFound: true });
    expect(await load(answered.id, { exp: String(valid.exp) })).toEqual({ notFound: true });
    expect(await load(answered.id, asQuery(expired))).toEqual({ notFound: true });
    expect(await load(answered.id, asQuery(report))).toEqual({ notFound: true });
    expect(await load(unanswered.id, asQuery(valid))).toEqual({ notFound: true });
    expect(await load('not-a-thread', asQuery(valid))).toEqual({ notFound: true });
    expect('props' in (await load(answered.id, asQuery(valid)))).toBe(true);

    await deleteThreadForCaller({ deps: app!, owner: OWNER, threadId: answered.id });
    expect(await load(answered.id, asQuery(valid))).toEqual({ notFound: true });
  });
});

describe('maintainer report', () => {
  it('counts threads, messages, runs and votes, and lists the questions the docs fail', async () => {
    app = await createTestApp();
    const { unanswered, bad } = await seed(app);
    const report = await getReportForMaintainers({ db: app!.db, window: window() });
    expect(report.threads).toBe(2);
    expect(report.messages).toEqual({ user: 2, assistant: 2, maintainer: 0 });
    expect(report.runs.total).toBe(2);
    expect(report.runs.by_status).toEqual({ completed: 2 });
    expect(report.runs.median_seconds).toBeGreaterThanOrEqual(0);
    expect(report.docs_queries).toEqual({ total: 3, site: 1, assistant: 2, without_results: 1 });
    expect(report.top_queries.map((query) => query.query)).toEqual(
      expect.arrayContaining([MATCHING.toLowerCase(), UNMATCHED, 'primary button']),
    );
    expect(report.queries_without_results).toEqual([{ query: UNMATCHED, count: 1 }]);
    expect(report.answers_without_docs.count).toBe(1);
    expect(report.answers_without_docs.items).toEqual([
      expect.objectContaining({ thread_id: unanswered.id, message_id: bad.id, question: UNMATCHED }),
    ]);
    expect(report.votes).toMatchObject({ up: 1, down: 1 });
    expect(report.votes.down_items).toEqual([expect.objectContaining({ message_id: bad.id, question: UNMATCHED })]);

    const text = formatReportText(report);
    expect(text).toContain('Threads           2');
    expect(text).toContain('Runs              2 (completed 2)');
    expect(text).toContain(`"${UNMATCHED}"`);
    expect(text).toContain('Thumbs            1 up, 1 down');

    // A window before any of it counts nothing.
    const past = await getReportForMaintainers({ db: app!.db, window: window({ from: '2020-01-01T00:00:00Z', to: '2020-02-01T00:00:00Z' }) });
    expect(past).toMatchObject({ threads: 0, messages: { user: 0, assistant: 0, maintainer: 0 }, runs: { total: 0, median_seconds: null }, votes: { up: 0, down: 0 } });
    expect(past.top_queries).toEqual([]);
  });

  it('names the question of a quick answer that was then researched ("Research this": the question points at the research run)', async () => {
    app = await createTestApp();
    const { unanswered, bad } = await seed(app);
    const question = (await listMessagesByThread({ db: app.db, owner: OWNER, threadId: unanswered.id, limit: 10, order: 'asc' })).data[0]!;
    await rerunMessageForCaller({ access: PUBLIC_ACCESS, deps: app, owner: OWNER, threadId: unanswered.id, messageId: question.id, mode: 'research' });
    const messages = (await listMessagesByThread({ db: app.db, owner: OWNER, threadId: unanswered.id, limit: 10, order: 'asc' })).data;
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'assistant']);
    expect(messages[0]!.run_id).not.toBe(bad.run_id);
    const report = await getReportForMaintainers({ db: app.db, window: window() });
    // The research of nonsense finds nothing either: both answers are listed, each with the question.
    expect(report.answers_without_docs.items).toEqual([
      expect.objectContaining({ message_id: messages[2]!.id, question: UNMATCHED }),
      expect.objectContaining({ message_id: bad.id, question: UNMATCHED }),
    ]);
    expect(report.votes.down_items).toEqual([expect.objectContaining({ message_id: bad.id, question: UNMATCHED })]);
  });

  it('counts a maintainer’s reply from Slack as a reply, not as one of the assistant’s answers', async () => {
    app = await createTestApp();
    const { answered } = await seed(app);
    await setSlackThreadTsById({ db: app.db, threadId: answered.id, slackTs: '1790000000.000100' });
    const reply = await addMaintainerReplyBySlackThread({
      db: app.db,
      eventId: 'Ev0REPORT01',
      threadTs: '1790000000.000100',
      slackTs: '1790000000.000200',
      text: 'Use the bot token from OAuth & Permissions.',
      author: { name: 'Ana', slackUser: 'U0ANA' },
    });
    expect(reply.status).toBe('added');
    const report = await getReportForMaintainers({ db: app.db, window: window() });
    expect(report.messages).toEqual({ user: 2, assistant: 2, maintainer: 1 });
    expect(formatReportText(report)).toContain('Messages          2 from readers, 2 answers, 1 maintainers\' replies');
  });

  it('serves the report as JSON behind a signed link, and 404 without one', async () => {
    app = await createTestApp();
    await seed(app);
    server = await startTestServer(app);
    const client = createClient(server.url);
    const signed = new URL(buildReportUrl({ siteUrl: server.url, secret: app.sessionSecret, ttlSeconds: 60 }).url);

    const ok = await client.get(`${signed.pathname}${signed.search}&days=1`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ threads: 2, votes: { up: 1, down: 1 }, answers_without_docs: { count: 1 } });

    expect((await client.get('/api/maintainers/report')).status).toBe(404);
    const missing = await client.get('/api/maintainers/report?days=7');
    expect(missing.body).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
    const transcriptSig = signMaintainerScope({ secret: app.sessionSecret, scope: { type: 'transcript', threadId: 'thread_x' }, ttlSeconds: 60 });
    expect((await client.get(`/api/maintainers/report?exp=${transcriptSig.exp}&sig=${transcriptSig.sig}`)).status).toBe(404);

    const reversed = await client.get(`${signed.pathname}${signed.search}&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`);
    expect(reversed.status).toBe(400);
    expect((await client.get(`${signed.pathname}${signed.search}&days=0`)).status).toBe(400);
    expect((await client.post(`${signed.pathname}${signed.search}`, {})).status).toBe(405);
  });
});

describe('POST /api/paste-assistant-message-vote', () => {
  it('sets, changes and removes the caller’s one vote on an answer; refuses what is not an answer of theirs', async () => {
    app = await createTestApp();
    server = await startTestServer(app);
    const reader = createClient(server.url);
    const thread = (await reader.post('/api/paste-assistant-thread')).body;
    await reader.post('/api/paste-assistant-message', { threadId: thread.id, message: MATCHING });
    const messages = (await reader.get(`/api/paste-assistant-messages/${thread.id}`)).body.data as { id: string; role: string }[];
    const question = messages.find((message) => message.role === 'user')!;
    const answer = messages.find((message) => message.role === 'assistant')!;
    const vote = (value: unknown, messageId = answer.id, threadId = thread.id, client = reader) =>
      client.post('/api/paste-assistant-message-vote', { threadId, messageId, vote: value });

    const up = await vote('up');
    expect(up.status).toBe(200);
    expect(up.body).toEqual({ object: 'thread.message.vote', thread_id: thread.id, message_id: answer.id, vote: 'up', reason: null });
    expect((await vote('down')).body.vote).toBe('down');
    const listed = await reader.get(`/api/paste-assistant-message-vote?threadId=${thread.id}`);
    expect(listed.body).toEqual({ object: 'list', data: [{ object: 'thread.message.vote', thread_id: thread.id, message_id: answer.id, vote: 'down' }] });
    expect((await vote(null)).body.vote).toBeNull();
    expect((await reader.get(`/api/paste-assistant-message-vote?threadId=${thread.id}`)).body.data).toEqual([]);

    expect((await vote('up', question.id)).status).toBe(400);
    expect((await vote('sideways')).status).toBe(400);
    expect((await vote('up', 'msg_doesnotexist')).status).toBe(404);
    expect((await vote('up', 'not-a-message')).status).toBe(400);
    expect((await reader.post('/api/paste-assistant-message-vote', { threadId: thread.id, messageId: answer.id })).status).toBe(400);
    expect((await reader.get('/api/paste-assistant-message-vote')).status).toBe(400);
    expect((await reader.put('/api/paste-assistant-message-vote', {})).status).toBe(405);

    const stranger = createClient(server.url);
    const refused = await vote('up', answer.id, thread.id, stranger);
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('not_found');
  });

  it('queues nothing for Slack when Slack is not configured', async () => {
    app = await createTestApp();
    await seed(app);
    expect(app.reviewChannel.mode).toBe('disabled');
    expect(await app.reviewChannel.deliverOutboxOnce()).toMatchObject({ claimed: 0 });
    const pg = (app.db as unknown as { pg: { query<T>(sql: string): Promise<{ rows: T[] }> } }).pg;
    expect((await pg.query<{ n: number }>('select count(*)::int as n from slack_outbox')).rows[0]?.n).toBe(0);
  });
});
