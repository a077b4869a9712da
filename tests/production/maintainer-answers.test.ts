import { describe, expect, inject, it } from 'vitest';
import { signSlackRequest } from '@/lib/slack/events';
import { FAKE_SLACK_CHANNEL, type TFakeSlackCall } from './helpers/fake-slack';
import { PRODUCTION_MAINTAINER_TOKEN, PRODUCTION_SLACK_SIGNING_SECRET } from './helpers/global-setup';
import { answeredThread, mainClient, slackCalls, type TClient } from './helpers/tier';

// The maintainers' answers under `next start`: a maintainer's reply in the review channel (a signed Events API
// callback) is proposed; GET / POST /api/maintainers/answers behind the maintainer's token, with the error
// contract; approved, the answer is found by a question in other words, with its page and .md twin; retracted or
// rejected, search and the page forget it at once. The words are this file's own (a made-up product), so that
// the tier's other files never meet its answers.

const BEARER = { authorization: `Bearer ${PRODUCTION_MAINTAINER_TOKEN}` };
const run = Date.now().toString(36);

async function parentTsOf(question: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const calls: TFakeSlackCall[] = await slackCalls();
    const reply = calls.find((call) => call.method === 'chat.postMessage' && call.threadTs !== null && call.text?.includes(question));
    if (reply?.threadTs) return reply.threadTs;
    if (Date.now() > deadline) throw new Error(`no Slack reply with ${question}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function replyFromSlack(threadTs: string, text: string) {
  const body = JSON.stringify({
    type: 'event_callback',
    event_id: `EvANS${run}${Math.random().toString(36).slice(2, 8)}`,
    authorizations: [{ user_id: 'U0BOT', is_bot: true }],
    event: { type: 'message', channel: FAKE_SLACK_CHANNEL, user: 'U0ZORA', text, ts: `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`, thread_ts: threadTs },
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`${inject('mainUrl')}/api/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signSlackRequest({ secret: PRODUCTION_SLACK_SIGNING_SECRET, timestamp, body }),
    },
    body,
  });
  expect(response.status).toBe(200);
}

type TAnswer = { id: number; question: string; answer: string; status: string; createdAt: string; decidedAt: string | null; url?: string };

/** A reader's question, a maintainer's reply to it from Slack, and the proposal it became (the question's first sentence is unique). */
async function proposedAnswer(maintainer: TClient, question: string, reply: string): Promise<TAnswer> {
  const reader = mainClient();
  await answeredThread(reader, question);
  const marker = question.split(')')[0] as string;
  await replyFromSlack(await parentTsOf(marker), reply);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const listed = await maintainer.get('/api/maintainers/answers', BEARER);
    expect(listed.status).toBe(200);
    const found = (listed.body.proposed as TAnswer[]).find((answer) => answer.question.startsWith(marker));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no proposal for ${question}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const decide = (client: TClient, json: unknown, headers: Record<string, string> = BEARER) => client.request('POST', '/api/maintainers/answers', { json, headers });
const answerUrls = async (client: TClient, prompt: string) =>
  ((await client.post('/api/docs-search', { prompt, limit: 10 })).body.data as { kind: string; url: string }[]).filter((hit) => hit.kind === 'answer').map((hit) => hit.url);

describe('maintainers’ answers (next start)', () => {
  it('proposes a reply from Slack; approved, a question in other words finds it, with its page and twin; retracted, all are gone', async () => {
    const maintainer = mainClient();
    const question = `Does the Quillmark gadget flicker in Firefox when zoomed? (${run}) Mail me: reader.${run}@example.com`;
    const proposal = await proposedAnswer(maintainer, question, 'Yes: Firefox repaints the Quillmark gadget on zoom; set quillmarkStableZoom to true.');
    expect(proposal.answer).toBe('Yes: Firefox repaints the Quillmark gadget on zoom; set quillmarkStableZoom to true.');
    expect(proposal.question).not.toContain('@example.com');
    expect(JSON.stringify(proposal)).not.toContain('U0ZORA');

    const reader = mainClient();
    const otherWords = 'Why is the Quillmark gadget flickering after zooming in Firefox?';
    expect(await answerUrls(reader, otherWords)).toEqual([]);
    const approved = await decide(maintainer, { id: proposal.id, status: 'approved' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: proposal.id, status: 'approved', url: `/docs/answers/${proposal.id}` });
    expect(await answerUrls(reader, otherWords)).toEqual([`/docs/answers/${proposal.id}`]);
    const [hit] = (await reader.post('/api/docs-search', { prompt: otherWords, limit: 10 })).body.data as Record<string, unknown>[];
    expect(hit).toMatchObject({ kind: 'answer', answeredAt: new Date().toISOString().slice(0, 10) });

    const page = await fetch(`${inject('mainUrl')}/docs/answers/${proposal.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Answered by the maintainers (');
    expect(html).toContain('set quillmarkStableZoom to true');
    expect(html).not.toContain(`reader.${run}@example.com`);
    const twin = await fetch(`${inject('mainUrl')}/docs/answers/${proposal.id}.md`);
    expect(twin.status).toBe(200);
    expect(twin.headers.get('content-type')).toContain('text/markdown');
    expect(await twin.text()).toMatch(/^# Does the Quillmark gadget flicker in Firefox when zoomed\?[\s\S]*> Answered by the maintainers \(\d{4}-\d{2}-\d{2}\)/);

    expect((await decide(maintainer, { id: proposal.id, status: null })).body).toMatchObject({ status: 'proposed' });
    expect(await answerUrls(reader, otherWords)).toEqual([]);
    expect((await fetch(`${inject('mainUrl')}/docs/answers/${proposal.id}`)).status).toBe(404);
    expect((await fetch(`${inject('mainUrl')}/docs/answers/${proposal.id}.md`)).status).toBe(404);
  });

  it('never shows a rejected answer', async () => {
    const maintainer = mainClient();
    const proposal = await proposedAnswer(maintainer, `Can the Zephyrine widget export to Parquet? (${run})`, 'No, the Zephyrine widget exports Parquet only through its plugin.');
    expect((await decide(maintainer, { id: proposal.id, status: 'rejected' })).body).toMatchObject({ status: 'rejected' });
    const listed = (await maintainer.get('/api/maintainers/answers', BEARER)).body as { rejected: TAnswer[] };
    expect(listed.rejected.map((answer) => answer.id)).toContain(proposal.id);
    expect(await answerUrls(mainClient(), 'Zephyrine widget Parquet export plugin')).toEqual([]);
    expect((await fetch(`${inject('mainUrl')}/docs/answers/${proposal.id}`)).status).toBe(404);
  });

  it('keeps the error contract: 401 without the token, 400 for a bad body, 404 for an unknown id or page', async () => {
    const anyone = mainClient();
    const denied = await anyone.get('/api/maintainers/answers');
    expect(denied.status).toBe(401);
    expect(denied.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect((await decide(anyone, { id: 1, status: 'approved' }, { authorization: 'Bearer not-the-token' })).status).toBe(401);
    const maintainer = mainClient();
    const listed = await maintainer.get('/api/maintainers/answers', BEARER);
    expect(listed.headers.get('cache-control')).toContain('no-store');
    expect(Object.keys(listed.body).sort()).toEqual(['approved', 'proposed', 'rejected']);
    for (const body of [{ id: 1, status: 'published' }, { id: 'one', status: 'approved' }, { id: 1 }, { id: 1, status: 'approved', answer: '' }, { id: 1, status: null, extra: true }]) {
      const bad = await decide(maintainer, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
    }
    const unknown = await decide(maintainer, { id: 999_999_999, status: 'approved' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect((await fetch(`${inject('mainUrl')}/docs/answers/999999999`)).status).toBe(404);
    expect((await fetch(`${inject('mainUrl')}/docs/answers/not-a-number`)).status).toBe(404);
    expect((await fetch(`${inject('mainUrl')}/docs/answers/999999999.md`)).status).toBe(404);
  });
});
