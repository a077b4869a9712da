import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '@/lib/slack/events';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { startFakeGithub, type TFakeGithub } from '../helpers/fake-github';
import { createSeededDataDir } from '../helpers/pglite-template';
import { mentionEvent, postSlackEvent, repliesIn, TEAM_ID, waitFor } from '../helpers/slack-events';
import { FAKE_SLACK_CHANNEL, FAKE_SLACK_TOKEN, startFakeSlack, type TFakeSlack, type TFakeSlackCall } from './helpers/fake-slack';
import { PRODUCTION_SESSION_SECRET, PRODUCTION_SITE_URL } from './helpers/global-setup';

// "Ask the maintainers" in Slack (issue 56, item 4) on `next start` of the production build, offline, Slack's Web API
// and GitHub faked on 127.0.0.1: an answer in Slack carries the button (Block Kit); its click, a signed form post to
// POST /api/slack/interactivity as Slack's interactivity sends it, opens one GitHub issue for the conversation of
// that Slack thread and tells the member where it went through the payload's response_url. The same click again is
// the same hand-off; a forged, unsigned or stale click is 401; a member who did not ask, or a click naming another
// thread's answer, hands nothing over. HANDOFF_TO names the review channel too, which a Slack conversation never
// reaches: the click goes to GitHub alone, and says so.

const REPO = 'acme/questions';
const SECRET = 'production-slack-handoff-signing-secret';
const CHANNEL = 'C0HANDOFF1';

let github: TFakeGithub;
let slack: TFakeSlack;
let server: TNextServer;

beforeAll(async () => {
  github = await startFakeGithub({ repos: { [REPO]: { issues: [], comments: {} } } });
  slack = await startFakeSlack();
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-slack-handoff-'),
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      SESSION_SECRET: PRODUCTION_SESSION_SECRET,
      SITE_URL: PRODUCTION_SITE_URL,
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      DATABASE_URL: '',
      MODERATION: 'off',
      SLACK_BOT_TOKEN: FAKE_SLACK_TOKEN,
      SLACK_CHANNEL_ID: FAKE_SLACK_CHANNEL,
      SLACK_API_URL: slack.apiUrl,
      SLACK_SIGNING_SECRET: SECRET,
      // The review channel first: it holds no Slack conversation, so a click goes to GitHub alone (isChatDoor).
      HANDOFF_TO: 'slack,github',
      HANDOFF_GITHUB_REPO: REPO,
      GITHUB_TOKEN: 'ghp_productionSlackHandoffToken0123456',
      GITHUB_API_URL: github.url,
    },
  });
});

afterAll(async () => {
  await server?.stop();
  await slack?.close();
  await github?.close();
});

const calls = async () => ((await (await fetch(`${slack.controlUrl}/calls`)).json()) as { calls: TFakeSlackCall[] }).calls;

/** Asks in a new Slack thread; the reply's ts and the answer's id, once the answer shows with its button. */
async function askInSlack(user: string, text: string) {
  const question = mentionEvent({ channel: CHANNEL, user, text: `${text} (${Date.now()})` });
  const threadTs = question.event.ts as string;
  expect((await postSlackEvent(server.url, question, { secret: SECRET })).status).toBe(200);
  const all = await waitFor(
    calls,
    (current) => {
      const reply = repliesIn(current, CHANNEL, threadTs)[0];
      return current.some((call) => call.method === 'chat.update' && call.ts === reply?.postedTs && call.blocks !== null);
    },
    30_000,
    `the answer with its button in ${threadTs}`,
  );
  const replyTs = repliesIn(all, CHANNEL, threadTs)[0]!.postedTs as string;
  const update = all.filter((call) => call.method === 'chat.update' && call.ts === replyTs && call.blocks !== null).at(-1)!;
  const blocks = update.blocks!;
  const actions = blocks.at(-1) as { type: string; elements: { type: string; action_id: string; text: { text: string }; value: string }[] };
  return { threadTs, replyTs, update, blocks, actions };
}

/** The form post Slack sends for a click on a button of the app's message in a thread. */
function clickBody({ user, threadTs, replyTs, value, responseId }: { user: string; threadTs: string; replyTs: string; value: string; responseId: string }) {
  const payload = {
    type: 'block_actions',
    user: { id: user, username: 'member', name: 'member', team_id: TEAM_ID },
    api_app_id: 'A0PRODTIER',
    token: 'deprecated',
    container: { type: 'message', message_ts: replyTs, channel_id: CHANNEL, is_ephemeral: false, thread_ts: threadTs },
    trigger_id: `1.2.${responseId}`,
    team: { id: TEAM_ID, domain: 'prodtier' },
    channel: { id: CHANNEL, name: 'questions' },
    message: { type: 'message', user: 'U0PRODBOT', ts: replyTs, thread_ts: threadTs, text: 'An answer' },
    state: { values: {} },
    response_url: slack.responseUrl(responseId),
    actions: [{ action_id: 'pa_handoff', block_id: 'b1', text: { type: 'plain_text', text: 'Ask the maintainers' }, value, type: 'button', action_ts: '1790000000.000100' }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function postClick(body: string, { secret = SECRET, ageSeconds = 0, isSigned = true, timestamp }: { secret?: string; ageSeconds?: number; isSigned?: boolean; timestamp?: string } = {}) {
  const at = timestamp ?? String(Math.floor(Date.now() / 1000) - ageSeconds);
  return fetch(`${server.url}/api/slack/interactivity`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': at,
      ...(isSigned ? { 'x-slack-signature': signSlackRequest({ secret, timestamp: at, body }) } : {}),
    },
    body,
  });
}

const responsesTo = async (responseId: string) => (await calls()).filter((call) => call.method === 'response_url' && call.responseId === responseId);

describe('"Ask the maintainers" in Slack (next start)', () => {
  it('an answer carries the button; the asker’s signed click opens one issue and says where; the same click again opens none; forged, unsigned and stale clicks are 401', async () => {
    const asked = await askInSlack('U0ASKER', 'Can I fax a transcript to my printer?');
    // The answer's text is in the blocks (mrkdwn, verbatim), and the message's text stays the whole answer.
    expect(asked.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn', verbatim: true } });
    expect(asked.update.text).toContain((asked.blocks[0] as unknown as { text: { text: string } }).text.text.slice(0, 40));
    expect(asked.actions.type).toBe('actions');
    const [button] = asked.actions.elements;
    expect(button).toMatchObject({ type: 'button', action_id: 'pa_handoff', text: { text: 'Ask the maintainers' }, value: expect.stringMatching(/^msg_/) });

    const body = clickBody({ user: 'U0ASKER', threadTs: asked.threadTs, replyTs: asked.replyTs, value: button!.value, responseId: 'r1' });
    // Forged, unsigned and stale: refused before anything is read.
    expect((await postClick(body, { secret: 'not-the-signing-secret-at-all' })).status).toBe(401);
    expect((await postClick(body, { isSigned: false })).status).toBe(401);
    expect((await postClick(body, { ageSeconds: 6 * 60 })).status).toBe(401);
    expect(github.openedIssues(REPO)).toHaveLength(0);

    const timestamp = String(Math.floor(Date.now() / 1000));
    const clicked = await postClick(body, { timestamp });
    expect(clicked.status).toBe(200);
    expect(await clicked.json()).toEqual({ ok: true });
    expect(github.openedIssues(REPO)).toHaveLength(1);
    expect(github.openedIssues(REPO)[0]!.body).toContain('Can I fax a transcript to my printer?');
    const [said] = await responsesTo('r1');
    expect(said?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(said?.text).toMatch(/^Sent to the maintainers as a GitHub issue\. <http:\/\/127\.0\.0\.1:\d+\/acme\/questions\/issues\/\d+\|/);

    // The same delivery replayed (its signature still fresh), and a second click: the same hand-off, no second issue.
    expect((await postClick(body, { timestamp })).status).toBe(200);
    expect((await postClick(body)).status).toBe(200);
    expect(github.openedIssues(REPO)).toHaveLength(1);
    const again = await responsesTo('r1');
    expect(again).toHaveLength(3);
    expect(again.map((call) => call.text)).toEqual([said!.text, said!.text, said!.text]);
  });

  it('a member who did not ask, or a click that names another thread’s answer, hands nothing over', async () => {
    const before = github.openedIssues(REPO).length;
    const mine = await askInSlack('U0OWNER', 'Does the toast support a countdown?');
    const theirs = await askInSlack('U0OTHER', 'Can a modal open another modal?');
    const value = mine.actions.elements[0]!.value;
    // Another member clicks the button in the owner's thread.
    expect((await postClick(clickBody({ user: 'U0OTHER', threadTs: mine.threadTs, replyTs: mine.replyTs, value, responseId: 'r2' }))).status).toBe(200);
    expect((await responsesTo('r2'))[0]?.text).toBe('Only the member who asked in this thread can hand it to the maintainers.');
    // The other member, in their own thread, names the owner's answer.
    expect((await postClick(clickBody({ user: 'U0OTHER', threadTs: theirs.threadTs, replyTs: theirs.replyTs, value, responseId: 'r3' }))).status).toBe(200);
    expect((await responsesTo('r3'))[0]?.text).toBe('That answer is gone, so it cannot be handed to the maintainers.');
    expect(github.openedIssues(REPO)).toHaveLength(before);
  });

  it('a question and a click whose signed callbacks hold NULs are read without them: answered, and handed over, never a 5xx (issue 67)', async () => {
    const before = github.openedIssues(REPO).length;
    const asked = await askInSlack('U0NULASKER', 'Can a tooltip hold\u0000 a link?');
    const value = asked.actions.elements[0]!.value;
    // Slack's own fields, as a signed click could carry them: the member's names, the channel's, the message's text.
    const payload = JSON.parse(new URLSearchParams(clickBody({ user: 'U0NULASKER', threadTs: asked.threadTs, replyTs: asked.replyTs, value, responseId: 'r-nul' })).get('payload')!);
    payload.user = { ...payload.user, username: 'mem\u0000ber', name: 'mem\u0000ber' };
    payload.channel = { ...payload.channel, name: 'ques\u0000tions' };
    payload.message = { ...payload.message, text: 'An\u0000 answer' };
    payload.trigger_id = '1.2.\u0000';
    const clicked = await postClick(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    expect(clicked.status).toBe(200);
    expect(await clicked.json()).toEqual({ ok: true });
    expect(github.openedIssues(REPO)).toHaveLength(before + 1);
    const issue = github.openedIssues(REPO).at(-1)!;
    expect(issue.body).toContain('Can a tooltip hold a link?');
    expect(issue.body).not.toContain('\u0000');
    expect((await responsesTo('r-nul'))[0]?.text).toMatch(/^Sent to the maintainers as a GitHub issue\./);
  });

  it('takes a form body on this route only: a form post elsewhere is still 415', async () => {
    const form = await fetch(`${server.url}/api/paste-assistant-thread`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(form.status).toBe(415);
    const events = await fetch(`${server.url}/api/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'payload=%7B%7D' });
    expect(events.status).toBe(415);
    // Signed, but without its payload field: 400, as any body the route cannot read.
    const empty = await postClick('nothing=here');
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { code: string } }).error.code).toBe('bad_request');
  });
});
