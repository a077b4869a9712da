import { afterEach, describe, expect, it } from 'vitest';
import type { TApp, TAppOverrides } from '@/lib/app';
import { claimChatInboxBatch, recordChatInbox } from '@/lib/db/chat-inbox';
import { DISCORD_DOOR } from '@/lib/chat-doors/doors/discord/interactions';
import { createTestApp } from '../helpers/app';
import { createTestDb } from '../helpers/pglite-template';
import { askInteraction, createDiscordKeys, FAKE_DISCORD_BOT_TOKEN, newSnowflake, signInteraction, startFakeDiscord, type TFakeDiscord } from '../helpers/fake-discord';
import { buildScriptedModel, waitUntil } from '../helpers/models';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { querySql } from '../helpers/stores';

// Answers in Discord when Discord misbehaves: the route handlers over real HTTP, a real database, the offline
// model, and the fake Discord on 127.0.0.1 failing on demand. A passing fault is retried, a refusal to start a
// thread still gets the answer (in the channel), and an expired interaction token ends the row for good.

const APPLICATION_ID = '1000000000000000099';
const keys = createDiscordKeys();
let discord: TFakeDiscord | undefined;
let app: TApp | undefined;
let server: TTestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  await app?.db.close();
  app = undefined;
  await discord?.close();
  discord = undefined;
});

async function setup(overrides: TAppOverrides = {}) {
  discord = await startFakeDiscord({ applicationId: APPLICATION_ID });
  app = await createTestApp({
    env: { DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_PUBLIC_KEY: keys.publicKey, DISCORD_BOT_TOKEN: FAKE_DISCORD_BOT_TOKEN, DISCORD_API_URL: discord.apiUrl },
    overrides: { chatDoorsOptions: { pollMs: 50, updateIntervalMs: 50, backoffBaseMs: 50, backoffMaxMs: 200 }, ...overrides },
  });
  server = await startTestServer(app);
  return { discord, app, client: createClient(server.url) };
}

async function deliver(interaction: unknown) {
  const body = JSON.stringify(interaction);
  const response = await fetch(`${server!.url}/api/discord/interactions`, { method: 'POST', headers: signInteraction({ privateKey: keys.privateKey, body }), body });
  expect(response.status).toBe(200);
  return (await response.json()) as { type: number };
}

const row = async (current: TApp, id: string) =>
  (await querySql<{ status: string; outcome: string | null; token: string; attempts: number; discord_thread_id: string | null }>(current.db, `select status, outcome, secret as token, attempts, door_data->>'discord_thread_id' as discord_thread_id from chat_inbox where door = 'discord' and delivery_id = $1`, [id])).rows[0];

describe('answers in Discord when Discord fails', () => {
  it('retries a 5xx and answers once; the interaction token is gone once the row is done', async () => {
    const { discord, app } = await setup();
    discord.failNext({ path: /messages\/@original$/, status: 502 });
    const interaction = askInteraction({ applicationId: APPLICATION_ID, question: 'How do I install it?', channelId: newSnowflake() });
    expect(await deliver(interaction)).toEqual({ type: 5 });
    await waitUntil(async () => (await row(app, interaction.id))?.status === 'done', 20_000);
    const done = await row(app, interaction.id);
    expect(done).toMatchObject({ status: 'done', token: '' });
    expect(done!.attempts).toBe(1);
    expect(discord.calls.filter((call) => call.status === 502)).toHaveLength(1);
    expect(discord.original(interaction.token)!.content).toMatch(/\*\*Sources:\*\*|docs don't cover this/);
    expect((await querySql<{ n: number }>(app.db, `select count(*)::int as n from assistant_run r join assistant_thread t on t.id = r.thread_id where t.owner like 'discord:%'`)).rows[0]!.n).toBe(1);
  });

  it('answers in the channel when the bot may not start a thread there', async () => {
    const { discord, app } = await setup();
    discord.failNext({ path: /\/threads$/, status: 403 });
    const interaction = askInteraction({ applicationId: APPLICATION_ID, question: 'How do I install it?', channelId: newSnowflake() });
    await deliver(interaction);
    await waitUntil(async () => (await row(app, interaction.id))?.status === 'done', 20_000);
    expect(await row(app, interaction.id)).toMatchObject({ status: 'done', outcome: 'answered', discord_thread_id: '' });
    expect(discord.threads.size).toBe(0);
    expect(discord.original(interaction.token)!.components).toHaveLength(1);
  });

  it('follows up in the channel when the bot may not post in its thread, the buttons on the last message', async () => {
    const paragraphs = Array.from({ length: 12 }, (_, n) => `Paragraph ${n}: ${'the toast stays until it is dismissed, '.repeat(8).trim()}.`);
    const { discord, app } = await setup({ model: buildScriptedModel([{ type: 'message', text: paragraphs.join('\n\n') }]) });
    discord.failNext({ path: /^\/channels\/\d+\/messages$/, status: 403, count: 10 });
    const interaction = askInteraction({ applicationId: APPLICATION_ID, question: 'How long does a toast stay?', channelId: newSnowflake() });
    await deliver(interaction);
    await waitUntil(async () => (await row(app, interaction.id))?.status === 'done', 20_000);
    expect(await row(app, interaction.id)).toMatchObject({ status: 'done', outcome: 'answered' });
    expect(discord.threads.size).toBe(1);
    const followUps = discord.messagesIn(`webhook:${interaction.token}`);
    const parts = [discord.original(interaction.token)!, ...followUps];
    expect(followUps.length).toBeGreaterThan(0);
    for (const part of parts) expect(part.content.length).toBeLessThanOrEqual(2000);
    expect(parts.map((part) => part.components.length)).toEqual([...parts.slice(1).map(() => 0), 1]);
    for (const paragraph of paragraphs) expect(parts.map((part) => part.content).join('\n\n')).toContain(paragraph);
  });

  it('gives up at once when Discord no longer knows the interaction (its token expired)', async () => {
    const { discord, app } = await setup();
    discord.failNext({ path: /messages\/@original$/, status: 404, count: 100 });
    const interaction = askInteraction({ applicationId: APPLICATION_ID, question: 'How do I install it?', channelId: newSnowflake() });
    await deliver(interaction);
    await waitUntil(async () => (await row(app, interaction.id))?.status === 'failed', 20_000);
    expect(await row(app, interaction.id)).toMatchObject({ status: 'failed', outcome: 'gave_up', token: '' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(discord.calls.filter((call) => call.status === 404)).toHaveLength(1);
  });
});

describe('the Discord inbox’s order', () => {
  it('answers questions of one channel side by side, and those of one Discord thread one at a time, in order', async () => {
    const db = await createTestDb();
    try {
      // As the interactions endpoint records them (lib/chat-doors/doors/discord/interactions.ts): a question in a thread queues on it.
      const delivery = (id: string, channelId: string, isInThread: boolean) => ({
        door: DISCORD_DOOR,
        deliveryId: id,
        kind: 'ask',
        conversationKey: channelId,
        queueKey: isInThread ? channelId : null,
        asker: '2',
        text: 'q',
        metadata: { discord_in_thread: isInThread },
        doorData: { application_id: APPLICATION_ID, guild_id: '1', channel_id: channelId },
        secret: 't',
      });
      const record = (channelId: string, isInThread: boolean) => recordChatInbox({ db, delivery: delivery(newSnowflake(), channelId, isInThread) });
      const channel = newSnowflake();
      const thread = newSnowflake();
      for (const [channelId, isInThread] of [[channel, false], [channel, false], [thread, true], [thread, true]] as const) await record(channelId, isInThread);
      const claimed = await claimChatInboxBatch({ db, door: DISCORD_DOOR, worker: 'w1', limit: 10, leaseSeconds: 30 });
      expect(claimed.map((item) => item.conversation_key)).toEqual([channel, channel, thread]);
      // A delivery of the same interaction again is the same row.
      expect(await recordChatInbox({ db, delivery: delivery(claimed[0]!.delivery_id, channel, false) })).toEqual({ status: 'duplicate' });
    } finally {
      await db.close();
    }
  });
});
