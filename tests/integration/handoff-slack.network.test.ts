import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createTestApp } from '../helpers/app';
import { onlyLocalUnhandled } from '../helpers/instances';
import { waitUntil } from '../helpers/models';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { createFakeSlack, SLACK_CHANNEL, SLACK_ENV } from '../helpers/slack';

// HANDOFF_TO=slack (issue 56, item 4): the review channel's thread of the conversation gets one post marked as needing
// a maintainer, mentioning HANDOFF_SLACK_MENTION, with the reader's note quoted inertly; asking again posts nothing more.

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: onlyLocalUnhandled }));
afterAll(() => server.close());

let app: TApp | undefined;
let http: TTestServer | undefined;
afterEach(async () => {
  server.resetHandlers();
  await http?.close();
  await app?.db.close();
  app = http = undefined;
});

describe('a hand-off to the review channel', () => {
  it('posts once in the conversation’s Slack thread that a maintainer is needed, mentioning the configured group', async () => {
    const slack = createFakeSlack();
    server.use(slack.handler);
    app = await createTestApp({ env: { ...SLACK_ENV, HANDOFF_TO: 'slack', HANDOFF_SLACK_MENTION: 'S0MAINTAIN' }, overrides: { reviewChannelOptions: { pollMs: 50 } } });
    http = await startTestServer(app);
    const reader = createClient(http.url);
    const thread = await reader.post('/api/paste-assistant-thread');
    const threadId = thread.body.id as string;
    expect((await reader.post('/api/paste-assistant-message', { threadId, message: 'Can I fax a transcript?' })).body.run.status).toBe('completed');

    const first = await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, { note: 'Please <!channel> help, write me at me@example.net' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ channel: 'slack', status: 'opened', replied_at: null, is_emailed: false });
    expect(first.body.url).toBeUndefined();
    const handoffPosts = () => slack.delivered().filter((call) => call.method === 'chat.postMessage' && (call.text ?? '').includes('Needs a maintainer'));
    await waitUntil(async () => handoffPosts().length === 1, 15_000);
    const [post] = handoffPosts();
    expect(post!.channel).toBe(SLACK_CHANNEL);
    expect(post!.threadTs).not.toBeNull();
    expect(post!.text).toContain('<!subteam^S0MAINTAIN>');
    expect(post!.text).not.toContain('<!channel>');
    expect(post!.text).not.toContain('me@example.net');

    const again = await reader.post(`/api/paste-assistant-thread/${threadId}/handoff`, {});
    expect([again.status, again.body]).toEqual([200, first.body]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(handoffPosts()).toHaveLength(1);
  });
});
