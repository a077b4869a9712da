import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chatDialect, embeddingsWithoutAccess, responsesDialect, type TDialect } from '../helpers/openai';
import { createSession, onlyLocalUnhandled, startInstances, type TInstances } from '../helpers/instances';

// The model faults again, this time with the real adapters and the OpenAI SDK against msw at the model's URL,
// through the HTTP routes: 500s, 429s, a server that never answers, and a response cut off mid-body.
// Each ends the run `failed` with a reason the reader can act on; the question stays; sending it again works.

const server = setupServer(embeddingsWithoutAccess);
beforeAll(() => server.listen({ onUnhandledRequest: onlyLocalUnhandled }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

type TFault = { name: string; reply: () => Promise<Response> | Response; code: string; message: RegExp };

const FAULTS: TFault[] = [
  {
    name: '500 on every attempt',
    reply: () => HttpResponse.json({ error: { message: 'boom', type: 'server_error', code: null } }, { status: 500 }),
    code: 'server_error',
    message: /HTTP 500.*Your message was saved/,
  },
  {
    name: '429 on every attempt',
    reply: () => HttpResponse.json({ error: { message: 'raw provider text', type: 'requests', code: 'rate_limit_exceeded' } }, { status: 429, headers: { 'retry-after-ms': '1' } }),
    code: 'rate_limit_exceeded',
    message: /too many questions.*Your message was saved/,
  },
  {
    name: 'no answer before the timeout',
    reply: async () => {
      await delay(5_000);
      return HttpResponse.json({});
    },
    code: 'timeout',
    message: /did not answer in time/,
  },
  {
    name: 'a response cut off mid-body',
    reply: () => new HttpResponse('{"id":"resp_cut","object":"response","status":"completed","output":[{"type":"mess', { status: 200, headers: { 'content-type': 'application/json' } }),
    code: 'server_error',
    message: /problem while answering/,
  },
];

for (const dialect of [responsesDialect, chatDialect] as TDialect[]) {
  describe(`model faults over HTTP (${dialect.name} adapter)`, () => {
    let instances: TInstances;
    beforeAll(async () => {
      instances = await startInstances({
        count: 1,
        env: { ...dialect.env, OPENAI_MAX_RETRIES: '1', OPENAI_RETRY_BASE_MS: '1', OPENAI_TIMEOUT_MS: '400' },
      });
    });
    afterAll(() => instances.close());

    for (const fault of FAULTS) {
      it(`${fault.name} → failed with a reason, message kept, retry answers`, async () => {
        let isBroken = true;
        let calls = 0;
        server.use(
          http.post(dialect.url, () => {
            calls += 1;
            return isBroken ? fault.reply() : HttpResponse.json(dialect.build({ kind: 'answer', text: 'Set SLACK_BOT_TOKEN.' }));
          }),
        );
        const [base] = instances.urls as [string];
        const reader = createSession();
        const threadId = (await reader.post(base, '/api/paste-assistant-thread')).body.id;
        const sent = await reader.post(base, '/api/paste-assistant-message', { threadId, message: 'How do I configure Slack?' });
        expect(sent.body.run.status).toBe('failed');
        expect(sent.body.run.last_error).toEqual({ code: fault.code, message: expect.stringMatching(fault.message) });
        expect(JSON.stringify(sent.body.run.last_error)).not.toMatch(/sk-test|boom|raw provider text|api\.openai\.com|models\.test/);
        expect(calls).toBeGreaterThanOrEqual(1);

        const kept = await reader.get(base, `/api/paste-assistant-messages/${threadId}`);
        expect(kept.body.data.map((message: any) => message.content[0].text.value)).toEqual(['How do I configure Slack?']);

        isBroken = false;
        const retried = await reader.post(base, '/api/paste-assistant-message', { threadId, message: 'How do I configure Slack?' });
        expect(retried.body.run.status).toBe('completed');
        const after = await reader.get(base, `/api/paste-assistant-messages/${threadId}`);
        expect(after.body.data.map((message: any) => message.role)).toEqual(['user', 'user', 'assistant']);
        expect(after.body.data[2].content[0].text.value).toContain('SLACK_BOT_TOKEN');
      });
    }
  });
}
