import { describe, expect, it } from 'vitest';
import { HOSTILE_ANSWER, HUGE_ANSWER } from './helpers/fake-model';
import { STRICT_API_KEY } from './helpers/global-setup';
import { mainClient, modelLog, modelRequests, newThread, send, strictClient, type TClient } from './helpers/tier';

// The model under `next start`, through both adapters: Chat Completions on the main server, OpenAI's Responses
// API (with a key, so docs embeddings too) on the strict one. A failing model ends the run `failed` with the
// model error's own code on last_error (the ModelError is raised in the adapter's bundle and read in the
// runtime's; recognised by `instanceof` they all became server_error). The reader's message is kept, and the
// error never leaks the key or the URL.

async function failedRun(client: TClient, question: string) {
  const threadId = await newThread(client);
  const run = await send(client, threadId, question);
  expect(run.status, JSON.stringify(run)).toBe('failed');
  expect(run.failed_at).toEqual(expect.any(Number));
  expect(JSON.stringify(run.last_error)).not.toMatch(/127\.0\.0\.1|sk-|Bearer|at \w+ \(/);
  const messages = await client.get(`/api/paste-assistant-messages/${threadId}`);
  // The question is stored; no answer was.
  expect(messages.body.data.map((message: { role: string; content: { text: { value: string } }[] }) => [message.role, message.content[0]!.text.value])).toEqual([
    ['user', question],
  ]);
  return run;
}

describe('model errors on the run', () => {
  it('429 from the model → rate_limit_exceeded, after the configured retry', async () => {
    const question = 'Rate limited question [[model:429]]';
    const run = await failedRun(mainClient(), question);
    expect(run.last_error).toEqual({ code: 'rate_limit_exceeded', message: expect.stringMatching(/too many questions.*try again/i) });
    // OPENAI_MAX_RETRIES=1: the SDK asked twice.
    expect((await modelRequests()).filter((request) => request.question === question)).toHaveLength(2);
  });

  it('401 from the model → invalid_api_key, not retried', async () => {
    const question = 'Rejected key question [[model:401]]';
    const run = await failedRun(mainClient(), question);
    expect(run.last_error).toEqual({ code: 'invalid_api_key', message: expect.stringMatching(/rejected this site's AI key/) });
    expect((await modelRequests()).filter((request) => request.question === question)).toHaveLength(1);
  });

  it('400 context_length_exceeded → invalid_request, saying the conversation is too long', async () => {
    const run = await failedRun(mainClient(), 'Long conversation question [[model:context]]');
    expect(run.last_error).toEqual({ code: 'invalid_request', message: expect.stringMatching(/too long for the assistant's model.*new thread/) });
  });

  it('a model that hangs past MODEL_TIMEOUT_SECONDS (1 s on the strict server) → timeout', async () => {
    const startedAt = Date.now();
    const run = await failedRun(strictClient(), 'Hanging question [[model:hang]]');
    expect(run.last_error).toEqual({ code: 'timeout', message: expect.stringMatching(/took too long/) });
    // Ended by the 1 s timeout, not by the 10 s the route waits nor the SDK's 30 s.
    expect(Date.now() - startedAt).toBeLessThan(9000);
  });
});

describe('the Responses API adapter (strict server: OPENAI_API_KEY + OPENAI_BASE_URL)', () => {
  it('answers through a streamed Responses call with the key, after a docs search with embeddings', async () => {
    const reader = strictClient();
    const threadId = await newThread(reader);
    const question = 'How do I create the Slack app?';
    expect((await send(reader, threadId, question)).status).toBe('completed');
    const messages = await reader.get(`/api/paste-assistant-messages/${threadId}`);
    const answer = messages.body.data[1].content[0].text;
    expect(answer.value).toMatch(/^The docs explain this in \[.+\]\(\/docs\/[^)]+\)\.$/);
    expect(answer.annotations).toEqual([expect.objectContaining({ type: 'url_citation' })]);

    const log = await modelLog();
    const asked = log.requests.filter((request) => request.question === question);
    expect(asked.map((request) => [request.path, request.kind, request.isStreamed])).toEqual([
      ['/v1/responses', 'tool_call', true],
      ['/v1/responses', 'answer', true],
    ]);
    expect(asked.every((request) => request.authorization === `Bearer ${STRICT_API_KEY}`)).toBe(true);
    // The docs were indexed with embeddings at start-up and the search embedded the query: hybrid search.
    expect(log.embeddedTexts).toBeGreaterThan(10);
    const health = await reader.get('/api/health');
    expect(health.body.modes).toMatchObject({ model: 'responses', docsSearch: 'hybrid', slack: 'disabled' });
  });

  it('401 from the Responses API → invalid_api_key', async () => {
    const run = await failedRun(strictClient(), 'Rejected key on Responses [[model:401]]');
    expect(run.last_error).toEqual({ code: 'invalid_api_key', message: expect.stringMatching(/rejected this site's AI key/) });
  });
});

describe('what the model writes is stored only once storable, and only up to MAX_ANSWER_CHARS (32,000)', () => {
  it('drops NUL and replaces lone surrogates in the answer; the run completes', async () => {
    const reader = mainClient();
    const threadId = await newThread(reader);
    expect(HOSTILE_ANSWER).toContain('\u0000');
    expect((await send(reader, threadId, 'Hostile answer please [[model:hostile]]')).status).toBe('completed');
    const messages = await reader.get(`/api/paste-assistant-messages/${threadId}`);
    expect(messages.body.data[1]).toMatchObject({ role: 'assistant', status: 'completed' });
    expect(messages.body.data[1].content[0].text.value).toBe('Before after \uFFFD lone, pair \u{1F600} kept, low \uFFFD alone.');
  });

  it('ends the run incomplete (max_answer_chars) at the limit, keeping the text up to it', async () => {
    const reader = mainClient();
    const threadId = await newThread(reader);
    const run = await send(reader, threadId, 'Tell me everything [[model:huge]]');
    expect(run.status).toBe('incomplete');
    expect(run.incomplete_details).toMatchObject({ reason: 'max_answer_chars' });
    const answer = (await reader.get(`/api/paste-assistant-messages/${threadId}`)).body.data[1];
    expect(answer).toMatchObject({ role: 'assistant', status: 'incomplete' });
    const text: string = answer.content[0].text.value;
    expect(text.length).toBeLessThanOrEqual(32_000);
    expect(text.length).toBeGreaterThan(31_000);
    expect(HUGE_ANSWER.startsWith(text)).toBe(true);
  });
});
