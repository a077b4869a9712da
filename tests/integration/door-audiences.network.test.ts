import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestApp } from '../helpers/app';
import { askInteraction, createDiscordKeys, FAKE_DISCORD_BOT_TOKEN, newSnowflake, signInteraction, startFakeDiscord, type TFakeDiscord } from '../helpers/fake-discord';
import { waitUntil } from '../helpers/models';
import { startTestServer, type TTestServer } from '../helpers/server';

// A chat door's askers read what the place they ask in is mapped to (DISCORD_AUDIENCES; Slack's
// SLACK_CHANNEL_AUDIENCES works alike through the same driver): a question asked in a mapped server is answered
// from a page of its audience; the same question from an unmapped server is answered from the public pages only. A
// Discord thread takes its parent channel's mapping.
// The route handlers over real HTTP, the offline model, the fake Discord on 127.0.0.1.

const APPLICATION_ID = '1000000000000000077';
const STAFF_GUILD = '1100000000000000555';
const STAFF_CHANNEL = '1300000000000000777';
const keys = createDiscordKeys();
let discord: TFakeDiscord;
let app: TApp;
let server: TTestServer;

beforeAll(async () => {
  const docsDir = makeTempDir('door-audiences-');
  mkdirSync(path.join(docsDir, 'internal'));
  writeFileSync(path.join(docsDir, 'toasts.md'), '---\ntitle: Toasts\n---\n\n## Dismissing\n\nA toast is dismissed after five seconds.\n');
  writeFileSync(path.join(docsDir, 'internal/toaster.md'), '---\ntitle: Toaster runbook\n---\n\n## Quokkafier\n\nThe quokkafier hook pushes toasts from the wombat queue.\n');
  discord = await startFakeDiscord({ applicationId: APPLICATION_ID });
  app = await createTestApp({
    env: {
      DOCS_DIR: docsDir,
      DOCS_AUDIENCES: 'staff=internal/**',
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_PUBLIC_KEY: keys.publicKey,
      DISCORD_BOT_TOKEN: FAKE_DISCORD_BOT_TOKEN,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_AUDIENCES: `${STAFF_GUILD}=staff,${STAFF_CHANNEL}=staff`,
    },
    overrides: { chatDoorsOptions: { pollMs: 50, updateIntervalMs: 50, backoffBaseMs: 50, backoffMaxMs: 200 } },
  });
  server = await startTestServer(app);
});

afterAll(async () => {
  await server?.close();
  await app?.db.close();
  await discord?.close();
});

async function answerIn(guildId: string, where: { channelId?: string; channelType?: number; parentId?: string } = {}): Promise<string> {
  const interaction = askInteraction({ applicationId: APPLICATION_ID, question: 'What does the quokkafier hook do?', channelId: newSnowflake(), guildId, ...where });
  const body = JSON.stringify(interaction);
  const response = await fetch(`${server.url}/api/discord/interactions`, { method: 'POST', headers: signInteraction({ privateKey: keys.privateKey, body }), body });
  expect(response.status).toBe(200);
  await waitUntil(async () => (discord.original(interaction.token)?.components.length ?? 0) > 0, 30_000);
  return discord.original(interaction.token)!.content;
}

describe('DISCORD_AUDIENCES', () => {
  it('answers a question from a mapped server with its audience’s page, and an unmapped one without it', { timeout: 90_000 }, async () => {
    expect(await answerIn(STAFF_GUILD)).toContain('/docs/internal/toaster');
    expect(await answerIn('1100000000000000666')).not.toContain('/docs/internal/toaster');
  });

  it('answers in a thread of a mapped channel as in the channel: a thread takes its parent channel’s mapping', { timeout: 90_000 }, async () => {
    const unmappedGuild = '1100000000000000888';
    expect(await answerIn(unmappedGuild, { channelId: STAFF_CHANNEL })).toContain('/docs/internal/toaster');
    // A public thread (type 11) and a private one (12) started in the mapped channel.
    expect(await answerIn(unmappedGuild, { channelType: 11, parentId: STAFF_CHANNEL })).toContain('/docs/internal/toaster');
    expect(await answerIn(unmappedGuild, { channelType: 12, parentId: STAFF_CHANNEL })).toContain('/docs/internal/toaster');
    // A thread of another channel, and a plain channel whose parent (its category) is the mapped id, do not.
    expect(await answerIn(unmappedGuild, { channelType: 11, parentId: '1300000000000000999' })).not.toContain('/docs/internal/toaster');
    expect(await answerIn(unmappedGuild, { channelType: 0, parentId: STAFF_CHANNEL })).not.toContain('/docs/internal/toaster');
  });
});
