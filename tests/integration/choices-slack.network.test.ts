import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { signSlackRequest } from '@/lib/slack/events';
import { createTestApp } from '../helpers/app';
import { waitUntil } from '../helpers/models';
import { answer, docsCall, embeddingsWithoutAccess, responsesDialect, scriptModel, toolCalls } from '../helpers/openai';
import { startTestServer, type TTestServer } from '../helpers/server';
import { createFakeSlack, SLACK_ENV, type TFakeSlack } from '../helpers/slack';
import { BOT_USER as BOT, envelope, nextTs, postSlackEvent, TEAM_ID as TEAM } from '../helpers/slack-events';

// Clarifying choices in Slack (issue 71 item 4): an answer that offers choices (here a scripted model's on the Responses API,
// ending with its Choices line) carries one Block Kit button per choice; a click, a signed form post to POST
// /api/slack/interactivity as Slack sends it, asks the choice's question again in the same Slack thread and tells the
// member so (the payload's response_url). Unsigned is 401; a member who did not ask, or a second click, asks nothing.

const SIGNING_SECRET = 'slack-signing-secret-for-choices-071';
const ASKER = 'U0ASKER';
const OTHER = 'U0OTHER';
const CHANNEL = 'C0HELP';
const HOOKS = 'https://hooks.slack.com/actions/T0/1/choices';

const msw = setupServer();
let slack: TFakeSlack;
let app: TApp | undefined;
let server: TTestServer | undefined;
/** What the app posted to each click's response_url: an ephemeral reply, or the clicked message replaced. */
const ephemeral: { responseId: string; text: string }[] = [];
const replaced: { responseId: string; body: { replace_original: boolean; text: string; blocks: { type: string; elements?: { action_id: string }[] }[] } }[] = [];

beforeAll(() => msw.listen({ onUnhandledRequest: (request, print) => (new URL(request.url).hostname !== '127.0.0.1' ? print.error() : undefined) }));
afterEach(async () => {
  msw.resetHandlers();
  await server?.close();
  await app?.db.close();
  server = app = undefined;
});
afterAll(() => msw.close());

function clickBody({ user, threadTs, replyTs, actionId, value, responseId, message }: { user: string; threadTs: string; replyTs: string; actionId: string; value: string; responseId: string; message: { text: string; blocks: unknown[] } }) {
  const payload = {
    type: 'block_actions',
    user: { id: user, username: 'member', team_id: TEAM },
    api_app_id: 'A0APP',
    container: { type: 'message', message_ts: replyTs, channel_id: CHANNEL, is_ephemeral: false, thread_ts: threadTs },
    team: { id: TEAM, domain: 'team' },
    channel: { id: CHANNEL, name: 'help' },
    // Slack sends the message the button is on back with the click: its text and blocks as the app last set them.
    message: { type: 'message', user: BOT, ts: replyTs, thread_ts: threadTs, ...message },
    response_url: `${HOOKS}/${responseId}`,
    actions: [{ action_id: actionId, block_id: 'b1', text: { type: 'plain_text', text: 'x' }, value, type: 'button', action_ts: '1790000000.000100' }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function postClick(body: string, { isSigned = true } = {}) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return fetch(`${server!.url}/api/slack/interactivity`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      ...(isSigned ? { 'x-slack-signature': signSlackRequest({ secret: SIGNING_SECRET, timestamp, body }) } : {}),
    },
    body,
  });
}

describe('choices in Slack', () => {
  it('an answer carries a button per choice; the asker’s signed click asks it again in the thread, once', async () => {
    const model = scriptModel(responsesDialect, [
      toolCalls(docsCall('delete', 'call_1')),
      answer('Use a [Destructive button](/docs/guides/buttons#destructive-button).\n\nChoices: Buttons | Slack notifications'),
      toolCalls(docsCall('slack notifications', 'call_2')),
      answer('The bot posts them: see [Creating a bot token](/docs/guides/slack#creating-a-bot-token).'),
    ]);
    slack = createFakeSlack();
    msw.use(
      slack.handler,
      model.handler,
      embeddingsWithoutAccess,
      http.post(`${HOOKS}/:responseId`, async ({ request, params }) => {
        const body = (await request.json()) as { text: string; response_type?: string; replace_original?: boolean };
        if (body.replace_original) replaced.push({ responseId: String(params.responseId), body: body as (typeof replaced)[number]['body'] });
        else ephemeral.push({ responseId: String(params.responseId), text: body.text });
        return HttpResponse.json({ ok: true });
      }),
    );
    app = await createTestApp({
      env: { ...SLACK_ENV, ...responsesDialect.env, SLACK_SIGNING_SECRET: SIGNING_SECRET },
      overrides: { reviewChannelOptions: { isAutoDelivering: false }, chatDoorsOptions: { pollMs: 50, updateIntervalMs: 50, backoffBaseMs: 50, backoffMaxMs: 200 } },
    });
    server = await startTestServer(app);

    const question = envelope({ type: 'app_mention', channel: CHANNEL, user: ASKER, text: `<@${BOT}> How do I delete things?`, ts: nextTs() });
    const threadTs = question.event.ts as string;
    expect((await postSlackEvent(server.url, question, { secret: SIGNING_SECRET })).status).toBe(200);
    const withBlocks = () => slack.delivered().filter((call) => call.method === 'chat.update' && call.params.blocks !== undefined);
    await waitUntil(() => withBlocks().length > 0, 20_000);
    const update = withBlocks()[0]!;
    expect(update.text).not.toContain('Choices:');
    const blocks = JSON.parse(update.params.blocks!) as { type: string; elements?: { action_id: string; text: { text: string }; value: string }[] }[];
    const actions = blocks.at(-1)!;
    expect(actions.type).toBe('actions');
    // No hand-off here (HANDOFF_TO unset): the row holds the choices alone.
    expect(actions.elements!.map((button) => [button.action_id, button.text.text])).toEqual([
      ['pa_choice_0', 'Buttons'],
      ['pa_choice_1', 'Slack notifications'],
    ]);
    const replyTs = update.ts!;
    const value = actions.elements![1]!.value;
    expect(value).toMatch(/^msg_/);

    const message = { text: update.text!, blocks };
    const click = (user: string, responseId: string, actionId = 'pa_choice_1') => clickBody({ user, threadTs, replyTs, actionId, value, responseId, message });
    expect((await postClick(click(ASKER, 'r0'), { isSigned: false })).status).toBe(401);
    // Another member may not choose for the asker.
    expect((await postClick(click(OTHER, 'r1'))).status).toBe(200);
    await waitUntil(() => ephemeral.some((said) => said.responseId === 'r1'), 5000);
    expect(ephemeral.find((said) => said.responseId === 'r1')?.text).toBe('Only the member who asked in this thread can choose what they meant.');
    // An index the answer has not asks nothing.
    expect((await postClick(click(ASKER, 'r2', 'pa_choice_2'))).status).toBe(200);
    await waitUntil(() => ephemeral.some((said) => said.responseId === 'r2'), 5000);
    expect(ephemeral.find((said) => said.responseId === 'r2')?.text).toBe('That answer is gone, so its choices cannot be asked.');
    expect(model.requests).toHaveLength(2);

    expect((await postClick(click(ASKER, 'r3'))).status).toBe(200);
    await waitUntil(() => ephemeral.some((said) => said.responseId === 'r3'), 5000);
    expect(ephemeral.find((said) => said.responseId === 'r3')?.text).toBe('Asking about Slack notifications in the thread…');
    // The choice taken, its buttons leave the message for everyone: the same text and sections, no actions row (the
    // row held the choices alone). The refused clicks before it changed nothing.
    expect(replaced.map((each) => each.responseId)).toEqual(['r3']);
    expect(replaced[0]!.body).toEqual({ replace_original: true, text: update.text, blocks: blocks.slice(0, -1) });
    // Answered in the same thread: a second reply there, with the second answer.
    await waitUntil(() => slack.delivered().some((call) => call.method === 'chat.update' && (call.text ?? '').includes('The bot posts them')), 20_000);
    const replies = slack.delivered().filter((call) => call.method === 'chat.postMessage' && call.channel === CHANNEL && call.threadTs === threadTs);
    expect(replies).toHaveLength(2);
    expect(JSON.stringify(model.requests[2]!.body)).toContain('Slack notifications: How do I delete things?');
    // Once per answer: a second click asks nothing more.
    expect((await postClick(click(ASKER, 'r4', 'pa_choice_0'))).status).toBe(200);
    await waitUntil(() => ephemeral.some((said) => said.responseId === 'r4'), 5000);
    expect(ephemeral.find((said) => said.responseId === 'r4')?.text).toBe('You have chosen for this answer already: its answer comes in the thread.');
    expect(model.requests).toHaveLength(4);
  });
});
