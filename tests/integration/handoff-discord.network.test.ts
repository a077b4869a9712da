import { afterEach, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createTestApp } from '../helpers/app';
import { askInteraction, buttonInteraction, createDiscordKeys, FAKE_DISCORD_BOT_TOKEN, newSnowflake, signInteraction, startFakeDiscord, type TFakeDiscord } from '../helpers/fake-discord';
import { startFakeGithub, type TFakeGithub } from '../helpers/fake-github';
import { waitUntil } from '../helpers/models';
import { startTestServer, type TTestServer } from '../helpers/server';

// "Ask the maintainers" in Discord (issue 56, item 4): where HANDOFF_TO is set, an answer's buttons carry it beside
// the votes; pressing it opens the GitHub issue of that conversation (once, however often it is pressed) and tells
// the presser where it went. Without HANDOFF_TO, the button is not there.

const APPLICATION_ID = '1000000000000000077';
const REPO = 'acme/questions';
const keys = createDiscordKeys();
let discord: TFakeDiscord | undefined;
let github: TFakeGithub | undefined;
let app: TApp | undefined;
let server: TTestServer | undefined;

afterEach(async () => {
  await server?.close();
  await app?.db.close();
  await discord?.close();
  await github?.close();
  server = app = discord = github = undefined;
});

async function setup(envOf: (githubUrl: string) => Record<string, string>) {
  discord = await startFakeDiscord({ applicationId: APPLICATION_ID });
  github = await startFakeGithub({ repos: { [REPO]: { issues: [], comments: {} } } });
  app = await createTestApp({
    env: { DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_PUBLIC_KEY: keys.publicKey, DISCORD_BOT_TOKEN: FAKE_DISCORD_BOT_TOKEN, DISCORD_API_URL: discord.apiUrl, ...envOf(github.url) },
    overrides: { chatDoorsOptions: { pollMs: 50, updateIntervalMs: 50, backoffBaseMs: 50, backoffMaxMs: 200 } },
  });
  server = await startTestServer(app);
}

async function deliver(interaction: unknown) {
  const body = JSON.stringify(interaction);
  const response = await fetch(`${server!.url}/api/discord/interactions`, { method: 'POST', headers: signInteraction({ privateKey: keys.privateKey, body }), body });
  expect(response.status).toBe(200);
  return (await response.json()) as { type: number; data?: { content: string } };
}

async function answerButtons(question: string) {
  const interaction = askInteraction({ applicationId: APPLICATION_ID, question, channelId: newSnowflake() });
  await deliver(interaction);
  await waitUntil(async () => ((discord!.original(interaction.token)?.components as unknown[] | undefined) ?? []).length > 0, 20_000);
  const rows = discord!.original(interaction.token)!.components as { components: { label: string; custom_id: string }[] }[];
  return { interaction, buttons: rows[0]!.components };
}

describe('Ask the maintainers in Discord', () => {
  it('carries the button beside the votes; pressing it opens one issue and says where', async () => {
    await setup((githubUrl) => ({ HANDOFF_TO: 'github', HANDOFF_GITHUB_REPO: REPO, GITHUB_TOKEN: 'ghp_discordHandoff0123456789', GITHUB_API_URL: githubUrl }));
    const { interaction, buttons } = await answerButtons('Can I fax a transcript to my printer?');
    expect(buttons.map((button) => button.label)).toEqual(['Helpful', 'Not helpful', 'Ask the maintainers']);
    const handoff = buttons[2]!.custom_id;
    expect(handoff).toMatch(/^pa_handoff:msg_/);
    const press = () => deliver(buttonInteraction({ applicationId: APPLICATION_ID, customId: handoff, channelId: interaction.channel_id, userId: '3000000000000000001' }));
    const first = await press();
    expect(first.data?.content).toMatch(/^Sent to the maintainers as a GitHub issue\. .*127\.0\.0\.1:\d+\/acme\/questions\/issues\/\d+/);
    expect((await press()).data?.content).toBe(first.data?.content);
    expect(github!.openedIssues(REPO)).toHaveLength(1);
    expect(github!.openedIssues(REPO)[0]!.body).toContain('Can I fax a transcript to my printer?');
  });

  it('has no such button where HANDOFF_TO is unset', async () => {
    await setup(() => ({}));
    const { buttons } = await answerButtons('Can I fax a transcript to my printer?');
    expect(buttons.map((button) => button.label)).toEqual(['Helpful', 'Not helpful']);
  });
});
