import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createTestApp } from '../helpers/app';
import { askInteraction, buttonInteraction, createDiscordKeys, FAKE_DISCORD_BOT_TOKEN, newSnowflake, signInteraction, startFakeDiscord, type TFakeDiscord } from '../helpers/fake-discord';
import { waitUntil } from '../helpers/models';
import { answer, docsCall, embeddingsWithoutAccess, responsesDialect, scriptModel, toolCalls } from '../helpers/openai';
import { startTestServer, type TTestServer } from '../helpers/server';

// Clarifying choices in Discord (issue 71 item 4): an answer that offers choices (here a scripted model's, ending with
// its Choices line) carries a row of buttons, one per choice, under its votes; pressing one (a signed interaction)
// asks the choice's question again, as /ask would: a deferred response, then the answer written as it. The question
// is the stored answer's: a press naming an index the answer has not, or another's answer id, asks nothing. Only the
// member who asked may choose (anyone else is told so, alone); one choice per answer.

const APPLICATION_ID = '1000000000000000071';
const keys = createDiscordKeys();
const model = setupServer(embeddingsWithoutAccess);
beforeAll(() => model.listen({ onUnhandledRequest: 'bypass' }));
afterAll(() => model.close());

let discord: TFakeDiscord | undefined;
let app: TApp | undefined;
let server: TTestServer | undefined;

afterEach(async () => {
  model.resetHandlers();
  await server?.close();
  await app?.db.close();
  await discord?.close();
  server = app = discord = undefined;
});

async function deliver(interaction: unknown) {
  const body = JSON.stringify(interaction);
  const response = await fetch(`${server!.url}/api/discord/interactions`, { method: 'POST', headers: signInteraction({ privateKey: keys.privateKey, body }), body });
  expect(response.status).toBe(200);
  return (await response.json()) as { type: number; data?: { content: string } };
}

/** askInteraction's user: the member who asked. */
const ASKER = '1200000000000000001';

describe('choices in Discord', () => {
  it('puts one button per choice under the answer; a press asks its question again, once', async () => {
    const script = scriptModel(responsesDialect, [
      toolCalls(docsCall('delete', 'call_1')),
      answer('Use a [Destructive button](/docs/guides/buttons#destructive-button) for it.\n\nChoices: Buttons | Slack notifications'),
      toolCalls(docsCall('slack notifications delete', 'call_2')),
      answer('Slack notifications are sent by the bot: see [Creating a bot token](/docs/guides/slack#creating-a-bot-token).'),
    ]);
    model.use(script.handler);
    discord = await startFakeDiscord({ applicationId: APPLICATION_ID });
    app = await createTestApp({
      env: { ...responsesDialect.env, DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_PUBLIC_KEY: keys.publicKey, DISCORD_BOT_TOKEN: FAKE_DISCORD_BOT_TOKEN, DISCORD_API_URL: discord.apiUrl },
      overrides: { chatDoorsOptions: { pollMs: 50, updateIntervalMs: 50, backoffBaseMs: 50, backoffMaxMs: 200 } },
    });
    server = await startTestServer(app);

    const asked = askInteraction({ applicationId: APPLICATION_ID, question: 'How do I delete things?', channelId: newSnowflake() });
    await deliver(asked);
    await waitUntil(async () => ((discord!.original(asked.token)?.components as unknown[] | undefined) ?? []).length > 0, 20_000);
    const original = discord!.original(asked.token)!;
    expect(original.content).not.toContain('Choices:');
    const rows = original.components as { components: { label: string; custom_id: string }[] }[];
    expect(rows[0]!.components.map((button) => button.label)).toEqual(['Helpful', 'Not helpful']);
    const choices = rows[1]!.components;
    expect(choices.map((button) => button.label)).toEqual(['Buttons', 'Slack notifications']);
    expect(choices[1]!.custom_id).toMatch(/^pa_choice:1:msg_/);
    const answerId = choices[1]!.custom_id.split(':')[2]!;

    // Forged: an index the answer has not, or an answer that is no answer, asks nothing.
    // The asker (askInteraction's user) presses; another member may not choose for them.
    const press = (customId: string, userId = ASKER) => buttonInteraction({ applicationId: APPLICATION_ID, customId, channelId: asked.channel_id, userId });
    expect((await deliver(press(`pa_choice:2:${answerId}`))).data?.content).toBe('That answer is gone, so its choices cannot be asked.');
    expect((await deliver(press('pa_choice:0:msg_nothere'))).data?.content).toBe('That answer is gone, so its choices cannot be asked.');

    const other = await deliver(press(choices[1]!.custom_id, '3000000000000000001'));
    expect(other).toMatchObject({ type: 4, data: { content: 'Only the person who asked can choose.', flags: 64 } });
    expect(script.requests).toHaveLength(2);

    const pressed = press(choices[1]!.custom_id);
    expect(await deliver(pressed)).toEqual({ type: 5 });
    await waitUntil(async () => (discord!.original(pressed.token)?.content ?? '').includes('sent by the bot'), 20_000);
    // The model was asked the choice's question: the page's name, then the reader's question.
    const lastInput = JSON.stringify(script.requests.at(-1)?.body);
    expect(lastInput).toContain('Slack notifications: How do I delete things?');
    // One choice per answer: another press is told so, and asks nothing more.
    const again = await deliver(press(choices[0]!.custom_id));
    expect(again.data?.content).toBe('A choice was taken for this answer already: its answer is on its way.');
    expect(script.requests).toHaveLength(4);
  });
});
