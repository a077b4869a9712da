import { describe, expect, it } from 'vitest';
import { expectError } from '../helpers/contract';
import { STRICT_BURST, STRICT_BURST_SECONDS } from './helpers/global-setup';
import type { TResponse } from '../helpers/server';
import { newThread, send, strictClient } from './helpers/tier';

// 429 with Retry-After under `next start`, on the strict server (4 requests a minute per session, 1 message an
// hour per session). The refusal is raised by a Postgres function (PA429) in lib/ and answered by lib/http/index.ts:
// the same cross-bundle path as every other 4xx. Each test uses fresh sessions.

function expectRateLimited(response: TResponse, { min, max }: { min: number; max: number }) {
  expectError(response, 429, 'rate_limited');
  const retryAfter = response.headers.get('retry-after');
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(min);
  expect(Number(retryAfter)).toBeLessThanOrEqual(max);
}

describe('429 with Retry-After', () => {
  it(`refuses a session's request past its burst (${STRICT_BURST} a minute); health is exempt; another session is not affected`, async () => {
    const reader = strictClient();
    for (let index = 0; index < STRICT_BURST; index += 1) expect((await reader.get('/api/paste-assistant-thread')).status).toBe(200);
    const refused = await reader.get('/api/paste-assistant-thread');
    // One request comes back every 60 / 4 = 15 s.
    expectRateLimited(refused, { min: 1, max: STRICT_BURST_SECONDS / STRICT_BURST });
    expect(refused.body.error.message).toMatch(/too quickly/);
    expectRateLimited(await reader.post('/api/docs-search', { prompt: 'slack' }), { min: 1, max: STRICT_BURST_SECONDS / STRICT_BURST });
    expect((await reader.get('/api/health')).status).toBe(200);
    expect((await strictClient().get('/api/paste-assistant-thread')).status).toBe(200);
  });

  it("refuses a session's second message in an hour, and does not store it", async () => {
    const reader = strictClient();
    const threadId = await newThread(reader);
    expect((await send(reader, threadId, 'How do I configure Slack?')).status).toBe('completed');
    const refused = await reader.post('/api/paste-assistant-message', { threadId, message: 'One more question' });
    expectRateLimited(refused, { min: 60, max: 3600 });
    expect(refused.body.error.message).toMatch(/limit of 1 messages? an hour/);
    const messages = await reader.get(`/api/paste-assistant-messages/${threadId}`);
    expect(messages.body.data.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant']);
  });
});
