import { afterAll, describe, expect, it } from 'vitest';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { CHALLENGE_CAPABILITY, CHALLENGE_HEADER } from '@/lib/shared/challenge';
import { createSeededDataDir } from '../helpers/pglite-template';

// An operator raises the hourly quotas and restarts (issue 54, item 1.12): `next start` with 2 messages an hour per
// session, a reader asks until the browser challenge comes (80 % of the quota), then `next start` again on the same
// DATA_DIR with 60 an hour. The reader's bucket follows the new settings (supabase/schemas/70_limits.sql,
// pa_bucket_available): one message used of 60, so they keep asking, unchallenged. Before, the bucket kept what
// was left of the old quota, refilled at the new rate, and the reader was challenged at once.

const SESSION_SECRET = 'production-quota-change-secret-0123456789';
let server: TNextServer | undefined;

afterAll(async () => {
  await server?.stop();
});

function start(dataDir: string, messagesPerHour: number) {
  return startNextServer({
    dataDir,
    env: {
      NODE_ENV: 'production',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      SLACK_BOT_TOKEN: '',
      SESSION_SECRET,
      MODERATION: 'off',
      RATE_LIMIT_BURST: '100000',
      RATE_LIMIT_IP_BURST: '100000',
      RATE_LIMIT_MESSAGES_PER_HOUR: String(messagesPerHour),
      RATE_LIMIT_IP_MESSAGES_PER_HOUR: '100000',
    },
  });
}

async function call(url: string, cookie: string | undefined, route: string, json: unknown) {
  const response = await fetch(`${url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CHALLENGE_HEADER]: CHALLENGE_CAPABILITY, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(json),
  });
  return { status: response.status, body: (await response.json()) as any, cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] || cookie };
}

describe('hourly quotas raised by the operator', () => {
  it('apply to readers already seen: a reader challenged under the old quota keeps asking under the new one', async () => {
    const dataDir = await createSeededDataDir('pa-production-quota-change-');
    server = await start(dataDir, 2);
    const thread = await call(server.url, undefined, '/api/paste-assistant-thread', {});
    expect(thread.status, JSON.stringify(thread.body)).toBe(200);
    const cookie = thread.cookie;
    expect(cookie).toMatch(/^pa_session=/);
    const ask = (url: string, message: string) => call(url, cookie, '/api/paste-assistant-message', { threadId: thread.body.id, message });

    const first = await ask(server.url, 'How do I configure Slack?');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const challenged = await ask(server.url, 'And the channel?');
    expect(challenged.status).toBe(429);
    expect(challenged.body.error.code).toBe('challenge_required');
    await server.stop();

    server = await start(dataDir, 60);
    const outcomes: string[] = [];
    for (const message of ['And the channel?', 'How do replies come back?', 'Can I turn Slack off?']) {
      const sent = await ask(server.url, message);
      outcomes.push(sent.status === 200 ? 'answered' : `${sent.status} ${sent.body.error?.code}`);
    }
    expect(outcomes).toEqual(['answered', 'answered', 'answered']);
    // Two starts of `next start` on a loaded machine: more than the tier's minute.
  }, 180_000);
});
