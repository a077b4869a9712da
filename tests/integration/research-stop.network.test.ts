import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { signSlackRequest } from '@/lib/slack/events';
import { createTestApp } from '../helpers/app';
import { startChatServer, type TChatServer, type TMessage } from '../helpers/chat-server';
import { askInteraction, buttonInteraction, createDiscordKeys, FAKE_DISCORD_BOT_TOKEN, newSnowflake, signInteraction, startFakeDiscord, type TFakeDiscord } from '../helpers/fake-discord';
import { waitUntil } from '../helpers/models';
import { startTestServer, type TTestServer } from '../helpers/server';
import { createFakeSlack, SLACK_ENV, type TFakeSlack } from '../helpers/slack';
import { BOT_USER as BOT, envelope, nextTs, postSlackEvent, TEAM_ID as TEAM } from '../helpers/slack-events';
import { querySql } from '../helpers/stores';

// Stop under a research run's progress message in the chat doors (issue 71): the one message a research run edits
// as it works carries a Stop button naming the run; the asker's signed click stops the run through the engine's
// cancel (the site's Stop), and the message's last edit has no button and says it was stopped. A click without
// Slack's or Discord's signature is 401; a click naming a run that is not the one its message follows, or by
// another member, stops nothing; a quick answer has no Stop. The doors' routes over real HTTP, a real database,
// Slack faked at the network edge (msw), the fake Discord and a scripted model on 127.0.0.1. The research model
// searches once, then waits (as a slow model would) until the test lets it go: the run is in progress, its first
// searches shown, when Stop is clicked.

const SIGNING_SECRET = 'slack-signing-secret-for-stop-071';
const CHANNEL = 'C0STOP';
const ASKER = 'U0ASKER';
const OTHER = 'U0OTHER';
const HOOKS = 'https://hooks.slack.com/actions/T0/1/stop';
const APPLICATION_ID = '1000000000000000097';
const DISCORD_ASKER = '1200000000000000001';
const DISCORD_OTHER = '1200000000000000002';
const RESEARCH_QUESTION = 'How do I get pinged in Slack?';
const QUICK_ANSWER = 'Install it with npm.';
const keys = createDiscordKeys();

const msw = setupServer();
let slack: TFakeSlack;
let discord: TFakeDiscord | undefined;
let model: TChatServer | undefined;
let app: TApp | undefined;
let server: TTestServer | undefined;
let release: () => void = () => {};
/** What the app said through each click's response_url, to the member alone. */
const ephemeral: { responseId: string; text: string }[] = [];

beforeAll(() => msw.listen({ onUnhandledRequest: (request, print) => (new URL(request.url).hostname !== '127.0.0.1' ? print.error() : undefined) }));
afterEach(async () => {
  release();
  msw.resetHandlers();
  await server?.close();
  server = undefined;
  await app?.db.close();
  app = undefined;
  await model?.close();
  model = undefined;
  await discord?.close();
  discord = undefined;
  ephemeral.length = 0;
});
afterAll(() => msw.close());

const rounds = (messages: TMessage[]) => messages.filter((message) => message.role === 'assistant' && message.tool_calls).length;
const isResearchQuestion = (messages: TMessage[]) => messages.some((message) => message.role === 'user' && String(message.content).includes('pinged'));

/** The research question searches once, then waits until released; any other question is answered at once. */
async function startStoppableModel() {
  const released = new Promise<void>((resolve) => (release = resolve));
  return startChatServer({
    hold: ({ messages }) => (isResearchQuestion(messages) && rounds(messages) >= 1 ? released : undefined),
    script: ({ messages, hasTools }) => {
      if (!isResearchQuestion(messages)) return { text: QUICK_ANSWER };
      if (!hasTools || rounds(messages) >= 1) return { text: 'Invite the bot to the channel.' };
      return { calls: [{ name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: 'Slack bot token scope' }) }] };
    },
  });
}

const modelEnv = (url: string) => ({ OPENAI_BASE_URL: url, OPENAI_MODEL: 'local-model', OPENAI_RETRY_BASE_MS: '1', RESEARCH_MAX_STEPS: '4' });
const DOOR_OPTIONS = { pollMs: 50, updateIntervalMs: 50, backoffBaseMs: 50, backoffMaxMs: 200 };

/** Every run, in the order asked: its id, status and mode. */
async function runsOf(current: TApp) {
  const sql = "select id, status, coalesce(options->>'mode', 'quick') as mode from assistant_run order by created_at";
  return (await querySql<{ id: string; status: string; mode: string }>(current.db, sql)).rows;
}
const statusOf = async (current: TApp, runId: string) => (await runsOf(current)).find((run) => run.id === runId)?.status;

describe('Stop in Slack', () => {
  type TBlock = { type: string; elements?: { type: string; action_id: string; text: { text: string }; value: string }[] };

  async function setup() {
    slack = createFakeSlack();
    msw.use(
      slack.handler,
      http.post(`${HOOKS}/:responseId`, async ({ request, params }) => {
        const body = (await request.json()) as { text: string; replace_original?: boolean };
        if (!body.replace_original) ephemeral.push({ responseId: String(params.responseId), text: body.text });
        return HttpResponse.json({ ok: true });
      }),
    );
    model = await startStoppableModel();
    app = await createTestApp({
      env: { ...SLACK_ENV, SLACK_SIGNING_SECRET: SIGNING_SECRET, ...modelEnv(model.url) },
      overrides: { reviewChannelOptions: { isAutoDelivering: false }, chatDoorsOptions: DOOR_OPTIONS },
    });
    server = await startTestServer(app);
    return app;
  }
  /** Asks in a new Slack thread, or in `threadTs`'s; the thread's ts. */
  const ask = async (text: string, user = ASKER, threadTs?: string) => {
    const payload = envelope({ type: 'app_mention', channel: CHANNEL, user, text: `<@${BOT}> ${text}`, ts: nextTs(), ...(threadTs ? { thread_ts: threadTs } : {}) });
    expect((await postSlackEvent(server!.url, payload, { secret: SIGNING_SECRET })).status).toBe(200);
    return threadTs ?? (payload.event.ts as string);
  };
  /** The app's replies in a Slack thread, in order. */
  const replyTs = (threadTs: string) =>
    slack
      .delivered()
      .filter((call) => call.method === 'chat.postMessage' && call.channel === CHANNEL && call.threadTs === threadTs)
      .map((call) => (call.outcome.ok ? call.outcome.ts : ''));
  const updatesOf = (ts: string) => slack.delivered().filter((call) => call.method === 'chat.update' && call.ts === ts);
  const blocksOf = (call: { params: Record<string, string> }) => (call.params.blocks === undefined ? null : (JSON.parse(call.params.blocks) as TBlock[]));
  const stopButtonOf = (call: { params: Record<string, string> }) =>
    blocksOf(call)
      ?.flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === 'pa_stop');

  function clickBody({ user, threadTs, messageTs, value, responseId }: { user: string; threadTs: string; messageTs: string; value: string; responseId: string }) {
    const payload = {
      type: 'block_actions',
      user: { id: user, username: 'member', team_id: TEAM },
      api_app_id: 'A0APP',
      container: { type: 'message', message_ts: messageTs, channel_id: CHANNEL, is_ephemeral: false, thread_ts: threadTs },
      team: { id: TEAM, domain: 'team' },
      channel: { id: CHANNEL, name: 'help' },
      message: { type: 'message', user: BOT, ts: messageTs, thread_ts: threadTs, text: 'Researching…' },
      response_url: `${HOOKS}/${responseId}`,
      actions: [{ action_id: 'pa_stop', block_id: 'b1', text: { type: 'plain_text', text: 'Stop' }, value, type: 'button', action_ts: '1790000000.000100' }],
    };
    return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  }
  function postClick(body: string, { secret = SIGNING_SECRET, isSigned = true } = {}) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    return fetch(`${server!.url}/api/slack/interactivity`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': timestamp,
        ...(isSigned ? { 'x-slack-signature': signSlackRequest({ secret, timestamp, body }) } : {}),
      },
      body,
    });
  }
  const said = async (responseId: string) => {
    await waitUntil(() => ephemeral.some((entry) => entry.responseId === responseId), 5000);
    return ephemeral.find((entry) => entry.responseId === responseId)!.text;
  };

  it('the progress carries Stop naming the run; the asker’s signed click cancels it, and the last edit says so without the button', async () => {
    const current = await setup();
    // Quick answers first, in two Slack threads: their replies never had Stop.
    const threadTs = await ask('How do I install it?');
    const otherThread = await ask('How do I install it on Windows?');
    await waitUntil(() => [threadTs, otherThread].every((ts) => updatesOf(replyTs(ts)[0]!).some((call) => call.text?.includes(QUICK_ANSWER))), 30_000);
    const [quickRun, otherRun] = await runsOf(current);

    // The research, a follow-up in the first thread: its own reply there.
    await ask(`research: ${RESEARCH_QUESTION}`, ASKER, threadTs);
    await waitUntil(() => {
      const reply = replyTs(threadTs)[1];
      return reply !== undefined && updatesOf(reply).some((call) => stopButtonOf(call) !== undefined && call.text!.includes('searched ‘Slack bot token scope’'));
    }, 30_000);
    const [quickReply, reply] = replyTs(threadTs) as [string, string];
    const run = (await runsOf(current)).find((candidate) => candidate.mode === 'research')!;
    const progress = updatesOf(reply).find((call) => stopButtonOf(call) !== undefined)!;
    expect(stopButtonOf(progress)).toMatchObject({ type: 'button', action_id: 'pa_stop', text: { text: 'Stop' }, value: run.id });
    // Every progress edit of the research run carries it; no edit of a quick answer does.
    expect(updatesOf(reply).every((call) => stopButtonOf(call)?.value === run.id)).toBe(true);
    expect([quickReply, replyTs(otherThread)[0]!].flatMap(updatesOf).every((call) => stopButtonOf(call) === undefined)).toBe(true);

    const click = (user: string, responseId: string, where = { threadTs, messageTs: reply }, value = run.id) => clickBody({ user, ...where, value, responseId });
    // Unsigned, or signed with another secret: refused before anything is read.
    expect((await postClick(click(ASKER, 'r0'), { isSigned: false })).status).toBe(401);
    expect((await postClick(click(ASKER, 'r0'), { secret: 'not-the-signing-secret-at-all' })).status).toBe(401);
    // The research's run named on the quick answer's reply in the same thread: not that message's run.
    expect((await postClick(click(ASKER, 'r1', { threadTs, messageTs: quickReply }))).status).toBe(200);
    expect(await said('r1')).toBe('There is no research to stop here.');
    // … or on another thread's reply.
    expect((await postClick(click(ASKER, 'r2', { threadTs: otherThread, messageTs: replyTs(otherThread)[0]! }))).status).toBe(200);
    expect(await said('r2')).toBe('There is no research to stop here.');
    // The research's own message, naming another thread's run.
    expect((await postClick(click(ASKER, 'r3', { threadTs, messageTs: reply }, otherRun!.id))).status).toBe(200);
    expect(await said('r3')).toBe('There is no research to stop here.');
    // Another member may not stop the asker's research.
    expect((await postClick(click(OTHER, 'r4'))).status).toBe(200);
    expect(await said('r4')).toBe('Only the member who asked can stop this research.');
    expect(await statusOf(current, run.id)).toBe('in_progress');
    expect(updatesOf(reply).some((call) => call.text?.includes('stopped'))).toBe(false);

    expect((await postClick(click(ASKER, 'r5'))).status).toBe(200);
    expect(await said('r5')).toMatch(/^Stopped/);
    expect(await statusOf(current, run.id)).toBe('cancelled');
    await waitUntil(() => updatesOf(reply).at(-1)?.text?.includes('It was stopped.') === true, 20_000);
    const last = updatesOf(reply).at(-1)!;
    // Slack keeps a message's blocks unless the update names others: the last one says none.
    expect(blocksOf(last)).toEqual([]);
    // As the site keeps a stopped research: no steps, nothing answered.
    expect(last.text).not.toContain('searched');

    // A click on the stopped run's button: it has ended, nothing changes.
    const edits = updatesOf(reply).length;
    expect((await postClick(click(ASKER, 'r6'))).status).toBe(200);
    expect(await said('r6')).toBe('That research has ended already.');
    expect((await runsOf(current)).map((candidate) => [candidate.id, candidate.status])).toEqual([
      [quickRun!.id, 'completed'],
      [otherRun!.id, 'completed'],
      [run.id, 'cancelled'],
    ]);
    expect(updatesOf(reply)).toHaveLength(edits);

    // "retry" in the thread researches again, as the site's Retry of a stopped research does (not a quick answer).
    release();
    await ask('retry', ASKER, threadTs);
    await waitUntil(async () => (await runsOf(current)).length === 4 && (await runsOf(current)).at(-1)!.status === 'completed', 30_000);
    expect((await runsOf(current)).at(-1)).toMatchObject({ mode: 'research', status: 'completed' });
  });
});

describe('Stop in Discord', () => {
  type TComponents = { type: number; components: { custom_id: string; label?: string }[] }[];

  async function setup() {
    discord = await startFakeDiscord({ applicationId: APPLICATION_ID });
    model = await startStoppableModel();
    app = await createTestApp({
      env: { DISCORD_APPLICATION_ID: APPLICATION_ID, DISCORD_PUBLIC_KEY: keys.publicKey, DISCORD_BOT_TOKEN: FAKE_DISCORD_BOT_TOKEN, DISCORD_API_URL: discord.apiUrl, ...modelEnv(model.url) },
      overrides: { chatDoorsOptions: DOOR_OPTIONS },
    });
    server = await startTestServer(app);
    return app;
  }
  const deliver = async (interaction: unknown, { isSigned = true } = {}) => {
    const body = JSON.stringify(interaction);
    const headers = isSigned ? signInteraction({ privateKey: keys.privateKey, body }) : { 'content-type': 'application/json' };
    const response = await fetch(`${server!.url}/api/discord/interactions`, { method: 'POST', headers, body });
    return { status: response.status, body: (await response.json()) as { type: number; data?: { content?: string; flags?: number } } };
  };
  /** `/ask` in a new channel, or in a Discord thread (`parentId`: the channel it was started in). */
  const ask = (question: string, mode?: string, where: { channelId: string; parentId: string } | null = null) => {
    const interaction = askInteraction({
      applicationId: APPLICATION_ID,
      question,
      userId: DISCORD_ASKER,
      ...(where ? { channelId: where.channelId, channelType: 11, parentId: where.parentId } : { channelId: newSnowflake() }),
    });
    if (mode !== undefined) interaction.data.options.push({ name: 'mode', type: 3, value: mode });
    return interaction;
  };
  /** Every PATCH of an interaction's original response, in order: its content and components. */
  const editsOf = (token: string) =>
    (discord?.calls ?? [])
      .filter((call) => call.method === 'PATCH' && call.status < 300 && call.path.endsWith(`/${token}/messages/@original`))
      .map((call) => call.body as { content?: string; components?: TComponents });
  const stopOf = (components: TComponents | undefined) => components?.flatMap((row) => row.components).find((button) => button.custom_id.startsWith('pa_stop:'));
  const press = (user: string, messageId: string, channelId: string, customId: string) => {
    const interaction = buttonInteraction({ applicationId: APPLICATION_ID, customId, channelId, userId: user });
    return { ...interaction, message: { id: messageId, channel_id: channelId } };
  };

  it('the progress carries Stop naming the run; the asker’s signed press cancels it (DEFERRED_UPDATE_MESSAGE), and the last edit says so without the button', async () => {
    const current = await setup();
    // Quick answers first, in two channels: their responses never had Stop. Each starts a Discord thread.
    const quick = ask('How do I install it?');
    const other = ask('How do I install it on Windows?');
    for (const interaction of [quick, other]) expect((await deliver(interaction)).body).toEqual({ type: 5 });
    await waitUntil(() => [quick, other].every((interaction) => (discord!.original(interaction.token)?.content ?? '').includes(QUICK_ANSWER)), 30_000);
    const [quickRun, otherRun] = await runsOf(current);
    const quickMessage = discord!.original(quick.token)!;
    const thread = [...discord!.threads].find(([, started]) => started.messageId === quickMessage.id)?.[0];
    expect(thread).toBeDefined();

    // The research, asked in the first answer's thread: the same conversation, a response of its own.
    const research = ask(RESEARCH_QUESTION, 'research', { channelId: thread!, parentId: quick.channel_id });
    expect((await deliver(research)).body).toEqual({ type: 5 });
    await waitUntil(() => editsOf(research.token).some((body) => stopOf(body.components) !== undefined && (body.content ?? '').includes('searched ‘Slack bot token scope’')), 30_000);
    const run = (await runsOf(current)).find((candidate) => candidate.mode === 'research')!;
    const message = discord!.original(research.token)!;
    expect(stopOf(message.components as TComponents)).toEqual({ type: 2, style: 2, label: 'Stop', custom_id: `pa_stop:${run.id}` });
    expect(editsOf(research.token).filter((body) => body.components !== undefined).every((body) => stopOf(body.components)?.custom_id === `pa_stop:${run.id}`)).toBe(true);
    expect([quick, other].flatMap((interaction) => editsOf(interaction.token)).every((body) => stopOf(body.components) === undefined)).toBe(true);
    const customId = `pa_stop:${run.id}`;

    // Unsigned: 401, read no further.
    expect((await deliver(press(DISCORD_ASKER, message.id, thread!, customId), { isSigned: false })).status).toBe(401);
    // The research's button pressed on the quick answer's message, in the same conversation: not that message's run.
    const elsewhere = await deliver(press(DISCORD_ASKER, quickMessage.id, quick.channel_id, customId));
    expect(elsewhere.body).toMatchObject({ type: 4, data: { content: 'There is no research to stop here.', flags: 64 } });
    // The research's message, its button naming another conversation's run.
    const another = await deliver(press(DISCORD_ASKER, message.id, thread!, `pa_stop:${otherRun!.id}`));
    expect(another.body).toMatchObject({ type: 4, data: { content: 'There is no research to stop here.' } });
    // Someone else may not stop it.
    const notAsker = await deliver(press(DISCORD_OTHER, message.id, thread!, customId));
    expect(notAsker.body).toMatchObject({ type: 4, data: { content: 'Only the person who asked can stop this research.' } });
    expect(await statusOf(current, run.id)).toBe('in_progress');

    const stopped = await deliver(press(DISCORD_ASKER, message.id, thread!, customId));
    expect(stopped).toEqual({ status: 200, body: { type: 6 } });
    expect(await statusOf(current, run.id)).toBe('cancelled');
    await waitUntil(() => (discord!.original(research.token)?.content ?? '').includes('It was stopped.'), 20_000);
    const last = editsOf(research.token).at(-1)!;
    expect(last.content).toContain('It was stopped.');
    expect(last.content).not.toContain('searched');
    // The last edit names its components: none, so the button is gone.
    expect(last.components).toEqual([]);
    expect(discord!.original(research.token)!.components).toEqual([]);

    const again = await deliver(press(DISCORD_ASKER, message.id, thread!, customId));
    expect(again.body).toMatchObject({ type: 4, data: { content: 'That research has ended already.' } });
    expect((await runsOf(current)).map((candidate) => [candidate.id, candidate.status])).toEqual([
      [quickRun!.id, 'completed'],
      [otherRun!.id, 'completed'],
      [run.id, 'cancelled'],
    ]);
  });
});
