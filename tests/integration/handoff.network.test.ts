import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { listHandoffsForMaintainers } from '@/lib/db/handoffs';
import { signGithubPayload } from '@/lib/handoff/replies';
import { getDashboardForMaintainers, resolveDashboardWindow, ZDashboardQuery } from '@/lib/maintainers/dashboard';
import { getDeflectionForMaintainers, ZDeflectionQuery } from '@/lib/maintainers/deflection';
import { createTestApp } from '../helpers/app';
import { expectError } from '../helpers/contract';
import { startFakeGithub, type TFakeGithub } from '../helpers/fake-github';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';

// Hand-offs end to end on a real database (PGlite), GitHub faked and an SMTP server on 127.0.0.1: a reader hands a
// not-covered question to the maintainers; the issue opened on GitHub carries the question masked, never the reader's
// address; asking again opens nothing more; a member's comment reaches the conversation by the sync (and a stranger's
// does not), the webhook's replay adds nothing, the reply is e-mailed to the address the reader left, and deleting the
// conversation deletes the address with it.

const REPO = 'acme/questions';
const WEBHOOK_SECRET = 'handoff-webhook-secret-0123456789';
const READER_EMAIL = 'reader.person@example.org';

type TMail = { to: string; text: string };

async function startSmtp() {
  const mails: TMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address).join(','), text: data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

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

async function start(env: Record<string, string>) {
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
      ...env,
    },
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

const messagesOf = async (reader: ReturnType<typeof createClient>, threadId: string) =>
  (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data as { role: string; metadata: Record<string, unknown>; content: { text: { value: string } }[] }[];

describe('hand-offs', () => {
  it('opens one masked issue, brings a member’s comment back once, and e-mails it to the address the reader left', async () => {
    const reader = await start({});
    const question = 'Can I fax a transcript? My phone is +1 415 555 0100 and @octocat said to ask.';
    const threadId = await askNotCovered(reader, question);

    const first = await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, { note: 'Write to me at me@example.net please', email: READER_EMAIL });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ channel: 'github', status: 'opened', replied_at: null, is_emailed: true, url: expect.stringMatching(/^https:\/\/github\.com\/acme\/questions\/issues\/\d+$/) });
    const again = await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, { email: READER_EMAIL });
    expect([again.status, again.body]).toEqual([200, first.body]);
    const issues = fake!.openedIssues(REPO);
    expect(issues).toHaveLength(1);
    const issue = issues[0]!;
    expect(issue.body).toContain('Can I fax a transcript?');
    expect(issue.body).toContain('said the docs do not cover it');
    expect(`${issue.title}\n${issue.body}`).not.toMatch(/reader\.person|me@example\.net|415 555|@octocat/);
    expect(issue.body).toContain('@\\[user\\]');

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

    // The reply woke the e-mail round (kickEmails): the mail goes without waiting for the next one.
    await expect.poll(() => smtp!.mails.length, { timeout: 15_000 }).toBe(1);
    expect(await app!.handoffJobs.sendEmailsNow()).toBe(0);
    expect(smtp!.mails).toHaveLength(1);
    expect(smtp!.mails[0]!.to).toBe(READER_EMAIL);
    expect(smtp!.mails[0]!.text).toContain('use the transcript export');

    // The address goes with the conversation.
    expect((await reader.delete(`/api/paste-assistant-thread/${threadId}`)).status).toBe(200);
    const listed = await listHandoffsForMaintainers({ db: app!.db, from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 86_400_000), limit: 100 });
    expect(listed.filter((row) => row.thread_id === threadId)).toEqual([]);
  });

  it('opens a discussion in HANDOFF_GITHUB_CATEGORY, and a member’s discussion comment comes back through the webhook', async () => {
    const reader = await start({ HANDOFF_GITHUB_CATEGORY: 'Q&A' });
    const threadId = await askNotCovered(reader, 'Can I fax a transcript?');
    const sent = await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, {});
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.url).toMatch(/^https:\/\/github\.com\/acme\/questions\/discussions\/\d+$/);
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
