import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModelUsageToday } from '@/lib/db/limits';
import { buildScriptedModel, toolCall } from '../helpers/models';
import { createSession, expectRateLimited, startInstances, type TInstances } from '../helpers/instances';
import { STORES } from '../helpers/stores';

// Rate limits and quotas over real HTTP, with two app instances on one database (PGlite, and a Postgres server): every limit must hold no
// matter which instance a request lands on.

const GENEROUS = {
  RATE_LIMIT_BURST: '1000',
  RATE_LIMIT_IP_BURST: '1000',
  RATE_LIMIT_MESSAGES_PER_HOUR: '1000',
  RATE_LIMIT_IP_MESSAGES_PER_HOUR: '1000',
  RATE_LIMIT_THREAD_MESSAGES: '1000',
  RATE_LIMIT_DAILY_TOKENS: '0',
};

async function newThread(session: ReturnType<typeof createSession>, base: string): Promise<string> {
  const thread = await session.post(base, '/api/paste-assistant-thread');
  expect(thread.status).toBe(200);
  return thread.body.id;
}

async function send(session: ReturnType<typeof createSession>, base: string, threadId: string, message = 'How do I configure Slack?') {
  return session.post(base, '/api/paste-assistant-message', { threadId, message });
}

describe.each(STORES)('limits on %s', (store) => {
  describe('burst limits (every request, per session and per address)', () => {
    let instances: TInstances;
    beforeAll(async () => {
      instances = await startInstances({
        store,
        env: { ...GENEROUS, RATE_LIMIT_BURST: '5', RATE_LIMIT_IP_BURST: '8', RATE_LIMIT_BURST_SECONDS: '60' },
      });
    });
    afterAll(() => instances.close());

    it('refuses the sixth request of a session across instances, then the ninth from the address; health is exempt', async () => {
      const [a, b] = instances.urls as [string, string];
      const reader = createSession();
      for (let index = 0; index < 5; index += 1) {
        expect((await reader.get(index % 2 === 0 ? a : b, '/api/paste-assistant-thread')).status).toBe(200);
      }
      const refused = await reader.get(b, '/api/paste-assistant-thread');
      // 5 per 60 s refills one request every 12 s.
      const retryAfter = expectRateLimited(refused, { message: /sending requests too quickly.*wait \d+ seconds/, maxRetry: 12 });
      expect(retryAfter).toBeGreaterThanOrEqual(11);
      expectRateLimited(await reader.get(a, '/api/paste-assistant-thread'), { message: /too quickly/ });

      // A new cookie is a new session, but the same address: 3 requests left of its 8, whatever
      // X-Forwarded-For says (no proxy is trusted here).
      const dodger = () => createSession({ 'x-forwarded-for': `198.51.100.${Math.floor(Math.random() * 250)}` });
      for (let index = 0; index < 3; index += 1) expect((await dodger().get(index % 2 === 0 ? a : b, '/api/paste-assistant-thread')).status).toBe(200);
      expectRateLimited(await dodger().get(a, '/api/paste-assistant-thread'), { message: /from your network/ });
      expectRateLimited(await dodger().post(b, '/api/docs-search', { prompt: 'slack' }), { message: /from your network/ });

      expect((await dodger().get(a, '/api/health')).status).toBe(200);
    });
  });

  describe('burst limits of a message (taken in the round trip that stores it)', () => {
    let instances: TInstances;
    beforeAll(async () => {
      instances = await startInstances({ store, env: { ...GENEROUS, RATE_LIMIT_BURST: '3', RATE_LIMIT_BURST_SECONDS: '3600' } });
    });
    afterAll(() => instances.close());

    it('refuses a message past the session’s burst as any request, on either instance', async () => {
      const [a, b] = instances.urls as [string, string];
      const reader = createSession();
      const threadId = await newThread(reader, a);
      expect((await send(reader, b, threadId)).status).toBe(200);
      expect((await reader.get(a, '/api/paste-assistant-thread')).status).toBe(200);
      expectRateLimited(await send(reader, b, threadId, 'One more question'), { message: /sending requests too quickly/ });
    });
  });

  describe('client address behind a trusted proxy', () => {
    let instances: TInstances;
    beforeAll(async () => {
      instances = await startInstances({
        store,
        env: { ...GENEROUS, RATE_LIMIT_IP_BURST: '3', RATE_LIMIT_BURST_SECONDS: '60', TRUSTED_PROXY_HEADER: 'X-Forwarded-For' },
      });
    });
    afterAll(() => instances.close());

    it('counts each client address from the proxy header (the entry the proxy appended) separately', async () => {
      const [a, b] = instances.urls as [string, string];
      const from = (address: string) => createSession({ 'x-forwarded-for': `10.9.9.9, ${address}` });
      for (let index = 0; index < 3; index += 1) expect((await from('203.0.113.7').get(index % 2 ? a : b, '/api/paste-assistant-thread')).status).toBe(200);
      expectRateLimited(await from('203.0.113.7').get(a, '/api/paste-assistant-thread'), { message: /from your network/ });
      // A spoofed first entry does not matter: the last one is what the proxy saw.
      expectRateLimited(await createSession({ 'x-forwarded-for': '192.0.2.1, 203.0.113.7' }).get(b, '/api/paste-assistant-thread'), { message: /network/ });
      expect((await from('203.0.113.8').get(a, '/api/paste-assistant-thread')).status).toBe(200);
      // IPv6 clients are counted by their /64: another address in the same block shares the budget.
      for (let index = 0; index < 3; index += 1) expect((await from(`2001:db8:1:2::${index + 1}`).get(b, '/api/paste-assistant-thread')).status).toBe(200);
      expectRateLimited(await from('2001:db8:1:2:ffff::9').get(a, '/api/paste-assistant-thread'), { message: /network/ });
      expect((await from('2001:db8:1:3::1').get(a, '/api/paste-assistant-thread')).status).toBe(200);
    });
  });

  describe('hourly message quota (per session and per address)', () => {
    let instances: TInstances;
    beforeAll(async () => {
      instances = await startInstances({ store, env: { ...GENEROUS, RATE_LIMIT_MESSAGES_PER_HOUR: '3', RATE_LIMIT_IP_MESSAGES_PER_HOUR: '5' } });
    });
    afterAll(() => instances.close());

    it('refuses the fourth message of a session in an hour, on either instance, without storing it', async () => {
      const [a, b] = instances.urls as [string, string];
      const reader = createSession();
      const threadId = await newThread(reader, a);
      for (const base of [a, b, a]) {
        const sent = await send(reader, base, threadId);
        expect(sent.status).toBe(200);
        expect(sent.body.run.status).toBe('completed');
      }
      const refused = await send(reader, b, threadId, 'One more question');
      // 3 an hour refill one every 20 minutes.
      const retryAfter = expectRateLimited(refused, { message: /limit of 3 messages an hour.*20 minutes/, maxRetry: 1200 });
      expect(retryAfter).toBeGreaterThan(1100);
      const messages = await reader.get(a, `/api/paste-assistant-messages/${threadId}?limit=100`);
      expect(messages.body.data).toHaveLength(6);
      expect(messages.body.data.map((message: any) => message.content[0].text.value)).not.toContain('One more question');
      // A title completion is a model call too.
      expectRateLimited(await reader.post(a, '/api/paste-assistant-simple-completion', { prompt: 'Slack setup' }), { message: /messages an hour/ });
    });

    it('refuses a new session once the address has used its 5', async () => {
      const [a, b] = instances.urls as [string, string];
      const other = createSession();
      const threadId = await newThread(other, b);
      expect((await send(other, a, threadId)).status).toBe(200);
      expect((await send(other, b, threadId)).status).toBe(200);
      expectRateLimited(await send(other, a, threadId), { message: /network has reached its limit of 5 messages an hour/ });
    });
  });

  describe('per-thread message cap', () => {
    let instances: TInstances;
    beforeAll(async () => {
      instances = await startInstances({ store, env: { ...GENEROUS, RATE_LIMIT_THREAD_MESSAGES: '2' } });
    });
    afterAll(() => instances.close());

    it('refuses a third message in one thread and points to a new thread, which works', async () => {
      const [a, b] = instances.urls as [string, string];
      const reader = createSession();
      const threadId = await newThread(reader, a);
      expect((await send(reader, a, threadId)).status).toBe(200);
      expect((await send(reader, b, threadId)).status).toBe(200);
      expectRateLimited(await send(reader, a, threadId), { message: /limit of 2 messages\. Start a new thread/, minRetry: 86_400 });
      const fresh = await newThread(reader, b);
      expect((await send(reader, b, fresh)).body.run.status).toBe('completed');
    });
  });

  describe('daily model token cap (whole site)', () => {
    let instances: TInstances;
    // Every model call reports 15 tokens; the first run takes a docs-search round (2 calls = 30 tokens).
    const model = buildScriptedModel([{ type: 'tool_calls', calls: [toolCall('slack')] }, { type: 'message', text: 'Answer.' }]);
    beforeAll(async () => {
      instances = await startInstances({ store, env: { ...GENEROUS, RATE_LIMIT_DAILY_TOKENS: '40' }, overrides: () => ({ model }) });
    });
    afterAll(() => instances.close());

    it('counts run usage across instances and refuses model calls until the next UTC midnight', async () => {
      const [a, b] = instances.urls as [string, string];
      const reader = createSession();
      const threadId = await newThread(reader, a);
      expect((await send(reader, a, threadId)).body.run).toMatchObject({ status: 'completed', usage: { total_tokens: 30 } });
      expect((await send(reader, b, threadId)).body.run).toMatchObject({ status: 'completed', usage: { total_tokens: 15 } });
      expect((await getModelUsageToday({ db: instances.db })).total_tokens).toBe(45);

      const someoneElse = createSession();
      const otherThread = await newThread(someoneElse, b);
      const refused = await send(someoneElse, b, otherThread);
      const now = new Date();
      const untilMidnight = (Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime()) / 1000;
      const retryAfter = expectRateLimited(refused, { message: /answered all it can for today/ });
      expect(Math.abs(retryAfter - untilMidnight)).toBeLessThan(10);
      expectRateLimited(await someoneElse.post(a, '/api/paste-assistant-simple-completion', { prompt: 'Slack setup' }), { message: /for today/ });

      // Deleting threads does not give tokens back.
      await reader.request(a, 'DELETE', `/api/paste-assistant-thread/${threadId}`);
      const again = await newThread(reader, a);
      expectRateLimited(await send(reader, a, again), { message: /for today/ });
      expect(model.requests).toHaveLength(3);
    });
  });

  describe('title completions count toward the daily tokens', () => {
    let instances: TInstances;
    const model = { ...buildScriptedModel([{ type: 'message', text: 'Answer.' }]), complete: async () => ({ text: 'Slack setup', usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } }) };
    beforeAll(async () => {
      instances = await startInstances({ store, count: 1, env: { ...GENEROUS, RATE_LIMIT_DAILY_TOKENS: '1000' }, overrides: () => ({ model }) });
    });
    afterAll(() => instances.close());

    it('records the usage of each completion', async () => {
      const [base] = instances.urls as [string];
      const reader = createSession();
      for (let index = 0; index < 2; index += 1) {
        const response = await reader.post(base, '/api/paste-assistant-simple-completion', { prompt: 'How do I set up Slack?' });
        expect(response.body.choices[0].message.content).toBe('Slack setup');
      }
      expect((await getModelUsageToday({ db: instances.db })).total_tokens).toBe(14);
    });
  });
});
