import http, { type IncomingHttpHeaders } from 'node:http';
import { describe, expect, inject, it } from 'vitest';
import { buildDashboardUrl, buildReportUrl } from '@/lib/maintainers/links';
import { signSlackRequest } from '@/lib/slack/events';
import { PRODUCTION_API_KEYS, PRODUCTION_SLACK_SIGNING_SECRET } from './helpers/global-setup';

// What a probe of 2,061 requests found answering 500 under `next start`, each with a credential: a NUL in a /v1
// list cursor, out-of-range dates on the maintainers' report and dashboard, a NUL in a signed Slack callback.
// Now a 400 that names the field, or for Slack an acknowledgement. Every field of every route is covered by the
// property test in tests/integration/bad-input.network.test.ts; these are the probe's findings, as sent.
// A later probe (about 5,000 requests): a parameter named like an Object member on every route, `"metadata": null`
// on a /v1 assistant, and TRACE on the pages, which only `next start` can show (its proxy and its query parser).

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

  it('a query parameter named like an Object member is a parameter like any other, on every kind of route', async () => {
    const names = Object.getOwnPropertyNames(Object.prototype);
    const search = [...names.map((name) => `${name}=1`), 'constructor=2'].join('&');
    const auth = { authorization: `Bearer ${PRODUCTION_API_KEYS[0]}` };
    for (const path of ['/api/health', '/api/paste-assistant-thread', '/v1/assistants', '/widget.js', '/llms.txt', '/docs/index.md', '/']) {
      const response = await fetch(`${base()}${path}?${search}`, { headers: auth });
      expect(response.status, path).toBe(200);
      await response.body?.cancel();
    }
    // Before the signature check: refused for want of a signature, not by a crash.
    const slack = await fetch(`${base()}/api/slack/events?${search}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(slack.status).toBeLessThan(500);
  });

  it('"metadata": null on a /v1 assistant is no change, not a database error', async () => {
    const headers = { authorization: `Bearer ${PRODUCTION_API_KEYS[0]}`, 'content-type': 'application/json' };
    const created = await fetch(`${base()}/v1/assistants`, { method: 'POST', headers, body: JSON.stringify({ model: 'offline', metadata: { team: 'docs' } }) });
    const { id } = (await created.json()) as { id: string };
    const updated = await fetch(`${base()}/v1/assistants/${id}`, { method: 'POST', headers, body: JSON.stringify({ metadata: null }) });
    expect(updated.status).toBe(200);
    expect(((await updated.json()) as { metadata: unknown }).metadata).toEqual({ team: 'docs' });
  });

  it('TRACE, and any method but GET and HEAD, on a page is a 405 with Allow and the error body (HTML when asked)', async () => {
    for (const path of ['/', '/docs', '/docs/getting-started', '/assistant', '/embed', '/maintainers', `/shared/${'A'.repeat(32)}`]) {
      for (const method of ['TRACE', 'POST', 'DELETE', 'PROPFIND']) {
        const response = await rawRequest(method, `${base()}${path}`);
        expect(response.status, `${method} ${path}`).toBe(405);
        expect(response.headers.allow, `${method} ${path}`).toBe('GET, HEAD');
        expect(JSON.parse(response.body), `${method} ${path}`).toEqual({ error: { code: 'method_not_allowed', message: `Method ${method} is not allowed here. Allowed: GET, HEAD.` } });
      }
    }
    const page = await rawRequest('TRACE', `${base()}/docs`, { accept: 'text/html' });
    expect(page.status).toBe(405);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('405 Method Not Allowed');
    // An API route keeps its own Allow; a path that is no page is still a 404.
    expect(await rawRequest('TRACE', `${base()}/api/health`)).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD' } });
    expect((await rawRequest('TRACE', `${base()}/no-such-page`)).status).toBe(404);
  });
});

/** fetch refuses to send TRACE (as browsers do): a request as curl or a probe sends it. */
function rawRequest(method: string, url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}
