import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { createSeededDataDir } from '../helpers/pglite-template';
import { mentionEvent, postSlackClick, postSlackEvent, repliesIn, slackClickForm, waitFor } from '../helpers/slack-events';
import { FAKE_SLACK_CHANNEL, FAKE_SLACK_TOKEN, startFakeSlack, type TFakeSlack, type TFakeSlackCall } from './helpers/fake-slack';
import { PRODUCTION_SESSION_SECRET, PRODUCTION_SITE_URL } from './helpers/global-setup';

// Clarifying choices in Slack (issue 71 item 4) on `next start` of the production build, offline, Slack's Web API
// faked on 127.0.0.1: on this site's docs "delete all data and start over" is about the FAQ and Embedded mode nearly
// equally, so its answer carries a button per page. The asker's signed click asks the choice again in the thread and,
// the choice taken, rewrites the answer without its buttons through the click's response_url (replace_original: the
// same text and sections, no actions row: no hand-off here). Another member's click changes nothing.

const SECRET = 'production-slack-choices-signing-secret';
const CHANNEL = 'C0CHOICES1';
const QUESTION = 'delete all data and start over';

let slack: TFakeSlack;
let server: TNextServer;

beforeAll(async () => {
  slack = await startFakeSlack();
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-slack-choices-'),
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
    },
  });
});

afterAll(async () => {
  await server?.stop();
  await slack?.close();
});

const calls = async () => ((await (await fetch(`${slack.controlUrl}/calls`)).json()) as { calls: TFakeSlackCall[] }).calls;
const responsesTo = async (responseId: string) => (await calls()).filter((call) => call.method === 'response_url' && call.responseId === responseId);

type TBlock = { type: string; elements?: { action_id: string; text: { text: string }; value: string }[] };

/** A click on a button of the app's answer in CHANNEL, with the message as Slack sends it back. */
function clickBody({ user, threadTs, replyTs, actionId, value, responseId, message }: { user: string; threadTs: string; replyTs: string; actionId: string; value: string; responseId: string; message: { text: string; blocks: TBlock[] } }) {
  return slackClickForm({ user, channel: CHANNEL, threadTs, replyTs, actionId, value, responseUrl: slack.responseUrl(responseId), message });
}

const postClick = (body: string) => postSlackClick(server.url, body, { secret: SECRET });

describe('choices in Slack (next start)', () => {
  it('the asker’s click asks the choice again and the answer loses its choice buttons; another member’s click changes nothing', async () => {
    const question = mentionEvent({ channel: CHANNEL, user: 'U0ASKER', text: QUESTION });
    const threadTs = question.event.ts as string;
    expect((await postSlackEvent(server.url, question, { secret: SECRET })).status).toBe(200);
    const withButtons = (current: TFakeSlackCall[]) => {
      const reply = repliesIn(current, CHANNEL, threadTs)[0];
      return current.filter((call) => call.method === 'chat.update' && call.ts === reply?.postedTs && call.blocks !== null);
    };
    const all = await waitFor(calls, (current) => withButtons(current).length > 0, 30_000, 'the answer with its choices');
    const update = withButtons(all).at(-1)!;
    const blocks = update.blocks as unknown as TBlock[];
    const actions = blocks.at(-1)!;
    expect(actions.type).toBe('actions');
    const buttons = actions.elements!;
    expect(buttons.map((button) => button.text.text).sort()).toEqual(['Embedded mode', 'FAQ']);
    expect(buttons.every((button) => button.action_id.startsWith('pa_choice_'))).toBe(true);
    const message = { text: update.text!, blocks };
    const click = (user: string, responseId: string) =>
      clickBody({ user, threadTs, replyTs: update.ts!, actionId: buttons[1]!.action_id, value: buttons[1]!.value, responseId, message });

    expect(await postClick(click('U0OTHER', 'c1'))).toBe(200);
    const refused = await waitFor(() => responsesTo('c1'), (said) => said.length > 0, 10_000, 'the refusal');
    expect(refused.map((said) => said.body)).toEqual([{ response_type: 'ephemeral', replace_original: false, text: 'Only the member who asked in this thread can choose what they meant.' }]);

    expect(await postClick(click('U0ASKER', 'c2'))).toBe(200);
    const said = await waitFor(() => responsesTo('c2'), (current) => current.length >= 2, 10_000, 'the rewrite and the reply');
    // The message first loses its buttons (the same text and sections), then the member is told.
    expect(said[0]!.body).toEqual({ replace_original: true, text: update.text, blocks: blocks.slice(0, -1) });
    expect(said[1]!.body).toEqual({ response_type: 'ephemeral', replace_original: false, text: `Asking about ${buttons[1]!.text.text} in the thread…` });
    // And the choice is asked in the thread: a second reply there.
    await waitFor(calls, (current) => repliesIn(current, CHANNEL, threadTs).length >= 2, 30_000, 'the choice answered in the thread');
  });
});
