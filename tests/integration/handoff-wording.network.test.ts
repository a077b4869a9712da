import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { askDocs } from '@/lib/mcp/ask';
import { createTestApp } from '../helpers/app';
import { onlyLocalUnhandled } from '../helpers/instances';
import { waitUntil } from '../helpers/models';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { createFakeSlack, SLACK_ENV, type TFakeSlack } from '../helpers/slack';
import { envelope, nextTs, postSlackEvent, BOT_USER } from '../helpers/slack-events';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// "Wording says only what is configured" (issue 56, item 4), door by door: the offline not-covered answer names
// "Ask the maintainers" only where the door it is read in shows that button. With HANDOFF_TO=slack the site's panel
// shows it (the review channel takes the conversation), but an answer in Slack does not (a Slack conversation is
// not in the review channel) and an agent asking through MCP has no button at all.

const SIGNING_SECRET = 'slack-signing-secret-for-wording-0123';
const QUESTION = 'What is the capital of France?';
const NAMES_BUTTON = /Ask the maintainers/;

const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledRequest: onlyLocalUnhandled }));
afterAll(() => msw.close());

let app: TApp | undefined;
let http: TTestServer | undefined;
let slack: TFakeSlack;
afterEach(async () => {
  msw.resetHandlers();
  await http?.close();
  await app?.db.close();
  app = http = undefined;
});

async function setup(env: Record<string, string>) {
  slack = createFakeSlack();
  msw.use(slack.handler);
  app = await createTestApp({
    env: { ...SLACK_ENV, SLACK_SIGNING_SECRET: SIGNING_SECRET, ...env },
    overrides: { reviewChannelOptions: { isAutoDelivering: false }, chatDoorsOptions: { pollMs: 50, updateIntervalMs: 50, backoffBaseMs: 50, backoffMaxMs: 200 } },
  });
  http = await startTestServer(app);
  return { app, reader: createClient(http.url) };
}

/** The site's answer to `question`, as the panel shows it. */
async function siteAnswer(reader: ReturnType<typeof createClient>, question: string): Promise<string> {
  const thread = await reader.post('/api/paste-assistant-thread');
  const threadId = thread.body.id as string;
  expect((await reader.post('/api/paste-assistant-message', { threadId, message: question })).body.run.status).toBe('completed');
  const messages = await reader.get(`/api/paste-assistant-messages/${threadId}`);
  const answer = (messages.body.data as { role: string; content: { text: { value: string } }[] }[]).find((message) => message.role === 'assistant');
  return answer?.content[0]?.text.value ?? '';
}

/** The final text of the app's reply to a mention of it in a Slack channel. */
async function slackAnswer(question: string): Promise<string> {
  const channel = 'C0WORDING';
  const mention = envelope({ type: 'app_mention', channel, user: 'U0ASKER', text: `<@${BOT_USER}> ${question}`, ts: nextTs() });
  expect((await postSlackEvent(http!.url, mention, { secret: SIGNING_SECRET })).status).toBe(200);
  const final = () => {
    const updates = slack.delivered().filter((call) => call.method === 'chat.update' && call.channel === channel);
    // The answer once written: progress updates end with "Writing…".
    return updates.map((call) => call.text ?? '').find((text) => text.includes("The docs don't cover this") && !text.includes('Writing…')) ?? null;
  };
  await waitUntil(async () => final() !== null, 30_000);
  return final()!;
}

describe('where the not-covered answer names "Ask the maintainers"', () => {
  it('with HANDOFF_TO=slack: in the site’s panel, not in a Slack answer nor to an MCP agent', async () => {
    const { app: current, reader } = await setup({ HANDOFF_TO: 'slack' });
    const site = await siteAnswer(reader, QUESTION);
    expect(site).toContain("The docs don't cover this");
    expect(site).toMatch(NAMES_BUTTON);

    const inSlack = await slackAnswer(QUESTION);
    expect(inSlack).not.toMatch(NAMES_BUTTON);

    const owner = 'owner_mcp_wording_0000000';
    const asked = await askDocs({ access: PUBLIC_ACCESS, deps: current, owner, client: { sessionId: owner, ip: '127.0.0.1' }, question: QUESTION });
    expect(asked.isAnswered).toBe(true);
    if (asked.isAnswered) {
      expect(asked.answer).toContain("The docs don't cover this");
      expect(asked.answer).not.toMatch(NAMES_BUTTON);
    }
  });

  it('with HANDOFF_TO=github: a Slack answer carries the button, and its text names it', async () => {
    await setup({ HANDOFF_TO: 'github', HANDOFF_GITHUB_REPO: 'acme/docs', GITHUB_TOKEN: 'ghp_wordingTest0123456789' });
    expect(await slackAnswer(QUESTION)).toMatch(NAMES_BUTTON);
  });
});
