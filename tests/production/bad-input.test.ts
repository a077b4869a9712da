import { describe, expect, inject, it } from 'vitest';
import { buildDashboardUrl, buildReportUrl } from '@/lib/maintainers/links';
import { signSlackRequest } from '@/lib/slack/events';
import { PRODUCTION_API_KEYS, PRODUCTION_SLACK_SIGNING_SECRET } from './helpers/global-setup';

// What a probe of 2,061 requests found answering 500 under `next start`, each with a credential: a NUL in a /v1
// list cursor, out-of-range dates on the maintainers' report and dashboard, a NUL in a signed Slack callback.
// Now a 400 that names the field, or for Slack an acknowledgement. Every field of every route is covered by the
// property test in tests/integration/bad-input.network.test.ts; these are the probe's findings, as sent.

const base = () => inject('mainUrl');

describe('bad input under next start', () => {
  it('a NUL in a /v1 list cursor is a 400 naming it', async () => {
    for (const name of ['after', 'before']) {
      const response = await fetch(`${base()}/v1/threads/thread_0123456789abcdef0123456789abcdef/messages?${name}=msg_%00`, {
        headers: { authorization: `Bearer ${PRODUCTION_API_KEYS[0]}` },
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { param: string; message: string } };
      expect(body.error.param).toBe(name);
      expect(body.error.message).toContain(name);
    }
  });

  it('a date out of range on the report and the dashboard is a 400 naming it', async () => {
    const secret = inject('sessionSecret');
    const report = buildReportUrl({ siteUrl: base(), secret, ttlSeconds: 600 }).url;
    for (const [name, value] of [['from', '0000-01-01T00:00:00Z'], ['to', '9999-12-31T00:00:00Z']]) {
      const response = await fetch(`${report}&${name}=${value}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(name);
    }
    const dashboard = buildDashboardUrl({ siteUrl: base(), secret, ttlSeconds: 600 }).url;
    for (const [name, value] of [['from', '0000-01-01'], ['to', '9999-12-31']]) {
      const response = await fetch(`${dashboard}&${name}=${value}`);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(`${name}: must be a date from 1970-01-01 to 9998-12-31`);
    }
  });

  it('a signed Slack callback with a NUL is acknowledged, not refused into retries', async () => {
    const body = JSON.stringify({
      type: 'event_callback',
      event_id: 'Ev0PRODNUL',
      team_id: 'T0PRODTIER',
      event: { type: 'message', channel: 'C0X', user: 'U0X', text: 'hi\u0000', ts: '1700000000.000100', thread_ts: '1700000000.000001' },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const response = await fetch(`${base()}/api/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signSlackRequest({ secret: PRODUCTION_SLACK_SIGNING_SECRET, timestamp, body }) },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });
});
