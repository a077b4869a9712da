import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createTestApp } from '../helpers/app';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';

// The whole conversation through the route handlers, with the default offline model, as a browser would.

let app: TApp;
let server: TTestServer;

beforeAll(async () => {
  app = await createTestApp();
  server = await startTestServer(app);
});

afterAll(async () => {
  await server.close();
  await app.db.close();
});

describe('a conversation, offline, through the routes', () => {
  it('creates a thread, answers a question with a docs link, lists user text first and the answer second', async () => {
    const reader = createClient(server.url);
    const thread = await reader.post('/api/paste-assistant-thread');
    expect(thread.status).toBe(200);

    const sent = await reader.post('/api/paste-assistant-message', {
      threadId: thread.body.id,
      message: 'How do I invite the bot to the Slack channel?',
    });
    expect(sent.status).toBe(200);
    expect(sent.body.run.status).toBe('completed');

    const run = await reader.get(`/api/paste-assistant-thread/${thread.body.id}/run/${sent.body.run.id}`);
    expect(run.body).toMatchObject({ status: 'completed', required_action: null, last_error: null, model: 'offline' });

    const messages = await reader.get(`/api/paste-assistant-messages/${thread.body.id}`);
    const [question, answer] = messages.body.data;
    expect(messages.body.data).toHaveLength(2);
    expect(question.role).toBe('user');
    expect(question.content[0].text.value).toBe('How do I invite the bot to the Slack channel?');
    expect(answer.role).toBe('assistant');
    expect(answer.run_id).toBe(sent.body.run.id);
    expect(answer.metadata.offline).toBe(true);
    expect(answer.content[0].text.value).toMatch(/\*\*Slack notifications › Choosing the channel\*\*/);
    expect(answer.content[0].text.annotations).toContainEqual(
      expect.objectContaining({ type: 'url_citation', url: '/docs/guides/slack#choosing-the-channel' }),
    );

    // The same question on a new thread gives the same answer: the offline model is deterministic.
    const again = await reader.post('/api/paste-assistant-thread');
    await reader.post('/api/paste-assistant-message', { threadId: again.body.id, message: 'How do I invite the bot to the Slack channel?' });
    const repeated = await reader.get(`/api/paste-assistant-messages/${again.body.id}`);
    expect(repeated.body.data[1].content).toEqual(answer.content);
  });

  it('answers plainly when the docs do not cover the question', async () => {
    const reader = createClient(server.url);
    const thread = await reader.post('/api/paste-assistant-thread');
    await reader.post('/api/paste-assistant-message', { threadId: thread.body.id, message: 'zyxwvut qwertyuiop' });
    const messages = await reader.get(`/api/paste-assistant-messages/${thread.body.id}`);
    expect(messages.body.data[1].content[0].text.value).toMatch(/docs don't cover this/);
    expect(messages.body.data[1].content[0].text.annotations).toEqual([]);
    expect(messages.body.data[1].metadata).toEqual({ offline: true, no_docs_match: true });
  });
});
