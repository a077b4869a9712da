import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getSlackOutboxStats } from '@/lib/db/slack-outbox';
import { waitUntil } from '../helpers/models';
import { SLACK_API_URL, SLACK_ENV } from '../helpers/slack';
import { createSession, onlyLocalUnhandled, startInstances, type TInstances } from '../helpers/instances';

// Slack down while readers talk to the assistant, with the delivery worker running as in production: the
// conversation does not notice, nothing is lost, and once Slack is back every post goes out once.

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: onlyLocalUnhandled }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

type TSlackState = 'refusing' | 'failing' | 'hanging' | 'up';

describe('Slack down', () => {
  let instances: TInstances;
  let state: TSlackState = 'refusing';
  const attempts: TSlackState[] = [];
  const posted: string[] = [];

  beforeAll(async () => {
    instances = await startInstances({
      count: 1,
      env: SLACK_ENV,
      overrides: () => ({ reviewChannelOptions: { isAutoDelivering: true, pollMs: 50, backoffBaseMs: 20, backoffMaxMs: 100 } }),
    });
  });
  afterAll(() => instances.close());

  it('leaves the conversation unaffected, keeps every post, and delivers them all once Slack is back', async () => {
    let counter = 0;
    server.use(
      http.post(`${SLACK_API_URL}/:method`, async ({ request, params }) => {
        attempts.push(state);
        if (state === 'refusing') return HttpResponse.error();
        if (state === 'failing') return new HttpResponse('upstream trouble', { status: 503 });
        if (state === 'hanging') {
          await delay(60_000);
          return HttpResponse.json({ ok: false, error: 'too_late' });
        }
        const body = new URLSearchParams(await request.text());
        if (params.method === 'chat.postMessage') posted.push(body.get('text') ?? '');
        counter += 1;
        return HttpResponse.json({ ok: true, channel: body.get('channel'), ts: `1790000000.${String(counter).padStart(6, '0')}` });
      }),
    );
    const [base] = instances.urls as [string];
    const reader = createSession();
    const questions: string[] = [];
    for (const next of ['refusing', 'failing', 'hanging'] as const) {
      state = next;
      const threadId = (await reader.post(base, '/api/paste-assistant-thread')).body.id;
      const question = `How do I configure Slack while it is ${next}?`;
      questions.push(question);
      const started = performance.now();
      const sent = await reader.post(base, '/api/paste-assistant-message', { threadId, message: question });
      expect(sent.status).toBe(200);
      expect(sent.body.run.status).toBe('completed');
      // Not held up by Slack (a hanging Slack call takes up to 10 s).
      expect(performance.now() - started).toBeLessThan(5_000);
      expect((await reader.request(base, 'PUT', `/api/paste-assistant-thread/${threadId}`, { json: { metadata: { threadTitle: `Slack ${next}` } } })).status).toBe(200);
      const messages = await reader.get(base, `/api/paste-assistant-messages/${threadId}`);
      expect(messages.body.data.map((message: any) => message.role)).toEqual(['user', 'assistant']);
      await waitUntil(() => attempts.includes(next), 10_000);
    }
    const stats = await getSlackOutboxStats({ db: instances.db });
    expect(stats.pending).toBeGreaterThanOrEqual(9);

    state = 'up';
    await waitUntil(async () => (await getSlackOutboxStats({ db: instances.db })).pending === 0, 30_000);
    // Each thread's announcement, question and answer went out exactly once.
    expect(posted.filter((text) => text.startsWith(':speech_balloon:'))).toHaveLength(3);
    for (const question of questions) expect(posted.filter((text) => text.startsWith('*Reader*') && text.includes(question))).toHaveLength(1);
    expect(posted.filter((text) => text.startsWith('*Assistant*'))).toHaveLength(3);
    expect(new Set(posted).size).toBe(posted.length);
  }, 60_000);
});
