import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signGithubPayload } from '@/lib/handoff/replies';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { expectError } from '../helpers/contract';
import { startFakeGithub, type TFakeGithub } from '../helpers/fake-github';
import { createSeededDataDir } from '../helpers/pglite-template';
import { createClient } from '../helpers/server';
import { PRODUCTION_SESSION_SECRET } from './helpers/global-setup';
import { answeredThread, mainClient } from './helpers/tier';

// Hand-offs on `next start` of the production build (issue 56, item 4), offline, GitHub faked on 127.0.0.1: a reader
// hands a conversation to the maintainers (201 with the issue's address), asking again is the same hand-off (no
// second issue), another reader gets 404; a maintainer's comment, delivered signed to GitHub's webhook, is in the
// reader's conversation; forged or unsigned deliveries are 401 and a replayed one adds nothing. On the tier's main
// server, which names no HANDOFF_TO, the route answers 409 handoff_not_configured and the webhook 404.
// Issue 67, 1.5: the outside probe's script (70 fresh sessions from one address, each handing over a conversation)
// opens nothing without a question (409 handoff_needs_answer) and, with one, at most the address's hourly limit of
// issues; /api/health counts the refusals. The flood's address comes from X-Forwarded-For (TRUSTED_PROXY_HEADER).

const REPO = 'acme/questions';
const WEBHOOK_SECRET = 'production-handoff-webhook-secret';

let fake: TFakeGithub;
let server: TNextServer;

beforeAll(async () => {
  fake = await startFakeGithub({ repos: { [REPO]: { issues: [], comments: {} } } });
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-handoff-'),
    env: {
      NODE_ENV: 'production',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      SLACK_BOT_TOKEN: '',
      SESSION_SECRET: PRODUCTION_SESSION_SECRET,
      MODERATION: 'off',
      LOG_LEVEL: 'warn',
      HANDOFF_TO: 'github',
      HANDOFF_GITHUB_REPO: REPO,
      GITHUB_TOKEN: 'ghp_productionHandoffToken0123456789',
      GITHUB_API_URL: fake.url,
      GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TRUSTED_PROXY_HEADER: 'x-forwarded-for',
    },
  });
});

afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

function deliver(payload: unknown, { delivery, secret = WEBHOOK_SECRET, isSigned = true }: { delivery: string; secret?: string; isSigned?: boolean }) {
  const body = JSON.stringify(payload);
  return fetch(`${server.url}/api/github/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'issue_comment',
      'x-github-delivery': delivery,
      ...(isSigned ? { 'x-hub-signature-256': signGithubPayload(secret, body) } : {}),
    },
    body,
  });
}

describe('POST /api/paste-assistant-thread/[tid]/handoff on next start', () => {
  it('opens one issue for the reader (201, then the same hand-off), 404 for another reader; a signed maintainer comment reaches the conversation once', async () => {
    const reader = createClient(server.url);
    // /api/health says where hand-offs go.
    expect((await reader.get('/api/health')).body).toMatchObject({ handoff: { channels: ['github'] } });
    const { threadId } = await answeredThread(reader, 'Can I fax a transcript to my printer?');
    const first = await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, { note: 'Nothing in the docs about faxing.' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // The issue's address is GitHub's answer (html_url), here the fake's own, never one built on github.com; it opens.
    expect(first.body).toMatchObject({ channel: 'github', status: 'opened', replied_at: null, url: `${fake.url}/acme/questions/issues/${fake.openedIssues(REPO)[0]!.number}` });
    const shown = await fetch(first.body.url);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('Reader question: Can I fax a transcript to my printer?');
    for (let index = 0; index < 3; index += 1) {
      const again = await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, {});
      expect([again.status, again.body]).toEqual([200, first.body]);
    }
    expect(fake.openedIssues(REPO)).toHaveLength(1);
    const issue = fake.openedIssues(REPO)[0]!;
    expect(issue.body).toContain('Can I fax a transcript to my printer?');

    const other = createClient(server.url);
    await other.post('/api/paste-assistant-thread');
    expectError(await other.post(`/api/paste-assistant-thread/${threadId}/handoff`, {}), 404, 'not_found');
    expectError(await other.get(`/api/paste-assistant-thread/${threadId}/handoff`), 404, 'not_found');
    expect(fake.openedIssues(REPO)).toHaveLength(1);

    const comment = {
      action: 'created',
      issue: { number: issue.number },
      comment: { id: 7001, body: 'Not by fax: export the transcript and print it.', author_association: 'MEMBER', user: { login: 'maintainer-ana', type: 'User' } },
      repository: { full_name: REPO },
    };
    const unsigned = await deliver(comment, { delivery: 'prod-d-0', isSigned: false });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect((await deliver(comment, { delivery: 'prod-d-1', secret: 'a-forged-secret-0123456789' })).status).toBe(401);
    const replies = async () =>
      ((await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data as { metadata: Record<string, unknown>; content: { text: { value: string } }[] }[]).filter(
        (message) => message.metadata.author === 'maintainer',
      );
    expect(await replies()).toEqual([]);

    const delivered = await deliver(comment, { delivery: 'prod-d-2' });
    expect(delivered.status).toBe(200);
    expect(await delivered.json()).toEqual({ ok: true, outcome: 'reply' });
    const replayed = await deliver(comment, { delivery: 'prod-d-2' });
    expect(replayed.status).toBe(200);
    expect(await replayed.json()).toEqual({ ok: true, outcome: 'duplicate' });
    const seen = await replies();
    expect(seen.map((reply) => [reply.content[0]!.text.value, reply.metadata])).toEqual([['Not by fax: export the transcript and print it.', { author: 'maintainer' }]]);
    const handoff = await reader.get(`/api/paste-assistant-thread/${threadId}/handoff`);
    expect(handoff.body.handoff).toMatchObject({ channel: 'github', url: first.body.url, replied_at: expect.any(Number) });

    // A stranger's comment is not the maintainers' reply.
    const stranger = { ...comment, comment: { ...comment.comment, id: 7002, body: 'Me too!', author_association: 'NONE', user: { login: 'someone' } } };
    expect(await (await deliver(stranger, { delivery: 'prod-d-3' })).json()).toEqual({ ok: true, outcome: 'ignored' });
    expect(await replies()).toHaveLength(1);
  });

  it('brings a signed maintainer comment holding NULs into the conversation without them, never a 5xx (issue 67)', async () => {
    const reader = createClient(server.url);
    const { threadId } = await answeredThread(reader, 'Can a toast stay until it is dismissed?');
    expect((await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, {})).status).toBe(201);
    const issue = fake.openedIssues(REPO).at(-1)!;
    const comment = {
      action: 'created',
      issue: { number: issue.number, title: 'Reader\u0000 question' },
      comment: { id: 7101, node_id: 'IC_\u0000x', body: 'Yes:\u0000 set its duration to \u0000null.', author_association: 'MEMBER', user: { login: 'maintainer\u0000-ana', type: 'User' } },
      repository: { full_name: REPO },
    };
    const delivered = await deliver(comment, { delivery: 'prod-d-nul' });
    expect(delivered.status).toBe(200);
    expect(await delivered.json()).toEqual({ ok: true, outcome: 'reply' });
    const messages = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data as { metadata: Record<string, unknown>; content: { text: { value: string } }[] }[];
    const replies = messages.filter((message) => message.metadata.author === 'maintainer').map((message) => message.content[0]!.text.value);
    expect(replies).toEqual(['Yes: set its duration to null.']);
  });

  it("caps the probe's script: 70 fresh sessions from one address open no issue without a question, and 10 with one; health counts the 60 refused", { timeout: 900_000 }, async () => {
    const FLOOD = { 'x-forwarded-for': '203.0.113.70' };
    const before = fake.openedIssues(REPO).length;
    /** 70 fresh sessions, `parallel` at a time, each making a conversation and handing it over. */
    const flood = async (isAsking: boolean) => {
      const statuses: number[] = [];
      const one = async (index: number) => {
        const session = createClient(server.url);
        const thread = await session.request('POST', '/api/paste-assistant-thread', { headers: FLOOD });
        expect(thread.status).toBe(200);
        if (isAsking) {
          const sent = await session.request('POST', '/api/paste-assistant-message', { json: { threadId: thread.body.id, message: `Can I fax transcript ${index} to my printer?` }, headers: FLOOD });
          expect(sent.body.run?.status, JSON.stringify(sent.body)).toBe('completed');
        }
        const handoff = await session.request('POST', `/api/paste-assistant-thread/${thread.body.id}/handoff`, { json: {}, headers: FLOOD });
        statuses.push(handoff.status);
        expect(Object.keys(handoff.body)).not.toContain('stack');
      };
      for (let index = 0; index < 70; index += 5) await Promise.all([0, 1, 2, 3, 4].map((offset) => one(index + offset)));
      return statuses;
    };
    // As the probe sent it: a conversation without a question is nothing to hand over.
    const empty = await flood(false);
    expect(empty.filter((status) => status === 409)).toHaveLength(70);
    expect(fake.openedIssues(REPO).length - before).toBe(0);
    // With a question answered in each: the address's 10 an hour, then 429.
    const asked = await flood(true);
    expect([asked.filter((status) => status === 201).length, asked.filter((status) => status === 429).length]).toEqual([10, 60]);
    expect(fake.openedIssues(REPO).length - before).toBe(10);
    const health = (await createClient(server.url).get('/api/health')).body.handoff;
    expect(health).toMatchObject({ limitsPerHour: { reader: 3, address: 10, site: 60 }, refusedLastDay: { reader: 0, address: 60, site: 0 }, lastRefusedHour: expect.any(String) });
  });

  it('answers 409 handoff_not_configured where HANDOFF_TO names no channel, and its webhook 404', async () => {
    const reader = mainClient();
    const { threadId } = await answeredThread(reader, 'Can I fax a transcript?');
    expectError(await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, {}), 409, 'handoff_not_configured');
    const webhook = await fetch(`${inject('mainUrl')}/api/github/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(webhook.status).toBe(404);
  });
});
