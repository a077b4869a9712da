import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createThreadForCaller, sendMessageForCaller } from '@/lib/assistant/service';
import { listMessagesByThread } from '@/lib/db/messages';
import { getSlackOutboxStats } from '@/lib/db/slack-outbox';
import { getThreadById } from '@/lib/db/threads';
import { signSlackRequest } from '@/lib/slack/events';
import { createTestApp } from '../helpers/app';
import { answer, chatDialect, scriptModel } from '../helpers/openai';
import { waitUntil } from '../helpers/models';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { createFakeSlack, readOutbox, SLACK_CHANNEL, SLACK_ENV, SLACK_TOKEN, type TFakeSlack } from '../helpers/slack';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// Two-way Slack: Slack's Events API at POST /api/slack/events, over real HTTP, against a real database, with
// Slack's Web API faked at the network edge (msw: chat.postMessage for the parent posts, users.info for names).

const SIGNING_SECRET = 'slack-signing-secret-for-tests-0123';
const OWNER = 'owner_events_aaaaaaaaaa';
const BOT_USER = 'U0BOTUSER';
const MAINTAINER = 'U0MAINTAINER';

const msw = setupServer();
let slack: TFakeSlack;
let app: TApp | undefined;
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
  await app?.db.close();
  app = undefined;
});
afterAll(() => msw.close());

async function setup(env: Record<string, string> = { SLACK_SIGNING_SECRET: SIGNING_SECRET }) {
  slack = createFakeSlack({ users: { [MAINTAINER]: { displayName: 'Ana (docs team)' } } });
  msw.use(slack.handler);
  app = await createTestApp({ env: { ...SLACK_ENV, ...env }, overrides: { reviewChannelOptions: { isAutoDelivering: false } } });
  server = await startTestServer(app);
  return { app, client: createClient(server.url) };
}

/** A conversation whose Slack parent was posted: the thread keeps the parent's ts. */
async function conversationInSlack(current: TApp) {
  const thread = await createThreadForCaller({ access: PUBLIC_ACCESS, deps: current, owner: OWNER });
  await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: current, owner: OWNER, threadId: thread.id, text: 'How do I create a Slack bot token?' });
  await waitUntil(async () => {
    await current.reviewChannel.deliverOutboxOnce();
    return (await getSlackOutboxStats({ db: current.db })).pending === 0;
  }, 10_000);
  const parentTs = (await getThreadById({ db: current.db, owner: OWNER, threadId: thread.id })).slack_thread_ts;
  expect(parentTs).toMatch(/^\d+\.\d+$/);
  return { threadId: thread.id, parentTs: parentTs as string };
}

let eventCounter = 0;
function messageEvent(fields: Record<string, unknown>, envelope: Record<string, unknown> = {}) {
  eventCounter += 1;
  return {
    token: 'deprecated-verification-token',
    team_id: 'T0TEAM',
    api_app_id: 'A0APP',
    type: 'event_callback',
    event_id: `Ev${String(eventCounter).padStart(8, '0')}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0TEAM', user_id: BOT_USER, is_bot: true }],
    event: { type: 'message', channel: SLACK_CHANNEL, channel_type: 'channel', user: MAINTAINER, ts: `1790000100.${String(eventCounter).padStart(6, '0')}`, ...fields },
    ...envelope,
  };
}

type TSend = { secret?: string; timestamp?: number; signature?: string; headers?: Record<string, string> };

/** POSTs `payload` as Slack does: the raw JSON, signed v0 over `v0:{timestamp}:{body}`. */
function sendEvent(client: ReturnType<typeof createClient>, payload: unknown, { secret = SIGNING_SECRET, timestamp, signature, headers = {} }: TSend = {}) {
  const body = JSON.stringify(payload);
  const ts = String(timestamp ?? Math.floor(Date.now() / 1000));
  return client.request('POST', '/api/slack/events', {
    body,
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': ts,
      'x-slack-signature': signature ?? signSlackRequest({ secret, timestamp: ts, body }),
      ...headers,
    },
  });
}

async function messagesOf(current: TApp, threadId: string) {
  return (await listMessagesByThread({ db: current.db, owner: OWNER, threadId, limit: 100, order: 'asc' })).data;
}

describe('POST /api/slack/events', () => {
  it('answers url_verification with its challenge when signed, and 401 for a forged, stale or unsigned request', async () => {
    const { client } = await setup();
    const verification = { token: 'x', challenge: 'challenge-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' };
    const ok = await sendEvent(client, verification);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ challenge: verification.challenge });

    const forged = await sendEvent(client, verification, { secret: 'not-the-signing-secret-at-all-000' });
    expect(forged.status).toBe(401);
    expect(forged.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    const stale = await sendEvent(client, verification, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    const future = await sendEvent(client, verification, { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 });
    expect(future.status).toBe(401);
    const unsigned = await client.request('POST', '/api/slack/events', { body: JSON.stringify(verification), headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(401);
    // The signature covers the exact bytes: the same JSON re-serialized with a space is not what was signed.
    const ts = String(Math.floor(Date.now() / 1000));
    const signedCompact = signSlackRequest({ secret: SIGNING_SECRET, timestamp: ts, body: JSON.stringify(verification) });
    const altered = await client.request('POST', '/api/slack/events', {
      body: JSON.stringify(verification, null, 1),
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': signedCompact },
    });
    expect(altered.status).toBe(401);
  });

  it('puts a maintainer reply in the reader’s thread with author metadata and the Slack name, once (retries deduplicated), and posts nothing back', async () => {
    const { app: current, client } = await setup();
    const { threadId, parentTs } = await conversationInSlack(current);
    const before = await messagesOf(current, threadId);
    const postsBefore = (await readOutbox(current.db)).length;

    const reply = messageEvent({ text: 'Hi! Use *Create New App* &gt; OAuth, see <https://api.slack.com/apps|the Slack apps page>.', thread_ts: parentTs });
    const first = await sendEvent(client, reply);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ ok: true });

    const after = await messagesOf(current, threadId);
    expect(after).toHaveLength(before.length + 1);
    const added = after[after.length - 1]!;
    expect(added).toMatchObject({
      role: 'assistant',
      run_id: null,
      status: 'completed',
      metadata: { author: 'maintainer', author_name: 'Ana (docs team)', slack_user: MAINTAINER, slack_ts: reply.event.ts },
    });
    expect(added.content[0]?.text.value).toBe('Hi! Use *Create New App* > OAuth, see [the Slack apps page](https://api.slack.com/apps).');
    // The name came from users.info with the bot token.
    expect(slack.calls.filter((call) => call.method === 'users.info')).toEqual([
      expect.objectContaining({ authorization: `Bearer ${SLACK_TOKEN}`, params: expect.objectContaining({ user: MAINTAINER }) }),
    ]);

    // Slack retries (same event id, a new signature): nothing more is added.
    const retry = await sendEvent(client, reply, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    expect(await messagesOf(current, threadId)).toHaveLength(before.length + 1);
    // The same Slack message under another event id is not added twice either.
    const again = await sendEvent(client, { ...reply, event_id: 'EvOTHER0001' });
    expect(again.status).toBe(200);
    expect(await messagesOf(current, threadId)).toHaveLength(before.length + 1);

    // The reply is in Slack already: nothing is queued to post it back.
    expect((await readOutbox(current.db)).length).toBe(postsBefore);
    // A second reply by the same person uses the remembered name (no second users.info).
    await sendEvent(client, messageEvent({ text: 'One more thing.', thread_ts: parentTs }));
    expect(await messagesOf(current, threadId)).toHaveLength(before.length + 2);
    expect(slack.calls.filter((call) => call.method === 'users.info')).toHaveLength(1);
  });

  it('tells the model, on the reader’s next question, that the maintainer’s reply was a person’s words and not its own answer', async () => {
    const model = scriptModel(chatDialect, [answer('Create the app, then copy its bot token.'), answer('Yes: the token starts with xoxb-.')]);
    msw.use(model.handler);
    const { app: current, client } = await setup({ SLACK_SIGNING_SECRET: SIGNING_SECRET, ...chatDialect.env });
    const { threadId, parentTs } = await conversationInSlack(current);
    expect((await sendEvent(client, messageEvent({ text: 'Also give the app the chat:write scope.', thread_ts: parentTs }))).status).toBe(200);

    const followUp = await sendMessageForCaller({ access: PUBLIC_ACCESS, deps: current, owner: OWNER, threadId, text: 'Does the token start with xoxb?' });
    expect(followUp.run.status).toBe('completed');
    const conversation = chatDialect.items(model.requests.at(-1)!.body).filter((item) => item.type === 'message');
    expect(conversation.map((item) => [item.role, item.content])).toEqual([
      ['user', 'How do I create a Slack bot token?'],
      ['assistant', 'Create the app, then copy its bot token.'],
      [
        'assistant',
        '[Not written by you: Ana (docs team), a maintainer of these docs, replied to the reader in person.]\n\nAlso give the app the chat:write scope.',
      ],
      ['user', 'Does the token start with xoxb?'],
    ]);
  });

  it('ignores the bot’s own posts, edits and other subtypes, other channels, top-level messages and unknown threads', async () => {
    const { app: current, client } = await setup();
    const { threadId, parentTs } = await conversationInSlack(current);
    const count = (await messagesOf(current, threadId)).length;
    const ignored = [
      messageEvent({ text: 'bot post', thread_ts: parentTs, bot_id: 'B0BOT', user: undefined }),
      messageEvent({ text: 'bot as user', thread_ts: parentTs, user: BOT_USER }),
      messageEvent({ text: 'edited', thread_ts: parentTs, subtype: 'message_changed' }),
      messageEvent({ text: 'joined', thread_ts: parentTs, subtype: 'channel_join' }),
      messageEvent({ text: 'elsewhere', thread_ts: parentTs, channel: 'C0OTHER' }),
      messageEvent({ text: 'top level' }),
      messageEvent({ text: 'the parent itself', ts: parentTs, thread_ts: parentTs }),
      messageEvent({ text: 'unknown thread', thread_ts: '1790009999.000001' }),
      messageEvent({ text: '   ', thread_ts: parentTs }),
      { type: 'event_callback', event_id: 'EvREACTION01', event: { type: 'reaction_added', user: MAINTAINER } },
    ];
    for (const payload of ignored) {
      const response = await sendEvent(client, payload);
      expect(response.status, JSON.stringify(payload)).toBe(200);
    }
    expect(await messagesOf(current, threadId)).toHaveLength(count);
    expect(slack.calls.filter((call) => call.method === 'users.info').length).toBeLessThanOrEqual(1);
  });

  it('a forged reply changes nothing; without a name from Slack the reply is from "A maintainer"', async () => {
    const { app: current, client } = await setup();
    const { threadId, parentTs } = await conversationInSlack(current);
    const count = (await messagesOf(current, threadId)).length;
    const forged = await sendEvent(client, messageEvent({ text: 'Click here: evil.example', thread_ts: parentTs }), { secret: 'forged-secret-000000000000000000' });
    expect(forged.status).toBe(401);
    const badSignature = await sendEvent(client, messageEvent({ text: 'Click here', thread_ts: parentTs }), { signature: `v0=${'0'.repeat(64)}` });
    expect(badSignature.status).toBe(401);
    expect(await messagesOf(current, threadId)).toHaveLength(count);

    const unknownUser = await sendEvent(client, messageEvent({ text: 'Fixed in the docs now.', thread_ts: parentTs, user: 'U0NOBODY' }));
    expect(unknownUser.status).toBe(200);
    const last = (await messagesOf(current, threadId)).at(-1)!;
    expect(last.metadata).toMatchObject({ author: 'maintainer', author_name: 'A maintainer', slack_user: 'U0NOBODY' });
  });

  it('is 404 when no signing secret is configured, and refuses a body that is not JSON (415)', async () => {
    const { client } = await setup({});
    const response = await sendEvent(client, { type: 'url_verification', challenge: 'abc' });
    expect(response.status).toBe(404);
    await server?.close();
    await app?.db.close();
    const configured = await setup();
    const form = await configured.client.request('POST', '/api/slack/events', { body: 'payload=%7B%7D', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
  });
});
