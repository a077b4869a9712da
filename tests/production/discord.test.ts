import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCHING_TEXT } from '@/lib/chat-doors/doors/discord/style';
import { buildDashboardUrl, buildReportUrl } from '@/lib/maintainers/links';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import {
  askInteraction,
  buttonInteraction,
  createDiscordKeys,
  FAKE_DISCORD_BOT_TOKEN,
  newSnowflake,
  signInteraction,
  startFakeDiscord,
  type TFakeDiscord,
  type TFakeDiscordMessage,
} from '../helpers/fake-discord';
import { createSeededDataDir } from '../helpers/pglite-template';
import { waitFor } from '../helpers/slack-events';
import { FAKE_SLACK_CHANNEL, startFakeSlack, type TFakeSlack, type TFakeSlackCall } from './helpers/fake-slack';
import { chatDoorServerEnv } from './helpers/chat-door-env';
import { PRODUCTION_SESSION_SECRET } from './helpers/global-setup';
import { holdKey, modelRequests, releaseModel } from './helpers/tier';

// Answers in Discord under `next start` of the production build: a server of this file's own (embedded PGlite,
// the tier's fake model as a Chat Completions server) with Discord's API faked on 127.0.0.1 (the wire format and
// its rate-limit headers) and interactions signed with an application key made here, and Slack's review channel
// faked too.

const APPLICATION_ID = '1000000000000000042';
const keys = createDiscordKeys();
const SOURCES = /\*\*Sources:\*\* \[[^\]]+\]\(<http:\/\/docs\.example\.test\/docs\/[^>]+>\)/;

let discord: TFakeDiscord;
let slack: TFakeSlack;
let server: TNextServer;

async function deliver(interaction: unknown, { headers }: { headers?: Record<string, string> } = {}) {
  const body = JSON.stringify(interaction);
  const response = await fetch(`${server.url}/api/discord/interactions`, {
    method: 'POST',
    headers: { ...signInteraction({ privateKey: keys.privateKey, body }), ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** The interaction's original response once it shows the finished answer (its buttons are there). */
async function finishedOriginal(token: string): Promise<TFakeDiscordMessage> {
  const read = async () => discord.original(token);
  const message = await waitFor(read, (current) => current !== undefined && current.components.length > 0, 30_000, `the answer to ${token}`);
  return message as TFakeDiscordMessage;
}

beforeAll(async () => {
  discord = await startFakeDiscord({ applicationId: APPLICATION_ID });
  slack = await startFakeSlack();
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-'),
    env: {
      ...chatDoorServerEnv({ slackApiUrl: slack.apiUrl, slackSigningSecret: '' }),
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_PUBLIC_KEY: keys.publicKey,
      DISCORD_BOT_TOKEN: FAKE_DISCORD_BOT_TOKEN,
      DISCORD_API_URL: discord.apiUrl,
    },
  });
});

afterAll(async () => {
  await server?.stop();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
  await discord?.close();
  await slack?.close();
});

describe('the Discord interactions endpoint (next start, PGlite)', () => {
  it('says in /api/health that answers in Discord are on', async () => {
    expect(((await (await fetch(`${server.url}/api/health`)).json()) as { modes: { discord: string } }).modes.discord).toBe('on');
  });

  it('answers a signed PING with PONG', async () => {
    expect(await deliver({ id: newSnowflake(), application_id: APPLICATION_ID, type: 1, token: 't', version: 1 })).toEqual({ status: 200, body: { type: 1 } });
  });

  it('refuses a forged signature, a missing one and a stale timestamp with 401, and records nothing', async () => {
    const interaction = askInteraction({ applicationId: APPLICATION_ID, question: 'Forged?', channelId: newSnowflake() });
    const body = JSON.stringify(interaction);
    const forged = signInteraction({ privateKey: createDiscordKeys().privateKey, body });
    const post = (headers: Record<string, string>) => fetch(`${server.url}/api/discord/interactions`, { method: 'POST', headers, body });
    const refused = await post(forged);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect((await post({ 'content-type': 'application/json' })).status).toBe(401);
    const stale = signInteraction({ privateKey: keys.privateKey, body, timestamp: String(Math.floor(Date.now() / 1000) - 600) });
    expect((await post(stale)).status).toBe(401);
    // A genuine signature of other bytes.
    const tampered = signInteraction({ privateKey: keys.privateKey, body: body.replace('Forged?', 'Other?') });
    expect((await post(tampered)).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(discord.original(interaction.token)).toBeUndefined();
  });

  it('refuses /ask whose question is an object, an array or a number as Discord never types it, and says so for a number option', async () => {
    const channelId = newSnowflake();
    const asked = (option: Record<string, unknown>) => {
      const interaction = askInteraction({ applicationId: APPLICATION_ID, question: 'x', channelId });
      return { ...interaction, data: { ...interaction.data, options: [{ name: 'question', ...option }] } };
    };
    const refused = [
      asked({ type: 3, value: { toString: 'x' } }),
      asked({ value: { toString: 'x' } }),
      asked({ type: 3, value: ['How', 'do I'] }),
      asked({ type: 3, value: 42 }),
      asked({ type: 4, value: 'forty-two' }),
    ];
    for (const interaction of refused) {
      const answer = await deliver(interaction);
      expect(answer.status, JSON.stringify(interaction.data.options)).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'bad_request', message: expect.any(String) });
    }
    // A number option where the question belongs (a command registered otherwise): said to the asker alone.
    const numbered = asked({ type: 4, value: 42 });
    expect(await deliver(numbered)).toEqual({
      status: 200,
      body: { type: 4, data: { content: expect.stringMatching(/^I only take text/), flags: 64, allowed_mentions: { parse: [] } } },
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const interaction of [...refused, numbered]) expect(discord.original(interaction.token)).toBeUndefined();
  });

  it('answers /ask whose signed interaction holds NULs (question, names, channel) without them, never a 5xx (issue 67)', async () => {
    const channelId = newSnowflake();
    const question = `How do I configure\u0000 Slack? (${Date.now()})`;
    const interaction = askInteraction({ applicationId: APPLICATION_ID, question, channelId });
    const user = { id: '1200000000000000001', username: 'ask\u0000er', global_name: 'As\u0000ker' };
    const withNuls = { ...interaction, channel: { ...interaction.channel, name: 'gen\u0000eral' }, member: { user, nick: 'n\u0000ick', roles: [] } };
    expect(await deliver(withNuls)).toEqual({ status: 200, body: { type: 5 } });
    const original = await finishedOriginal(interaction.token);
    expect(original.content).toMatch(SOURCES);
    const asked = (await modelRequests()).filter((request) => request.question === question.replace('\u0000', '') && request.kind === 'answer');
    expect(asked).toHaveLength(1);
  });

  it('answers /ask delivered twice once: deferred, then the response edited into the answer with sources, in a thread', async () => {
    const channelId = newSnowflake();
    const question = `How do I configure Slack? (${Date.now()})`;
    const interaction = askInteraction({ applicationId: APPLICATION_ID, question, channelId });
    expect(await deliver(interaction)).toEqual({ status: 200, body: { type: 5 } });
    expect(await deliver(interaction)).toEqual({ status: 200, body: { type: 5 } });
    const original = await finishedOriginal(interaction.token);
    expect(original.content).toMatch(/^The docs explain this in \[[^\]]+\]\(<http:\/\/docs\.example\.test\/docs\/[^>]+>\)/);
    expect(original.content).toMatch(SOURCES);
    expect(original.content.length).toBeLessThanOrEqual(2000);
    const edits = discord.calls.filter((call) => call.method === 'PATCH' && call.path.includes(interaction.token));
    expect((edits[0]?.body as { content: string }).content).toBe(SEARCHING_TEXT);
    // One thread, started from the response by the bot, named after the question.
    const threads = [...discord.threads.entries()].filter(([, thread]) => thread.parentChannelId === channelId);
    expect(threads).toHaveLength(1);
    expect(threads[0]![1]).toMatchObject({ messageId: original.id, name: question });
    const threadCalls = discord.calls.filter((call) => call.path.startsWith(`/channels/${channelId}/`));
    expect(threadCalls.every((call) => call.authorization === `Bot ${FAKE_DISCORD_BOT_TOKEN}`)).toBe(true);
    // Settled: the model answered the question once, and nothing more is written.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const asked = (await modelRequests()).filter((request) => request.question === question && request.kind === 'answer');
    expect(asked).toHaveLength(1);
    expect(discord.calls.filter((call) => call.path.includes(interaction.token)).length).toBe(edits.length);
    // The conversation is in the review channel, as the site's are.
    const reviewPosts = await waitFor(
      async () => ((await (await fetch(`${slack.controlUrl}/calls`)).json()) as { calls: TFakeSlackCall[] }).calls,
      (calls) => calls.some((call) => call.channel === FAKE_SLACK_CHANNEL && (call.text ?? '').includes(question.slice(-14))),
      15_000,
      'the conversation in the review channel',
    );
    expect(reviewPosts.length).toBeGreaterThan(0);
  });

  it('continues the conversation when /ask is used in the thread, and takes 👍 / 👎 as votes shown on the dashboard', async () => {
    const channelId = newSnowflake();
    const first = `How do I configure Slack? (${Date.now()})`;
    const opening = askInteraction({ applicationId: APPLICATION_ID, question: first, channelId });
    await deliver(opening);
    const answer = await finishedOriginal(opening.token);
    const threadId = [...discord.threads.entries()].find(([, thread]) => thread.messageId === answer.id)![0];

    const followUp = `And the signing secret? (${Date.now()})`;
    const inThread = askInteraction({ applicationId: APPLICATION_ID, question: followUp, channelId: threadId, channelType: 11 });
    expect(await deliver(inThread)).toEqual({ status: 200, body: { type: 5 } });
    const second = await finishedOriginal(inThread.token);
    expect(second.content).toMatch(SOURCES);
    const asked = (await modelRequests()).filter((request) => request.question === followUp && request.kind !== 'title');
    expect(asked[0]!.userMessages).toEqual([first, followUp]);
    // No second thread from inside a thread.
    expect([...discord.threads.values()].filter((thread) => thread.messageId === second.id)).toEqual([]);

    const buttons = (answer.components[0] as { components: { custom_id: string }[] }).components.map((button) => button.custom_id);
    expect(buttons).toEqual([expect.stringMatching(/^pa_vote:up:msg_/), expect.stringMatching(/^pa_vote:down:msg_/)]);
    // The review channel is on here and shows Discord's conversations with their votes: the maintainers read them.
    expect(answer.content).toContain('-# Did this help? Tell the maintainers with 👍 or 👎 below.');
    const up = await deliver(buttonInteraction({ applicationId: APPLICATION_ID, customId: buttons[0]!, channelId, userId: '1200000000000000101' }));
    expect(up).toMatchObject({ status: 200, body: { type: 4, data: { flags: 64, content: 'Thanks! Your 👍 is counted for the maintainers.' } } });
    const down = await deliver(buttonInteraction({ applicationId: APPLICATION_ID, customId: buttons[1]!, channelId, userId: '1200000000000000102' }));
    expect(down).toMatchObject({ status: 200, body: { type: 4, data: { flags: 64, content: 'Thanks — your 👎 is counted for the maintainers.' } } });
    // A button naming no answer of a Discord conversation is no vote.
    const forged = await deliver(buttonInteraction({ applicationId: APPLICATION_ID, customId: 'pa_vote:up:msg_nothere', channelId, userId: '1200000000000000103' }));
    expect(forged.body.data.content).toMatch(/cannot take a vote/);

    const { url } = buildReportUrl({ siteUrl: server.url, secret: PRODUCTION_SESSION_SECRET, ttlSeconds: 600, days: 1 });
    const report = (await (await fetch(url)).json()) as { votes: { up: number; down: number; down_items: { question: string }[] } };
    expect(report.votes.up).toBe(1);
    expect(report.votes.down).toBe(1);
    expect(report.votes.down_items.map((item) => item.question)).toContain(first);
    // The dashboard counts the conversations' questions as Discord's.
    const dashboard = buildDashboardUrl({ siteUrl: server.url, secret: PRODUCTION_SESSION_SECRET, ttlSeconds: 600, days: 7 });
    const html = await (await fetch(dashboard.url)).text();
    expect(html).toMatch(/Discord \d+/);
    expect(html).toMatch(/from (<!-- -->)?Discord/);
  });

  it('offers a model’s clarifying choices as buttons: only the person who asked may take one (issue 71 item 4)', async () => {
    const channelId = newSnowflake();
    const asker = '1200000000000000301';
    const opening = askInteraction({ applicationId: APPLICATION_ID, question: `How do I configure Slack? [[model:choices]] (${Date.now()})`, channelId, userId: asker });
    await deliver(opening);
    const answer = await finishedOriginal(opening.token);
    const choices = (answer.components[1] as { components: { label: string; custom_id: string }[] }).components;
    expect(choices.map((button) => button.label)).toEqual(['Slack', 'Discord']);
    const press = (userId: string) => buttonInteraction({ applicationId: APPLICATION_ID, customId: choices[1]!.custom_id, channelId, userId });
    // Someone else is told so, alone, and nothing is asked.
    expect(await deliver(press('1200000000000000302'))).toMatchObject({ status: 200, body: { type: 4, data: { flags: 64, content: 'Only the person who asked can choose.' } } });
    // The asker's press is deferred: the choice's question is on its way.
    expect(await deliver(press(asker))).toEqual({ status: 200, body: { type: 5 } });
  });

  it('splits a long answer into messages of at most 2,000 characters, the rest in the thread', async () => {
    // The fake model's huge answer (40,000 characters) ends the run incomplete at the answer limit: what was
    // written is shown, cut to a few messages, then the apology.
    const channelId = newSnowflake();
    const interaction = askInteraction({ applicationId: APPLICATION_ID, question: `How do I configure Slack? [[model:huge]] (${Date.now()})`, channelId });
    expect(await deliver(interaction)).toEqual({ status: 200, body: { type: 5 } });
    // A 40,000-character answer is written through Discord's rate-limited edits: on a loaded machine (the CI's lanes side
    // by side) it took longer than 30 s. The deadlines wait for what happens; they time nothing.
    const original = await waitFor(async () => discord.original(interaction.token), (message) => message?.content.includes('Writing…') === false && message.content !== SEARCHING_TEXT, 120_000, 'the first part');
    const threadId = [...discord.threads.entries()].find(([, thread]) => thread.messageId === original!.id)![0];
    const rest = await waitFor(
      async () => discord.messagesIn(threadId),
      (messages) => messages.some((message) => message.content.includes('Sorry, I couldn')),
      120_000,
      'the last part in the thread',
    );
    const parts = [discord.original(interaction.token)!, ...rest];
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.length).toBeLessThanOrEqual(5);
    for (const part of parts) expect(part.content.length).toBeLessThanOrEqual(2000);
    expect(parts[0]!.content).toMatch(/^word word/);
    expect(rest.at(-1)!.content).toMatch(/cut here[\s\S]*Sorry, I couldn't finish this answer\. The answer was cut off/);
    // No votes on an answer that did not complete.
    expect(parts.every((part) => part.components.length === 0)).toBe(true);
    // The rest was posted by the bot, in the thread.
    const posts = discord.calls.filter((call) => call.method === 'POST' && call.path === `/channels/${threadId}/messages`);
    expect(posts).toHaveLength(rest.length);
    expect(posts.every((call) => call.authorization === `Bot ${FAKE_DISCORD_BOT_TOKEN}`)).toBe(true);
  }, 300_000);

  it('waits out Discord’s 429 (retry_after) and still writes the answer', async () => {
    const question = `How do I configure Slack? (${Date.now()}) rate`;
    discord.rateLimitNext(2, 0.3);
    const interaction = askInteraction({ applicationId: APPLICATION_ID, question, channelId: newSnowflake(), guildId: null });
    expect(await deliver(interaction)).toEqual({ status: 200, body: { type: 5 } });
    const original = await finishedOriginal(interaction.token);
    expect(original.content).toMatch(SOURCES);
    expect(discord.calls.filter((call) => call.status === 429).length).toBeGreaterThanOrEqual(2);
    // A direct message: no thread.
    expect([...discord.threads.values()].filter((thread) => thread.messageId === original.id)).toEqual([]);
  });

  it('posts an answer full of mentions and a disguised link as data (issue 54, 1.11): nothing notifies, the link shows its address', async () => {
    const channelId = newSnowflake();
    const question = `@everyone How do I configure Slack? [[model:mentions]] (${Date.now()})`;
    const interaction = askInteraction({ applicationId: APPLICATION_ID, question, channelId });
    expect(await deliver(interaction)).toEqual({ status: 200, body: { type: 5 } });
    const original = await finishedOriginal(interaction.token);
    const text = original.content;
    // Discord's mentions, bracketed or by name, are not live: escaped, or broken by a zero-width space.
    expect(text).not.toMatch(/(?<!\\)<[@#]/);
    expect(text).not.toMatch(/(?<![\w\u200b])@(everyone|here)\b/);
    expect(text).toContain('\\<@&987654321\\>');
    // A labelled link to another site shows its address; the docs' link keeps its name; the image is a link, not shown.
    expect(text).not.toContain('Verify your account');
    expect(text).toContain('<https://evil.example/login>');
    expect(text).toContain('<https://evil.example/p.png>');
    expect(text).toMatch(/\[the Slack guide\]\(<http:\/\/docs\.example\.test\/docs\/configuration>\)/);
    // Every message we sent said that it mentions no one.
    const sent = discord.calls.filter((call) => call.path.includes(interaction.token) && call.body && !Array.isArray(call.body) && 'content' in call.body);
    expect(sent.length).toBeGreaterThan(0);
    for (const call of sent) expect((call.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [] });
    // The reader's words in the review channel are data too: their @everyone notifies no one there.
    const reviewPosts = await waitFor(
      async () => ((await (await fetch(`${slack.controlUrl}/calls`)).json()) as { calls: TFakeSlackCall[] }).calls,
      (calls) => calls.some((call) => call.channel === FAKE_SLACK_CHANNEL && (call.text ?? '').includes(question.slice(-14))),
      15_000,
      'the question in the review channel',
    );
    const posted = reviewPosts.filter((call) => call.channel === FAKE_SLACK_CHANNEL && (call.text ?? '').includes(question.slice(-14)));
    for (const call of posted) {
      expect(call.text).not.toMatch(/(?<![\w\u200b])@everyone\b/);
      expect(call.text).not.toMatch(/<[!@]/);
    }
    // An ephemeral reply (a vote's thanks) mentions no one either.
    const buttons = (original.components[0] as { components: { custom_id: string }[] }).components.map((button) => button.custom_id);
    const thanks = await deliver(buttonInteraction({ applicationId: APPLICATION_ID, customId: buttons[0]!, channelId, userId: '1200000000000000199' }));
    expect(thanks.body.data.allowed_mentions).toEqual({ parse: [] });
  });

  it('Stop under a research run’s progress: another member’s press stops nothing, the asker’s stops it and the last edit says so', async () => {
    type TComponents = { components: { custom_id: string; label?: string }[] }[];
    const key = holdKey();
    const channelId = newSnowflake();
    // The tier's model holds the research's first request: the run is in progress, its progress shown, when Stop is pressed.
    const research = askInteraction({ applicationId: APPLICATION_ID, question: `How do I get pinged in Slack? [[model:hold:${key}]]`, channelId });
    research.data.options.push({ name: 'mode', type: 3, value: 'research' });
    try {
      expect((await deliver(research)).body).toEqual({ type: 5 });
      const stopOf = (components: TComponents | undefined) => components?.flatMap((row) => row.components).find((button) => button.custom_id.startsWith('pa_stop:'));
      const progress = await waitFor(async () => discord.original(research.token), (message) => stopOf(message?.components as TComponents) !== undefined, 60_000, 'the progress with Stop');
      const stop = stopOf(progress!.components as TComponents)!;
      expect(stop.label).toBe('Stop');
      expect(stop.custom_id).toMatch(/^pa_stop:run_/);
      const press = (userId: string) => ({ ...buttonInteraction({ applicationId: APPLICATION_ID, customId: stop.custom_id, channelId, userId }), message: { id: progress!.id, channel_id: channelId } });

      const notAsker = await deliver(press('1200000000000000222'));
      expect(notAsker.body).toMatchObject({ type: 4, data: { content: 'Only the person who asked can stop this research.', flags: 64 } });
      expect(discord.original(research.token)!.content).not.toContain('stopped');

      expect(await deliver(press('1200000000000000001'))).toEqual({ status: 200, body: { type: 6 } });
      const last = await waitFor(async () => discord.original(research.token), (message) => (message?.content ?? '').includes('It was stopped.'), 30_000, 'the last edit');
      // The last edit names its components: none, so the button is gone.
      expect(last!.components).toEqual([]);
      const again = await deliver(press('1200000000000000001'));
      expect(again.body).toMatchObject({ type: 4, data: { content: 'That research has ended already.' } });
    } finally {
      await releaseModel(key);
    }
  });
});
