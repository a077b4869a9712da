import { describe, expect, inject, it } from 'vitest';
import { buildDashboardUrl } from '@/lib/maintainers/links';
import { signSlackRequest } from '@/lib/slack/events';
import { FAKE_SLACK_CHANNEL, type TFakeSlackCall } from './helpers/fake-slack';
import { PRODUCTION_MAINTAINER_TOKEN, PRODUCTION_SITE_URL, PRODUCTION_SLACK_SIGNING_SECRET } from './helpers/global-setup';
import { answeredThread, mainClient, slackCalls } from './helpers/tier';

// The maintainers' loop under `next start`: Slack's Events API (signature, challenge, a reply that reaches the
// reader), the dashboard behind its token or a signed link, and a thumbs-down with a reason.

const eventsUrl = () => `${inject('mainUrl')}/api/slack/events`;

function postEvent(payload: unknown, { secret = PRODUCTION_SLACK_SIGNING_SECRET, ageSeconds = 0 } = {}) {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000) - ageSeconds);
  return fetch(eventsUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signSlackRequest({ secret, timestamp, body }) },
    body,
  });
}

/** The ts of a conversation's Slack parent: the thread_ts of the reply that carried `question`. */
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

describe('POST /api/slack/events', () => {
  it('is 401 unsigned, forged or stale, and answers a signed url_verification with its challenge', async () => {
    const verification = { type: 'url_verification', token: 'x', challenge: 'production-challenge-123' };
    const unsigned = await fetch(eventsUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(verification) });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect((await postEvent(verification, { secret: 'forged-secret-forged-secret-0000' })).status).toBe(401);
    expect((await postEvent(verification, { ageSeconds: 400 })).status).toBe(401);
    const ok = await postEvent(verification);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ challenge: 'production-challenge-123' });
  });

  it('puts a maintainer’s reply in the reader’s thread, once', async () => {
    const reader = mainClient();
    const question = `How do maintainers reply from Slack? (${Date.now()})`;
    const { threadId } = await answeredThread(reader, question);
    const threadTs = await parentTsOf(question);
    const reply = {
      type: 'event_callback',
      event_id: `EvPROD${Date.now()}`,
      authorizations: [{ user_id: 'U0BOT', is_bot: true }],
      event: { type: 'message', channel: FAKE_SLACK_CHANNEL, user: 'U0ANA', text: 'We answer in the Slack thread.', ts: `${Math.floor(Date.now() / 1000)}.000100`, thread_ts: threadTs },
    };
    expect((await postEvent(reply)).status).toBe(200);
    expect((await postEvent(reply)).status).toBe(200);
    const messages = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data as { role: string; metadata: Record<string, unknown>; content: { text: { value: string } }[] }[];
    const fromSlack = messages.filter((message) => message.metadata.author === 'maintainer');
    expect(fromSlack).toHaveLength(1);
    // Readers learn that a maintainer replied, not who: no name, no Slack user, no Slack message ts.
    expect(fromSlack[0]).toMatchObject({ role: 'assistant', metadata: { author: 'maintainer' } });
    expect(fromSlack[0]!.metadata).toEqual({ author: 'maintainer' });
    expect(JSON.stringify(messages)).not.toMatch(/U0ANA|slack_ts|slack_user|author_name/);
    expect(fromSlack[0]!.content[0]!.text.value).toBe('We answer in the Slack thread.');
  });
});

describe('/maintainers', () => {
  it('is 401 without a token or link, 200 with the bearer token or a signed link, with charts and tables', async () => {
    const reader = mainClient();
    const { threadId, answerId } = await answeredThread(reader, 'xyzzy plugh frobnicate');
    const vote = await reader.post('/api/paste-assistant-message-vote', { threadId, messageId: answerId, vote: 'down', reason: 'Nothing about frobnicating.' });
    expect(vote.status).toBe(200);
    expect(vote.body).toMatchObject({ vote: 'down', reason: 'Nothing about frobnicating.' });

    const url = `${inject('mainUrl')}/maintainers`;
    const denied = await fetch(url);
    expect(denied.status).toBe(401);
    const deniedHtml = await denied.text();
    expect(deniedHtml).toContain('Maintainer token');
    expect(deniedHtml).not.toContain(PRODUCTION_MAINTAINER_TOKEN);
    expect((await fetch(url, { headers: { authorization: 'Bearer not-the-maintainer-token' } })).status).toBe(401);

    const page = await fetch(`${url}?days=7`, { headers: { authorization: `Bearer ${PRODUCTION_MAINTAINER_TOKEN}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('x-robots-tag')).toMatch(/noindex/);
    expect(page.headers.get('cache-control')).toMatch(/no-store/);
    const html = await page.text();
    expect(html).toContain('Maintainers’ dashboard');
    expect(html.match(/<svg role="img" aria-labelledby="[^"]+" viewBox="[^"]+" width="100%"[^>]*data-chart=/g)?.length).toBe(5);
    expect(html).toContain('Questions per day');
    // The fifth chart: the grades' answered rate per day (issue 69).
    expect(html).toContain('Answer grades per day');
    expect(html).toContain('Answered vs not covered');
    expect(html).toContain('xyzzy plugh frobnicate');
    expect(html).toContain('Nothing about frobnicating.');
    expect(html).toMatch(/<table/);
    expect(html).not.toContain(PRODUCTION_MAINTAINER_TOKEN);

    const signed = buildDashboardUrl({ siteUrl: PRODUCTION_SITE_URL, secret: inject('sessionSecret'), ttlSeconds: 600 }).url.replace(PRODUCTION_SITE_URL, inject('mainUrl'));
    expect((await fetch(signed)).status).toBe(200);
    expect((await fetch(signed.replace(/sig=[\w-]{43}/, `sig=${'A'.repeat(43)}`))).status).toBe(401);
  });
});
