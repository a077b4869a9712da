import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { SEARCHING_TEXT } from '@/lib/chat-doors/doors/slack/style';
import { createTestApp } from '../helpers/app';
import { startChatServer, type TChatServer, type TMessage } from '../helpers/chat-server';
import { askInteraction, createDiscordKeys, FAKE_DISCORD_BOT_TOKEN, newSnowflake, signInteraction, startFakeDiscord, type TFakeDiscord } from '../helpers/fake-discord';
import { waitUntil } from '../helpers/models';
import { startTestServer, type TTestServer } from '../helpers/server';
import { createFakeSlack, SLACK_ENV, SLACK_FAILURES, type TFakeSlack } from '../helpers/slack';
import { BOT_USER as BOT, envelope, nextTs, postSlackEvent } from '../helpers/slack-events';
import { querySql } from '../helpers/stores';

// Research runs asked from the chat doors (issue 71): Slack's "research: <question>" and Discord's `/ask … mode:
// research` start a research run, whose steps (what it searched, what it read) edit ONE progress message, which
// then becomes the answer with its sources. The doors' routes over real HTTP (signed deliveries), a real database,
// Slack's Web API faked at the network edge (msw), the fake Discord on 127.0.0.1, and a scripted model on 127.0.0.1
// that waits, between its steps, until the door has shown the step before: so each step is seen, whatever the load.

const SIGNING_SECRET = 'slack-signing-secret-for-research-01';
const CHANNEL = 'C0RESEARCH';
const ASKER = 'U0ASKER';
const APPLICATION_ID = '1000000000000000098';
const REWRITTEN = ['Slack bot token scope', 'Slack channel id invite'];
const ANSWER = 'Invite the bot to the channel ([Choosing the channel](/docs/guides/slack#choosing-the-channel)).';
const keys = createDiscordKeys();

const msw = setupServer();
let slack: TFakeSlack;
let discord: TFakeDiscord | undefined;
let model: TChatServer | undefined;
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
  await model?.close();
  model = undefined;
  await discord?.close();
  discord = undefined;
});
afterAll(() => msw.close());

const rounds = (messages: TMessage[]) => messages.filter((message) => message.role === 'assistant' && message.tool_calls).length;

/**
 * The research model: two rewritten searches, a page read, more searches until the steps run out, then the answer.
 * Before its second step it waits until the door shows the first searches, before its third until it shows the read
 * page; `beforeAnswer` runs before the answer's request is answered.
 */
async function startResearchModel({ shown, beforeAnswer = () => {} }: { shown: () => string[]; beforeAnswer?: () => void }) {
  const seen = (pattern: RegExp) => waitUntil(() => shown().some((text) => pattern.test(text)), 30_000);
  return startChatServer({
    hold: ({ messages }) => {
      const done = rounds(messages);
      if (done === 1) return seen(/searched ‘Slack bot token scope’ \(\d+ results?\), searched ‘Slack channel id invite’ \(\d+ results?\)/);
      if (done === 2) return seen(/searched ‘Slack channel id invite’ \(\d+ results?\), read ‘[^’]+’ \(\d+ sections?\)/);
      return undefined;
    },
    script: ({ messages, hasTools }) => {
      if (!hasTools) {
        beforeAnswer();
        return { text: ANSWER };
      }
      const done = rounds(messages);
      if (done === 0) return { calls: REWRITTEN.map((prompt) => ({ name: 'get_relevant_docs', arguments: JSON.stringify({ prompt }) })) };
      if (done === 1) return { calls: [{ name: 'read_page', arguments: JSON.stringify({ url: '/docs/guides/slack' }) }] };
      return { calls: [{ name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: `Slack notifications ${done}` }) }] };
    },
  });
}

const modelEnv = (url: string) => ({ OPENAI_BASE_URL: url, OPENAI_MODEL: 'local-model', OPENAI_RETRY_BASE_MS: '1', RESEARCH_MAX_STEPS: '4' });
const DOOR_OPTIONS = { pollMs: 50, updateIntervalMs: 50, backoffBaseMs: 50, backoffMaxMs: 200 };

async function runModes(current: TApp) {
  return (await querySql<{ mode: string | null }>(current.db, "select coalesce(options->>'mode', 'quick') as mode from assistant_run order by created_at")).rows.map((row) => row.mode);
}

describe('research in Slack', () => {
  async function setup(env: Record<string, string> = {}) {
    slack = createFakeSlack();
    msw.use(slack.handler);
    app = await createTestApp({
      env: { ...SLACK_ENV, SLACK_SIGNING_SECRET: SIGNING_SECRET, ...env },
      overrides: { reviewChannelOptions: { isAutoDelivering: false }, chatDoorsOptions: DOOR_OPTIONS },
    });
    server = await startTestServer(app);
    return app;
  }
  const ask = async (text: string) => {
    const payload = envelope({ type: 'app_mention', channel: CHANNEL, user: ASKER, text: `<@${BOT}> ${text}`, ts: nextTs() });
    expect((await postSlackEvent(server!.url, payload, { secret: SIGNING_SECRET })).status).toBe(200);
    return payload.event.ts as string;
  };
  const posted = (ts: string) => slack.delivered().filter((call) => call.method === 'chat.postMessage' && call.channel === CHANNEL && call.threadTs === ts);
  const updatesOf = (replyTs: string) => slack.delivered().filter((call) => call.method === 'chat.update' && call.ts === replyTs).map((call) => call.text ?? '');
  const replyTs = (ts: string) => {
    const [reply] = posted(ts);
    return reply && reply.outcome.ok ? reply.outcome.ts : '';
  };
  const allUpdates = () => slack.delivered().filter((call) => call.method === 'chat.update').map((call) => call.text ?? '');

  it('"research: …" posts one progress message, edits it with each step in order, and ends it as the answer with its sources', async () => {
    model = await startResearchModel({ shown: allUpdates });
    const current = await setup(modelEnv(model.url));
    const ts = await ask('research: How do I get pinged in Slack?');
    await waitUntil(() => updatesOf(replyTs(ts)).some((text) => text.includes('Sources:')), 45_000);

    expect(posted(ts)).toHaveLength(1);
    expect(posted(ts)[0]!.text).toBe('Researching…');
    const updates = updatesOf(replyTs(ts));
    const progress = updates.filter((text) => text.startsWith('Researching…'));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const firstSearch = progress.findIndex((text) => text.includes('searched ‘Slack bot token scope’ ('));
    const firstRead = progress.findIndex((text) => /read ‘[^’]+’ \(\d+ sections?\)/.test(text));
    expect(firstSearch).toBeGreaterThanOrEqual(0);
    expect(firstRead).toBeGreaterThan(firstSearch);
    const final = updates[updates.length - 1]!;
    expect(final).toMatch(/\*Sources:\* <https:\/\/docs\.example\.com\/docs\/guides\/slack[^|>]*\|[^>]+>/);
    expect(final).not.toContain('Researching…');
    // The run asked was a research run, with the question without its "research:".
    expect(await runModes(current)).toEqual(['research']);
    const question = (await querySql<{ text: string }>(current.db, "select content->0->'text'->>'value' as text from assistant_message where role = 'user'")).rows[0];
    expect(JSON.stringify(question)).not.toMatch(/research:/i);
  });

  it('still delivers the answer when Slack rate-limits the edit that carries it', async () => {
    model = await startResearchModel({ shown: allUpdates, beforeAnswer: () => slack.failNext(SLACK_FAILURES.rateLimited(1)) });
    await setup(modelEnv(model.url));
    const ts = await ask('research: How do I get pinged in Slack?');
    await waitUntil(() => updatesOf(replyTs(ts)).some((text) => text.includes('Sources:')), 45_000);
    expect(slack.calls.some((call) => !call.outcome.ok && call.method === 'chat.update')).toBe(true);
    expect(posted(ts)).toHaveLength(1);
    const updates = updatesOf(replyTs(ts));
    expect(updates[updates.length - 1]).toMatch(/\*Sources:\*/);
  });

  it('a question without "research:" is answered as before: "Searching the docs…", a quick run, no steps', async () => {
    const current = await setup();
    const ts = await ask('How do I create a Slack bot token?');
    await waitUntil(() => updatesOf(replyTs(ts)).some((text) => text.includes('Sources:')), 45_000);
    expect(posted(ts).map((call) => call.text)).toEqual([SEARCHING_TEXT]);
    expect(updatesOf(replyTs(ts)).some((text) => text.includes('Researching'))).toBe(false);
    expect(await runModes(current)).toEqual(['quick']);
  });
});

describe('research in Discord', () => {
  async function setup(env: Record<string, string> = {}) {
    discord = await startFakeDiscord({ applicationId: APPLICATION_ID });
    app = await createTestApp({
      env: { DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_PUBLIC_KEY: keys.publicKey, DISCORD_BOT_TOKEN: FAKE_DISCORD_BOT_TOKEN, DISCORD_API_URL: discord.apiUrl, ...env },
      overrides: { chatDoorsOptions: DOOR_OPTIONS },
    });
    server = await startTestServer(app);
    return app;
  }
  const deliver = async (interaction: unknown) => {
    const body = JSON.stringify(interaction);
    const response = await fetch(`${server!.url}/api/discord/interactions`, { method: 'POST', headers: signInteraction({ privateKey: keys.privateKey, body }), body });
    return { status: response.status, body: (await response.json()) as { type: number; data?: { content?: string } } };
  };
  const ask = (question: string, mode?: unknown) => {
    const interaction = askInteraction({ applicationId: APPLICATION_ID, question, channelId: newSnowflake() });
    if (mode !== undefined) interaction.data.options.push({ name: 'mode', type: 3, value: mode as string });
    return interaction;
  };
  /** What each PATCH of the interaction's original response wrote, in order. */
  const editsOf = (token: string) =>
    (discord?.calls ?? [])
      .filter((call) => call.method === 'PATCH' && call.status < 300 && call.path.endsWith(`/${token}/messages/@original`))
      .map((call) => String((call.body as { content?: unknown }).content ?? ''));
  const allEdits = () => (discord?.calls ?? []).filter((call) => call.method === 'PATCH' && call.status < 300).map((call) => String((call.body as { content?: unknown }).content ?? ''));

  it('/ask with mode research edits one response with each step in order, then the answer with its sources', async () => {
    model = await startResearchModel({ shown: allEdits });
    const current = await setup(modelEnv(model.url));
    const interaction = ask('How do I get pinged in Slack?', 'research');
    expect((await deliver(interaction)).body).toEqual({ type: 5 });
    await waitUntil(() => /\*\*Sources:\*\*/.test(discord!.original(interaction.token)?.content ?? ''), 45_000);

    const edits = editsOf(interaction.token);
    expect(edits[0]).toBe('Researching…');
    const progress = edits.filter((text) => text.startsWith('Researching…'));
    expect(progress.length).toBeGreaterThanOrEqual(3);
    const firstSearch = progress.findIndex((text) => text.includes('searched ‘Slack bot token scope’ ('));
    const firstRead = progress.findIndex((text) => /read ‘[^’]+’ \(\d+ sections?\)/.test(text));
    expect(firstSearch).toBeGreaterThan(0);
    expect(firstRead).toBeGreaterThan(firstSearch);
    expect(discord!.original(interaction.token)!.content).toMatch(/\*\*Sources:\*\* \[Slack notifications[^\]]*\]\(<[^>]+\/docs\/guides\/slack#/);
    // Nothing else was posted for the progress: no follow-up messages in the channel.
    expect((discord?.calls ?? []).filter((call) => call.method === 'POST' && call.path.includes(`/${interaction.token}`))).toHaveLength(0);
    expect(await runModes(current)).toEqual(['research']);
  });

  it('still delivers the answer when Discord rate-limits the edit that carries it', async () => {
    model = await startResearchModel({ shown: allEdits, beforeAnswer: () => discord!.rateLimitNext(1, 1) });
    await setup(modelEnv(model.url));
    const interaction = ask('How do I get pinged in Slack?', 'research');
    await deliver(interaction);
    await waitUntil(() => /\*\*Sources:\*\*/.test(discord!.original(interaction.token)?.content ?? ''), 45_000);
    expect(discord!.calls.some((call) => call.status === 429)).toBe(true);
  });

  it('/ask without mode is a quick run as before; a mode that is no choice is refused, nothing asked', async () => {
    const current = await setup();
    const quick = ask('How do I install it?');
    await deliver(quick);
    await waitUntil(() => /\*\*Sources:\*\*|docs don't cover this/.test(discord!.original(quick.token)?.content ?? ''), 45_000);
    expect(editsOf(quick.token).some((text) => text.includes('Researching'))).toBe(false);
    expect(await runModes(current)).toEqual(['quick']);

    const odd = await deliver(ask('How do I install it?', 'deep'));
    expect(odd.status).toBe(200);
    expect(odd.body.type).toBe(4);
    expect(odd.body.data?.content).toMatch(/research.*quick/);
    expect(await runModes(current)).toEqual(['quick']);
  });
});
