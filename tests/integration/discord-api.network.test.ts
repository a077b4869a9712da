import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordApi, isDiscordApiError } from '@/lib/chat-doors/doors/discord/client';
import { DISCORD_COMMANDS } from '@/lib/chat-doors/doors/discord/commands';
import { createDiscordKeys, FAKE_DISCORD_BOT_TOKEN, startFakeDiscord, type TFakeDiscord } from '../helpers/fake-discord';

// Discord's API as the answers in Discord call it, against the fake Discord on 127.0.0.1: the bot's token where
// Discord wants it, Discord's 429 (retry_after) waited out, a long one handed back with its delay, a bucket that
// says it is spent holding the next call, a refusal told apart from a passing fault; and `npm run
// discord:register` registering the commands.

const APPLICATION_ID = '1000000000000000077';
const silent = { debug: () => {}, warn: () => {} };

describe('the Discord API client', () => {
  let discord: TFakeDiscord;
  beforeAll(async () => {
    discord = await startFakeDiscord({ applicationId: APPLICATION_ID });
  });
  afterAll(async () => {
    await discord.close();
  });
  const api = () => createDiscordApi({ apiUrl: discord.apiUrl, applicationId: APPLICATION_ID, botToken: FAKE_DISCORD_BOT_TOKEN, log: silent });

  it('edits the deferred response through the webhook without the bot token, and keeps mentions from pinging', async () => {
    const message = await api().editOriginal({ token: 'tok-a', body: { content: 'Hello @everyone' } });
    expect(discord.original('tok-a')).toMatchObject({ id: message.id, content: 'Hello @everyone' });
    const call = discord.calls.at(-1)!;
    expect(call).toMatchObject({ method: 'PATCH', path: `/webhooks/${APPLICATION_ID}/tok-a/messages/@original`, authorization: null });
    expect((call.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] });
  });

  it('waits out a 429 for its retry_after and tries again', async () => {
    discord.rateLimitNext(2, 0.2);
    const started = Date.now();
    await api().editOriginal({ token: 'tok-b', body: { content: 'after the limit' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(discord.calls.slice(-3).map((call) => call.status)).toEqual([429, 429, 200]);
    expect(discord.original('tok-b')?.content).toBe('after the limit');
  });

  it('hands a long rate limit back with its delay instead of sitting through it', async () => {
    discord.rateLimitNext(1, 30);
    const error = await api()
      .postFollowUp({ token: 'tok-c', body: { content: 'x' } })
      .catch((caught: unknown) => caught);
    expect(isDiscordApiError(error) && error.failure).toBe('rate_limited');
    expect(isDiscordApiError(error) && error.retryAfterMs).toBe(30_000);
  });

  it('tells a refusal (4xx) from a passing fault, and sends the bot token on the bot’s routes', async () => {
    const client = api();
    const refused = await client.startThread({ channelId: '1300000000000000001', messageId: '1300000000000000002', name: 'q' }).catch((caught: unknown) => caught);
    expect(isDiscordApiError(refused) && [refused.failure, refused.status]).toEqual(['permanent', 404]);
    expect(discord.calls.at(-1)!.authorization).toBe(`Bot ${FAKE_DISCORD_BOT_TOKEN}`);
    const wrongToken = createDiscordApi({ apiUrl: discord.apiUrl, applicationId: APPLICATION_ID, botToken: 'not-the-token', log: silent });
    const unauthorized = await wrongToken.postMessage({ channelId: '1300000000000000003', body: { content: 'hi' } }).catch((caught: unknown) => caught);
    expect(isDiscordApiError(unauthorized) && unauthorized.status).toBe(401);
    const tooLong = await client.editOriginal({ token: 'tok-d', body: { content: 'x'.repeat(2001) } }).catch((caught: unknown) => caught);
    expect(isDiscordApiError(tooLong) && [tooLong.failure, tooLong.status]).toEqual(['permanent', 400]);
  });

  it('registers the commands with PUT /applications/{id}/commands', async () => {
    const registered = await api().putCommands(DISCORD_COMMANDS);
    expect(registered.map((command) => command.name)).toEqual(['ask', 'Ask the docs']);
    const call = discord.calls.at(-1)!;
    expect(call).toMatchObject({ method: 'PUT', path: `/applications/${APPLICATION_ID}/commands`, authorization: `Bot ${FAKE_DISCORD_BOT_TOKEN}` });
    expect(call.body).toEqual([
      expect.objectContaining({
        name: 'ask',
        type: 1,
        options: [
          expect.objectContaining({ name: 'question', type: 3, required: true }),
          // issue 71: `mode` chooses a research run; a choice Discord shows as a menu, never required.
          expect.objectContaining({ name: 'mode', type: 3, required: false, choices: [{ name: 'Research', value: 'research' }, { name: 'Quick', value: 'quick' }] }),
        ],
      }),
      expect.objectContaining({ name: 'Ask the docs', type: 3 }),
    ]);
  });

  it('`npm run discord:register` registers them against DISCORD_API_URL', async () => {
    const before = discord.calls.length;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/discord-register.ts'], {
      env: {
        NODE_ENV: 'test',
        PATH: process.env.PATH,
        DISCORD_APPLICATION_ID: APPLICATION_ID,
        DISCORD_PUBLIC_KEY: createDiscordKeys().publicKey,
        DISCORD_BOT_TOKEN: FAKE_DISCORD_BOT_TOKEN,
        DISCORD_API_URL: discord.apiUrl,
        DATA_DIR: '',
      },
    });
    expect(stdout).toMatch(/registered ask \(\d+\)\nregistered Ask the docs \(\d+\)\n2 commands registered/);
    expect(discord.calls.slice(before).map((call) => `${call.method} ${call.path} ${call.status}`)).toEqual([`PUT /applications/${APPLICATION_ID}/commands 200`]);
  });
});
