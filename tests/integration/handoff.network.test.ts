import { afterEach, describe, expect, it } from 'vitest';
import type { TApp, TAppOverrides } from '@/lib/app';
import { listHandoffsForMaintainers } from '@/lib/db/handoffs';
import { signGithubPayload } from '@/lib/handoff/replies';
import { getDashboardForMaintainers, resolveDashboardWindow, ZDashboardQuery } from '@/lib/maintainers/dashboard';
import { getDeflectionForMaintainers, ZDeflectionQuery } from '@/lib/maintainers/deflection';
import { signHandoffLink } from '@/lib/handoff/links';
import { createTestApp, TEST_SESSION_SECRET } from '../helpers/app';
import { expectError } from '../helpers/contract';
import { buildScriptedModel } from '../helpers/models';
import { startFakeGithub, type TFakeGithub } from '../helpers/fake-github';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { mailLink, startSmtp } from '../helpers/smtp';
import { querySql } from '../helpers/stores';

// Hand-offs end to end on a real database (PGlite), GitHub faked and an SMTP server on 127.0.0.1: a reader hands a
// not-covered question to the maintainers; the issue opened on GitHub carries the question masked, never the reader's
// address; asking again opens nothing more; a member's comment reaches the conversation by the sync (and a stranger's
// does not), the webhook's replay adds nothing, the reply is e-mailed to the address the reader left, and deleting the
// conversation deletes the address with it.

const REPO = 'acme/questions';
const WEBHOOK_SECRET = 'handoff-webhook-secret-0123456789';
const READER_EMAIL = 'reader.person@example.org';

let app: TApp | undefined;
let server: TTestServer | undefined;
let fake: TFakeGithub | undefined;
let smtp: Awaited<ReturnType<typeof startSmtp>> | undefined;
afterEach(async () => {
  await server?.close();
  await app?.db.close();
  await fake?.close();
  await smtp?.close();
  app = server = fake = smtp = undefined;
});

async function start(env: Record<string, string>, overrides: TAppOverrides = {}) {
  fake = await startFakeGithub({ repos: { [REPO]: { issues: [], comments: {} } } });
  smtp = await startSmtp();
  app = await createTestApp({
    env: {
      HANDOFF_TO: 'github,email',
      HANDOFF_GITHUB_REPO: REPO,
      GITHUB_TOKEN: 'ghp_handoffTestToken0123456789',
      GITHUB_API_URL: fake.url,
      SMTP_URL: smtp.url,
      HANDOFF_EMAIL_FROM: 'Docs <docs@example.com>',
      GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
      SITE_URL: 'https://docs.example.com',
      LOG_LEVEL: process.env.DEBUG_HANDOFF ? 'debug' : 'silent',
      // The background rounds first run after the sweep interval (2 s by default); under load a round could read a
      // comment this test adds before its own syncNow() does. The tests call the rounds themselves.
      RUN_SWEEP_SECONDS: '600',
      ...env,
    },
    overrides,
  });
  server = await startTestServer(app);
  return createClient(server.url);
}

async function askNotCovered(reader: ReturnType<typeof createClient>, question: string) {
  const thread = await reader.post('/api/paste-assistant-thread');
  const sent = await reader.post('/api/paste-assistant-message', { threadId: thread.body.id, message: question });
  expect(sent.body.run.status).toBe('completed');
  return thread.body.id as string;
}

/** The token of a mail's link to /handoff/confirm or /handoff/open (in the address's fragment), on SITE_URL. */
function linkToken(text: string, page: 'confirm' | 'open'): string {
  expect(text).toContain(`https://docs.example.com/handoff/${page}#t=`);
  return mailLink(text, page).token;
}

const messagesOf = async (reader: ReturnType<typeof createClient>, threadId: string) =>
  (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data as { id: string; role: string; metadata: Record<string, unknown>; content: { text: { value: string } }[] }[];

describe('hand-offs', () => {
  it('opens one masked issue, brings a member’s comment back once, and e-mails it to the address the reader left', async () => {
    const reader = await start({});
    const question = 'Can I fax a transcript? My phone is +1 415 555 0100 and @octocat said to ask.';
    const threadId = await askNotCovered(reader, question);

    const first = await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, { note: 'Write to me at me@example.net please', email: READER_EMAIL });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ channel: 'github', status: 'opened', replied_at: null, is_emailed: true, url: `${fake!.url}/acme/questions/issues/${fake!.openedIssues(REPO)[0]!.number}` });
    const again = await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, { email: READER_EMAIL });
    expect([again.status, again.body]).toEqual([200, first.body]);
    const issues = fake!.openedIssues(REPO);
    expect(issues).toHaveLength(1);
    const issue = issues[0]!;
    expect(issue.body).toContain('Can I fax a transcript?');
    expect(issue.body).toContain('said the docs do not cover it');
    expect(`${issue.title}\n${issue.body}`).not.toMatch(/reader\.person|me@example\.net|415 555|@octocat/);
    expect(issue.body).toContain('`@[user]`');

    const other = createClient(server!.url);
    await other.post('/api/paste-assistant-thread');
    expectError(await other.post(`/api/paste-assistant-thread/${threadId}/handoff`, {}), 404, 'not_found');
    expectError(await other.get(`/api/paste-assistant-thread/${threadId}/handoff`), 404, 'not_found');

    // A stranger's comment is not the maintainers' reply; a member's is, once, by the sync and by the webhook alike.
    fake!.addComment(REPO, issue.number, { id: 501, body: 'Same question here!', user: { login: 'someone' }, author_association: 'NONE' });
    fake!.addComment(REPO, issue.number, { id: 502, body: 'Not yet, @someone: use the transcript export.', user: { login: 'maintainer-ana' }, author_association: 'MEMBER' });
    expect(await app!.handoffJobs.syncNow()).toBe(1);
    expect(await app!.handoffJobs.syncNow()).toBe(0);
    const payload = JSON.stringify({
      action: 'created',
      issue: { number: issue.number },
      comment: { id: 502, body: 'Not yet, @someone: use the transcript export.', author_association: 'MEMBER', user: { login: 'maintainer-ana', type: 'User' } },
      repository: { full_name: REPO },
    });
    const delivered = await fetch(`${server!.url}/api/github/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'issue_comment', 'x-github-delivery': 'd-1', 'x-hub-signature-256': signGithubPayload(WEBHOOK_SECRET, payload) },
      body: payload,
    });
    expect(delivered.status).toBe(200);
    expect(await delivered.json()).toEqual({ ok: true, outcome: 'duplicate' });
    const replies = (await messagesOf(reader, threadId)).filter((message) => message.metadata.author === 'maintainer');
    expect(replies.map((reply) => [reply.content[0]!.text.value, reply.metadata])).toEqual([['Not yet, @[user]: use the transcript export.', { author: 'maintainer' }]]);
    const seen = await reader.get(`/api/paste-assistant-thread/${threadId}/handoff`);
    expect(seen.body.handoff.replied_at).toEqual(expect.any(Number));

    // The address left got one mail: its confirmation (at once: the hand-off woke the e-mail round). Until it is
    // confirmed, the reply is not e-mailed to it.
    await expect.poll(() => smtp!.mails.length, { timeout: 15_000 }).toBe(1);
    expect(smtp!.mails[0]!.to).toBe(READER_EMAIL);
    expect(smtp!.mails[0]!.text).toContain('confirm the address');
    expect(await app!.handoffJobs.sendEmailsNow()).toBe(0);
    expect(smtp!.mails).toHaveLength(1);
    const confirmToken = linkToken(smtp!.mails[0]!.text, 'confirm');
    // A forged or a changed link confirms nothing.
    expectError(await other.post('/api/handoff/link', { action: 'confirm', token: `${confirmToken.slice(0, -2)}AA` }), 403, 'forbidden');
    // Anyone holding the mail's link confirms it (it was sent to that address), once.
    const confirmed = await other.post('/api/handoff/link', { action: 'confirm', token: confirmToken });
    expect([confirmed.status, confirmed.body]).toEqual([200, { status: 'confirmed' }]);
    expectError(await other.post('/api/handoff/link', { action: 'confirm', token: confirmToken }), 409, 'conflict');

    // Confirmed: the reply waiting goes (the confirmation woke the e-mail round), with a link to the conversation.
    await expect.poll(() => smtp!.mails.length, { timeout: 15_000 }).toBe(2);
    expect(await app!.handoffJobs.sendEmailsNow()).toBe(0);
    expect(smtp!.mails[1]!.to).toBe(READER_EMAIL);
    expect(smtp!.mails[1]!.text).toContain('use the transcript export');
    expect(smtp!.mails[1]!.text).not.toContain('/assistant\n');
    const openToken = linkToken(smtp!.mails[1]!.text, 'open');

    // The conversation's link: in the reader's own browser it opens, again and again, and moves nothing.
    for (let index = 0; index < 2; index += 1) {
      expect((await reader.post('/api/handoff/link', { action: 'open', token: openToken })).body).toEqual({ status: 'opened', thread_id: threadId, url: `/assistant?thread=${threadId}` });
    }
    // In another browser: nothing moves until the reader asks; then the conversation is that browser's, once.
    const phone = createClient(server!.url);
    expect((await phone.post('/api/handoff/link', { action: 'open', token: openToken })).body).toEqual({ status: 'elsewhere' });
    expectError(await phone.get(`/api/paste-assistant-thread/${threadId}`), 404, 'not_found');
    expect((await phone.post('/api/handoff/link', { action: 'open', token: openToken, move: true })).body).toEqual({ status: 'opened', thread_id: threadId, url: `/assistant?thread=${threadId}` });
    expect((await phone.get(`/api/paste-assistant-thread/${threadId}`)).status).toBe(200);
    expect((await messagesOf(phone, threadId)).some((message) => message.metadata.author === 'maintainer')).toBe(true);
    expectError(await reader.get(`/api/paste-assistant-thread/${threadId}`), 404, 'not_found');
    // The mail forwarded, or seen by someone else: the link moves it nowhere again.
    const stranger = createClient(server!.url);
    expectError(await stranger.post('/api/handoff/link', { action: 'open', token: openToken }), 409, 'conflict');
    expectError(await stranger.post('/api/handoff/link', { action: 'open', token: openToken, move: true }), 409, 'conflict');
    expectError(await stranger.get(`/api/paste-assistant-thread/${threadId}`), 404, 'not_found');
    // An expired link opens nothing.
    const expired = signHandoffLink(TEST_SESSION_SECRET, { kind: 'open', threadId, nonce: 'expired-nonce-0123456789', expiresAt: Math.floor(Date.now() / 1000) - 1 });
    expectError(await stranger.post('/api/handoff/link', { action: 'open', token: expired, move: true }), 403, 'forbidden');

    // The address goes with the conversation (now the phone's).
    expect((await phone.delete(`/api/paste-assistant-thread/${threadId}`)).status).toBe(200);
    const listed = await listHandoffsForMaintainers({ db: app!.db, from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 86_400_000), limit: 100 });
    expect(listed.filter((row) => row.thread_id === threadId)).toEqual([]);
  });

  it('forgets an address never confirmed, and moves a signed-in reader’s conversation to no other reader’s browser', async () => {
    const reader = await start({});
    const threadId = await askNotCovered(reader, 'Can I fax a transcript?');
    expect((await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, { email: READER_EMAIL })).status).toBe(201);
    await expect.poll(() => smtp!.mails.length, { timeout: 15_000 }).toBe(1);
    // The confirmation's link works for 7 days; 8 days on, the address is forgotten and its link confirms nothing.
    await querySql(app!.db, "update handoff set email_confirm_sent_at = now() - interval '8 days' where thread_id = $1", [threadId]);
    expect(await app!.handoffJobs.sendEmailsNow()).toBe(0);
    const rows = await querySql<{ email: string | null }>(app!.db, "select email from handoff where thread_id = $1 and channel = 'email'", [threadId]);
    expect(rows.rows).toEqual([{ email: null }]);
    expectError(await reader.post('/api/handoff/link', { action: 'confirm', token: linkToken(smtp!.mails[0]!.text, 'confirm') }), 404, 'not_found');
    expect((await reader.get(`/api/paste-assistant-thread/${threadId}/handoff`)).body.handoff.is_emailed).toBe(false);

    // A conversation asked by a signed-in reader: their own browser opens it; an anonymous one cannot take it.
    const sessionId = decodeURIComponent(reader.cookie!.split('=')[1]!).split('.')[0]!;
    await querySql(app!.db, "insert into reader_session (session_id, subject, audiences, via, expires_at) values ($1, 'reader-7', '{}', 'token', now() + interval '1 hour')", [sessionId]);
    const token = signHandoffLink(TEST_SESSION_SECRET, { kind: 'open', threadId, nonce: 'signed-in-nonce-0123456789', expiresAt: Math.floor(Date.now() / 1000) + 600 });
    expect((await reader.post('/api/handoff/link', { action: 'open', token })).body.status).toBe('opened');
    const other = createClient(server!.url);
    expectError(await other.post('/api/handoff/link', { action: 'open', token, move: true }), 403, 'forbidden');
    expect((await reader.get(`/api/paste-assistant-thread/${threadId}`)).status).toBe(200);
  });

  it('opens a discussion in HANDOFF_GITHUB_CATEGORY, and a member’s discussion comment comes back through the webhook', async () => {
    const reader = await start({ HANDOFF_GITHUB_CATEGORY: 'Q&A' });
    const threadId = await askNotCovered(reader, 'Can I fax a transcript?');
    const sent = await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, {});
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.url).toBe(`${fake!.url}/acme/questions/discussions/${fake!.discussions(REPO)[0]!.number}`);
    expect(fake!.openedIssues(REPO)).toEqual([]);
    const [discussion] = fake!.discussions(REPO);
    expect(discussion).toMatchObject({ category: 'Q&A', title: 'Reader question: Can I fax a transcript?' });
    const payload = JSON.stringify({
      action: 'created',
      discussion: { number: discussion!.number },
      comment: { id: 77, node_id: 'DC_77', body: 'Not by fax.', author_association: 'COLLABORATOR', user: { login: 'maintainer-bo', type: 'User' } },
      repository: { full_name: REPO },
    });
    const delivered = await fetch(`${server!.url}/api/github/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'discussion_comment', 'x-github-delivery': 'd-disc-1', 'x-hub-signature-256': signGithubPayload(WEBHOOK_SECRET, payload) },
      body: payload,
    });
    expect(await delivered.json()).toEqual({ ok: true, outcome: 'reply' });
    const replies = (await messagesOf(reader, threadId)).filter((message) => message.metadata.author === 'maintainer');
    expect(replies.map((reply) => reply.content[0]!.text.value)).toEqual(['Not by fax.']);
  });

  it('hands over the research answer of a question researched after its quick answer ("Research this"), not the quick one', async () => {
    const cited = 'Pick the channel in the settings.';
    const model = buildScriptedModel([
      // The quick answer cites nothing: not covered.
      { type: 'message', text: 'The docs do not say.' },
      // The research answer cites a fixture docs page (an offline-marked answer keeps citations its run did not read).
      {
        type: 'message',
        text: cited,
        annotations: [{ type: 'url_citation', url: '/docs/guides/slack#choosing-the-channel', title: 'Choosing the channel', start_index: 0, end_index: cited.length }],
        metadata: { offline: true },
      },
    ]);
    const reader = await start({}, { model });
    const threadId = await askNotCovered(reader, 'Where do the notifications go?');
    const [question] = await messagesOf(reader, threadId);
    const researched = await reader.post(`/api/paste-assistant-thread/${threadId}/runs`, { messageId: question!.id, mode: 'research' });
    expect(researched.status, JSON.stringify(researched.body)).toBe(200);
    const answers = (await messagesOf(reader, threadId)).filter((message) => message.role === 'assistant');
    expect(answers.map((answer) => answer.metadata.no_docs_match)).toEqual([true, undefined]);

    expect((await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, {})).status).toBe(201);
    const issue = fake!.openedIssues(REPO)[0]!;
    expect(issue.body).toContain('Where do the notifications go?');
    expect(issue.body).not.toContain('said the docs do not cover it');
    expect(issue.body).toContain('/docs/guides/slack#choosing-the-channel');
  });

  it('counts a handed-off question as not deflected, and lists it on the dashboard without the reader’s address', async () => {
    const reader = await start({});
    const thread = await reader.post('/api/paste-assistant-thread');
    const threadId = thread.body.id as string;
    const sent = await reader.post('/api/paste-assistant-message', { threadId, message: 'How do I create a Slack bot token?' });
    expect(sent.body.run.status).toBe('completed');
    const query = ZDeflectionQuery.parse({ days: '1' });
    const before = await getDeflectionForMaintainers({ db: app!.db, query });
    expect([before.rates.deflected.count, before.rates.handedOff.count]).toEqual([1, 0]);
    expect((await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, { email: READER_EMAIL })).status).toBe(201);
    const after = await getDeflectionForMaintainers({ db: app!.db, query });
    expect([after.rates.deflected.count, after.rates.handedOff.count]).toEqual([0, 1]);
    const dashboard = await getDashboardForMaintainers({ deps: app!, window: resolveDashboardWindow(ZDashboardQuery.parse({})) });
    expect(dashboard.handoffs).toEqual([
      expect.objectContaining({ question: 'How do I create a Slack bot token?', channel: 'github', status: 'opened', isEmailed: true, repliedAt: null, url: expect.stringContaining('/issues/') }),
    ]);
    expect(JSON.stringify(dashboard)).not.toContain(READER_EMAIL);
  });

  it('answers 409 handoff_not_configured without HANDOFF_TO, and offers nothing', async () => {
    const reader = await start({ HANDOFF_TO: '', HANDOFF_GITHUB_REPO: '', SMTP_URL: '', HANDOFF_EMAIL_FROM: '', GITHUB_TOKEN: '', GITHUB_API_URL: '', GITHUB_WEBHOOK_SECRET: '' });
    const threadId = await askNotCovered(reader, 'Can I fax a transcript?');
    expectError(await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, {}), 409, 'handoff_not_configured');
    expect((await reader.get(`/api/paste-assistant-thread/${threadId}/handoff`)).body).toEqual({ handoff: null, offer: { isOn: false, channels: [], isEmailOffered: false } });
  });
});
