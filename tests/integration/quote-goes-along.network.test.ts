import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { emailText } from '@/lib/handoff/email';
import { createTestApp } from '../helpers/app';
import { startFakeGithub, type TFakeGithub } from '../helpers/fake-github';
import { waitUntil } from '../helpers/models';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { createFakeSlack, SLACK_ENV, type TFakeSlack } from '../helpers/slack';

// Issue 71 item 2, where the conversation goes: a question asked about a passage ("Ask about this": context.quote,
// kept as metadata.quote) carries the passage, masked and bounded, to the maintainers' Slack review channel and to a
// hand-off (the GitHub issue; the e-mail that brings the reply back quotes it too). Over real HTTP, PGlite, the
// offline model, Slack's Web API faked at the network edge (msw) and a fake GitHub on 127.0.0.1.

const REPO = 'acme/questions';
const QUOTE = 'Use the destructive variant for actions that delete data, and confirm first. Mail jane.doe@example.com <!channel>';

const msw = setupServer();
let slack: TFakeSlack;
let fake: TFakeGithub | undefined;
let app: TApp | undefined;
let server: TTestServer | undefined;

beforeAll(() => msw.listen({ onUnhandledRequest: (request, print) => (new URL(request.url).hostname !== '127.0.0.1' ? print.error() : undefined) }));
afterEach(async () => {
  msw.resetHandlers();
  await server?.close();
  await app?.db.close();
  await fake?.close();
  server = app = fake = undefined;
});
afterAll(() => msw.close());

describe('a question about a passage, where the conversation goes', () => {
  it('shows the passage, masked, in the review channel and in the hand-off’s GitHub issue', async () => {
    slack = createFakeSlack();
    msw.use(slack.handler);
    fake = await startFakeGithub({ repos: { [REPO]: { issues: [], comments: {} } } });
    app = await createTestApp({
      env: { ...SLACK_ENV, HANDOFF_TO: 'github', HANDOFF_GITHUB_REPO: REPO, GITHUB_TOKEN: 'ghp_quoteHandoff0123456789', GITHUB_API_URL: fake.url },
      overrides: { reviewChannelOptions: { isAutoDelivering: false } },
    });
    server = await startTestServer(app);
    const reader = createClient(server.url);
    const threadId = (await reader.post('/api/paste-assistant-thread')).body.id as string;
    const sent = await reader.post('/api/paste-assistant-message', {
      threadId,
      message: 'What does this mean?',
      context: { page: '/docs/guides/buttons', quote: QUOTE, title: 'Buttons', url: 'https://docs.example.com/docs/guides/buttons' },
    });
    expect(sent.body.run.status).toBe('completed');

    // The review channel: the reader's post names the passage's page and quotes the passage, masked and escaped.
    await waitUntil(async () => {
      await app!.reviewChannel.deliverOutboxOnce();
      return slack.delivered().some((call) => (call.text ?? '').includes('What does this mean?'));
    }, 10_000);
    const post = slack.delivered().find((call) => (call.text ?? '').includes('What does this mean?'))!.text!;
    expect(post).toContain('_About this passage of <https://docs.example.com/docs/guides/buttons|Buttons>:_');
    expect(post).toContain('>Use the destructive variant for actions that delete data');
    expect(post).not.toContain('jane.doe@example.com');
    expect(post).not.toContain('<!channel>');

    // The hand-off: the issue quotes the passage after the question, masked.
    const handoff = await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, {});
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(201);
    const [issue] = fake.openedIssues(REPO);
    expect(issue!.body).toContain('**The passage they asked about** (on “Buttons”)');
    expect(issue!.body).toMatch(/> Use the destructive variant for actions that delete data/);
    expect(issue!.body).not.toContain('jane.doe@example.com');
  });

  it('is quoted in the e-mail that brings the maintainers’ reply, bounded', () => {
    const text = emailText({ question: 'What does this mean?', quote: `${'line\n'.repeat(3)}${'x'.repeat(5000)}`, replies: ['It deletes.'], siteUrl: 'https://docs.example.com', conversationUrl: 'https://docs.example.com/c' });
    expect(text).toContain('> What does this mean?\n\nAbout this passage:\n\n> line\n> line\n> line\n> xxx');
    expect(text.length).toBeLessThan(4000);
    expect(emailText({ question: 'Q?', replies: [], siteUrl: 'https://docs.example.com', conversationUrl: 'https://docs.example.com/c' })).not.toContain('About this passage');
  });
});
