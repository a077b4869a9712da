import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setApp, type TApp } from '@/lib/app';
import { INSTRUCTIONS } from '@/lib/assistant/instructions';
import { TITLE_INSTRUCTIONS } from '@/lib/model/shared';
import { createTestApp } from '../helpers/app';
import { startChatServer, type TChatServer } from '../helpers/chat-server';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';

// The base-URL path over real sockets: the API routes on one local HTTP server, the model on another that
// speaks Chat Completions (as Ollama or vLLM would). No msw here.

let model: TChatServer;
beforeAll(async () => {
  model = await startChatServer();
});
afterAll(async () => {
  await model.close();
  setApp(undefined);
});

async function withApp(env: Record<string, string>, run: (client: ReturnType<typeof createClient>, app: TApp) => Promise<void>) {
  const app = await createTestApp({ env: { OPENAI_RETRY_BASE_MS: '1', ...env } });
  let api: TTestServer | undefined;
  try {
    api = await startTestServer(app);
    await run(createClient(api.url), app);
  } finally {
    await api?.close();
    await app.db.close();
  }
}

describe('a Chat Completions server on 127.0.0.1 behind the routes', () => {
  it('answers a question through a docs search and a cited answer, titles the thread, and reports the mode', async () => {
    await withApp({ OPENAI_BASE_URL: model.url, OPENAI_MODEL: 'local-model' }, async (client) => {
      const before = model.requests.length;
      const thread = (await client.post('/api/paste-assistant-thread')).body;
      const question = 'How do I create a Slack bot token?';

      const [sent, title] = await Promise.all([
        client.post('/api/paste-assistant-message', { threadId: thread.id, message: question }),
        client.post('/api/paste-assistant-simple-completion', { prompt: question }),
      ]);

      expect(sent.status).toBe(200);
      const run = sent.body.run;
      expect(run).toMatchObject({ object: 'thread.run', status: 'completed', model: 'local-model', last_error: null });
      expect(run.usage.total_tokens).toBe(run.usage.prompt_tokens + run.usage.completion_tokens);
      expect(run.usage.completion_tokens).toBe(24);

      expect(title.body).toMatchObject({
        object: 'chat.completion',
        model: 'local-model',
        choices: [{ message: { role: 'assistant', content: 'Creating a Slack bot token' } }],
      });

      const messages = (await client.get(`/api/paste-assistant-messages/${thread.id}`)).body.data;
      expect(messages.map((message: any) => message.role)).toEqual(['user', 'assistant']);
      const answer = messages[1].content[0].text;
      const link = '[Creating a bot token](/docs/guides/slack#creating-a-bot-token)';
      expect(answer.value).toBe(`The docs explain this in ${link}.`);
      expect(answer.annotations).toEqual([
        {
          type: 'url_citation',
          url: '/docs/guides/slack#creating-a-bot-token',
          title: 'Slack notifications › Creating a bot token',
          start_index: answer.value.indexOf(link),
          end_index: answer.value.indexOf(link) + link.length,
        },
      ]);

      const polled = (await client.get(`/api/paste-assistant-thread/${thread.id}/run/${run.id}`)).body;
      expect(polled.usage).toEqual(run.usage);

      const health = (await client.get('/api/health')).body;
      expect(health.modes.model).toBe('chat');
      expect(health.model).toBe('local-model');

      // What went over the socket: a title request and the two steps of the run, with a placeholder key.
      const seen = model.requests.slice(before);
      expect(seen).toHaveLength(3);
      expect(seen.every((request) => request.authorization === 'Bearer no-key')).toBe(true);
      const titleRequest = seen.find((request) => !request.body.tools);
      expect(titleRequest?.body.messages[0]).toEqual({ role: 'system', content: TITLE_INSTRUCTIONS });
      const runRequests = seen.filter((request) => request.body.tools);
      expect(runRequests.map((request) => request.body.messages.map((m: any) => m.role))).toEqual([
        ['system', 'user'],
        ['system', 'user', 'assistant', 'tool'],
      ]);
      expect(runRequests[0]?.body.messages[0].content).toBe(INSTRUCTIONS);
      // Run steps stream (with usage in the last chunk); the title is one plain completion.
      expect(runRequests.map((request) => [request.body.stream, request.body.stream_options])).toEqual([
        [true, { include_usage: true }],
        [true, { include_usage: true }],
      ]);
      expect(titleRequest?.body.stream).toBeUndefined();
    });
  });

  it('tells the model the language of a question not in English, and says nothing more for an English one', async () => {
    await withApp({ OPENAI_BASE_URL: model.url, OPENAI_MODEL: 'local-model' }, async (client) => {
      const ask = async (question: string) => {
        const before = model.requests.length;
        const thread = (await client.post('/api/paste-assistant-thread')).body;
        const sent = await client.post('/api/paste-assistant-message', { threadId: thread.id, message: question });
        expect(sent.body.run.status).toBe('completed');
        return model.requests.slice(before).filter((request) => request.body.tools);
      };
      const french = await ask('Comment créer un jeton de bot Slack ?');
      // Every step of the run (the search, then the answer) carries the rule and the detected language.
      expect(french).toHaveLength(2);
      for (const request of french) {
        const system = request.body.messages[0];
        expect(system.role).toBe('system');
        expect(system.content.startsWith(INSTRUCTIONS)).toBe(true);
        expect(system.content).toContain("The reader's question is in French (language code fr)");
        expect(system.content).toContain('translated from English');
      }
      // The rule itself is part of the instructions every run gets.
      expect(INSTRUCTIONS).toContain('Answer in the language the reader wrote the question in');
      const english = await ask('How do I create a Slack bot token?');
      expect(english.map((request) => request.body.messages[0].content)).toEqual([INSTRUCTIONS, INSTRUCTIONS]);
    });
  });

  it('fails the run with invalid_api_key when the server rejects the key, keeping the message', async () => {
    await withApp({ OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'rejected-key' }, async (client) => {
      const thread = (await client.post('/api/paste-assistant-thread')).body;
      const sent = await client.post('/api/paste-assistant-message', { threadId: thread.id, message: 'Hello?' });
      expect(sent.body.run.status).toBe('failed');
      expect(sent.body.run.last_error).toEqual({ code: 'invalid_api_key', message: expect.stringMatching(/maintainers/) });
      const messages = (await client.get(`/api/paste-assistant-messages/${thread.id}`)).body.data;
      expect(messages.map((message: any) => message.content[0].text.value)).toEqual(['Hello?']);
    });
  });

  it('fails the run with server_error when nothing listens at the base URL', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await withApp({ OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, OPENAI_MAX_RETRIES: '1' }, async (client) => {
      const thread = (await client.post('/api/paste-assistant-thread')).body;
      const sent = await client.post('/api/paste-assistant-message', { threadId: thread.id, message: 'Hello?' });
      expect(sent.body.run.status).toBe('failed');
      expect(sent.body.run.last_error).toEqual({ code: 'server_error', message: expect.stringMatching(/could not reach/) });
    });
  });
});
