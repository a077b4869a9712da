import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REFUSAL_TEXT } from '@/lib/assistant/moderation';
import { embeddingsWithoutAccess, responsesDialect } from '../helpers/openai';
import { createSession, onlyLocalUnhandled, startInstances, type TInstances } from '../helpers/instances';

// Moderation at the network edge: msw plays OpenAI's moderation endpoint and the Responses API. A flagged
// message is stored and marked, answered with a refusal, and the model is never asked.

const MODERATIONS_URL = 'https://api.openai.com/v1/moderations';
const server = setupServer(embeddingsWithoutAccess);
beforeAll(() => server.listen({ onUnhandledRequest: onlyLocalUnhandled }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let moderationRequests: { body: any; authorization: string | null }[] = [];
let modelRequests: number;
let isModerationDown = false;

beforeEach(() => {
  moderationRequests = [];
  modelRequests = 0;
  isModerationDown = false;
  server.use(
    http.post(MODERATIONS_URL, async ({ request }) => {
      const body = (await request.json()) as { input: string; model: string };
      moderationRequests.push({ body, authorization: request.headers.get('authorization') });
      if (isModerationDown) return HttpResponse.json({ error: { message: 'down' } }, { status: 503 });
      const isFlagged = body.input.includes('HARASS');
      return HttpResponse.json({
        id: 'modr_1',
        model: 'omni-moderation-2024-09-26',
        results: [
          {
            flagged: isFlagged,
            categories: { harassment: isFlagged, 'harassment/threatening': false, violence: false },
            category_scores: { harassment: isFlagged ? 0.97 : 0.01, 'harassment/threatening': 0.001, violence: 0.001 },
            category_applied_input_types: { harassment: ['text'] },
          },
        ],
      });
    }),
    http.post(responsesDialect.url, () => {
      modelRequests += 1;
      return HttpResponse.json(responsesDialect.build({ kind: 'answer', text: 'Set SLACK_BOT_TOKEN and SLACK_CHANNEL_ID.' }));
    }),
  );
});

const messagesOf = async (reader: ReturnType<typeof createSession>, base: string, threadId: string) =>
  (await reader.get(base, `/api/paste-assistant-messages/${threadId}`)).body.data;

describe('moderation with an OpenAI key', () => {
  let instances: TInstances;
  beforeAll(async () => {
    instances = await startInstances({ count: 1, env: { ...responsesDialect.env, MODERATION: 'auto', OPENAI_MAX_RETRIES: '0' } });
  });
  afterAll(() => instances.close());

  it('stores a flagged message marked, answers with a refusal, and never calls the model', async () => {
    const [base] = instances.urls as [string];
    const reader = createSession();
    const threadId = (await reader.post(base, '/api/paste-assistant-thread')).body.id;
    const sent = await reader.post(base, '/api/paste-assistant-message', { threadId, message: 'HARASS the maintainers' });
    expect(sent.status).toBe(200);
    expect(sent.body.run.status).toBe('completed');
    expect(modelRequests).toBe(0);
    expect(moderationRequests).toEqual([
      { body: { model: 'omni-moderation-latest', input: 'HARASS the maintainers' }, authorization: 'Bearer sk-test-key' },
    ]);

    const [question, refusal] = await messagesOf(reader, base, threadId);
    expect(question).toMatchObject({
      role: 'user',
      content: [{ text: { value: 'HARASS the maintainers' } }],
      // What the Slack outbox reads to flag the post for the maintainers.
      metadata: { flagged: true, moderation: { flagged: true, categories: ['harassment'], model: 'omni-moderation-2024-09-26' } },
    });
    expect(refusal).toMatchObject({ role: 'assistant', run_id: sent.body.run.id, metadata: { refusal: true, flagged: true } });
    expect(refusal.content[0].text.value).toBe(REFUSAL_TEXT);

    // The thread goes on: the next, harmless question reaches the model.
    const next = await reader.post(base, '/api/paste-assistant-message', { threadId, message: 'How do I configure Slack?' });
    expect(next.body.run.status).toBe('completed');
    expect(modelRequests).toBe(1);
    const messages = await messagesOf(reader, base, threadId);
    expect(messages[2].metadata).toEqual({});
    expect(messages[3].content[0].text.value).toContain('SLACK_BOT_TOKEN');
  });

  it('titles a flagged first message "New thread" without the model', async () => {
    const [base] = instances.urls as [string];
    const response = await createSession().post(base, '/api/paste-assistant-simple-completion', { prompt: 'HARASS them' });
    expect(response.body.choices[0].message.content).toBe('New thread');
    expect(modelRequests).toBe(0);
  });

  it('lets the message through, unmarked, when the moderation endpoint is down', async () => {
    const [base] = instances.urls as [string];
    isModerationDown = true;
    const reader = createSession();
    const threadId = (await reader.post(base, '/api/paste-assistant-thread')).body.id;
    const sent = await reader.post(base, '/api/paste-assistant-message', { threadId, message: 'HARASS but unchecked' });
    expect(sent.body.run.status).toBe('completed');
    expect(moderationRequests.length).toBeGreaterThanOrEqual(1);
    expect(modelRequests).toBe(1);
    expect((await messagesOf(reader, base, threadId))[0].metadata).toEqual({});
  });
});

describe('moderation turned off', () => {
  let instances: TInstances;
  beforeAll(async () => {
    instances = await startInstances({ count: 1, env: { ...responsesDialect.env, MODERATION: 'off' } });
  });
  afterAll(() => instances.close());

  it('never calls the moderation endpoint', async () => {
    const [base] = instances.urls as [string];
    const reader = createSession();
    const threadId = (await reader.post(base, '/api/paste-assistant-thread')).body.id;
    expect((await reader.post(base, '/api/paste-assistant-message', { threadId, message: 'HARASS' })).body.run.status).toBe('completed');
    expect(moderationRequests).toEqual([]);
    expect(modelRequests).toBe(1);
  });
});
