import { rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { encodeEmbedToken, newReaderId } from '@/lib/embed/token';
import { expectError } from '../helpers/contract';
import { createSeededDataDir } from '../helpers/pglite-template';

// The embed's HTTP contract against `next start` (issue 22): widget.js, who may frame /embed (CSP
// frame-ancestors from EMBED_ALLOWED_ORIGINS, read at run time), the session token and its 401/403s. The main
// server of this tier has no EMBED_ALLOWED_ORIGINS (embedding off, our own site unchanged); this file starts one
// with two allowed sites.

const HOST = 'https://docs.example.com';
const OTHER = 'http://localhost:4321';
const SECRET = 'production-embed-session-secret-0123456789';
const WIDGET_BUDGET_GZIP_BYTES = 15 * 1024;

let embedding: TNextServer;

beforeAll(async () => {
  embedding = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-'),
    env: {
      NODE_ENV: 'production',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      SLACK_BOT_TOKEN: '',
      SLACK_CHANNEL_ID: '',
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      SESSION_SECRET: SECRET,
      EMBED_ALLOWED_ORIGINS: `${HOST},${OTHER}`,
    },
  });
});

afterAll(async () => {
  await embedding?.stop();
  if (embedding) rmSync(embedding.dataDir, { recursive: true, force: true });
});

type TCall = { status: number; headers: Headers; body: any };

async function call(base: string, method: string, route: string, { token, origin, json }: { token?: string; origin?: string; json?: unknown } = {}): Promise<TCall> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers['x-embed-token'] = token;
  if (origin !== undefined) headers.origin = origin;
  if (json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${route}`, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false;
  return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text };
}

describe('widget.js', () => {
  it('is served as JavaScript, cacheable, within its size budget, with the allowed sites', async () => {
    const response = await fetch(`${embedding.url}/widget.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    expect(response.headers.get('set-cookie')).toBeNull();
    const text = await response.text();
    expect(text).toContain(JSON.stringify([HOST, OTHER]));
    expect(text).toContain('"isEnabled":true');
    // It parses as a script (a build that mangled the loader would not).
    expect(() => new Function(text)).not.toThrow();
    const gzipped = gzipSync(text).length;
    process.stdout.write(`widget.js: ${text.length} bytes, ${gzipped} bytes gzip (budget ${WIDGET_BUDGET_GZIP_BYTES})\n`);
    expect(gzipped).toBeLessThanOrEqual(WIDGET_BUDGET_GZIP_BYTES);
  });

  it('says embedding is off when EMBED_ALLOWED_ORIGINS is not set', async () => {
    const text = await (await fetch(`${inject('mainUrl')}/widget.js`)).text();
    expect(text).toContain('"isEnabled":false');
  });
});

describe('who may frame /embed', () => {
  it('the allowed sites only (frame-ancestors), without X-Frame-Options; other pages stay unframeable', async () => {
    const embed = await fetch(`${embedding.url}/embed`);
    expect(embed.status).toBe(200);
    const policy = embed.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(new RegExp(`frame-ancestors ${HOST} ${OTHER}(;|$)`));
    expect(policy).toMatch(/script-src 'self'/);
    expect(embed.headers.get('x-frame-options')).toBeNull();
    for (const path of ['/', '/docs', '/assistant']) {
      const page = await fetch(`${embedding.url}${path}`);
      expect(page.headers.get('content-security-policy'), path).toMatch(/frame-ancestors 'none'/);
      expect(page.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  it('nobody when embedding is off (our own site unchanged)', async () => {
    const embed = await fetch(`${inject('mainUrl')}/embed`);
    expect(embed.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(embed.headers.get('x-frame-options')).toBe('DENY');
    const refused = await call(inject('mainUrl'), 'POST', '/api/embed/session', { json: { origin: HOST } });
    expectError(refused, 403, 'origin_not_allowed');
  });
});

describe('the embed session', () => {
  it('a token for an allowed site is a reader of its own, with no cookie', async () => {
    const session = await call(embedding.url, 'POST', '/api/embed/session', { origin: embedding.url, json: { origin: HOST } });
    expect(session.status, JSON.stringify(session.body)).toBe(200);
    expect(session.headers.get('set-cookie')).toBeNull();
    const token = session.body.token as string;
    const created = await call(embedding.url, 'POST', '/api/paste-assistant-thread', { token, origin: embedding.url });
    expect(created.status).toBe(200);
    expect(created.headers.get('set-cookie')).toBeNull();
    const listed = await call(embedding.url, 'GET', '/api/paste-assistant-thread', { token });
    expect(listed.body.data.map((thread: { id: string }) => thread.id)).toEqual([created.body.id]);
    expectError(await call(embedding.url, 'GET', `/api/paste-assistant-thread/${created.body.id}`), 404, 'not_found');
  });

  it('401 for a malformed or forged token; 403 origin_not_allowed from another site or for a site not allowed', async () => {
    const forged = encodeEmbedToken('not-the-secret-0123456789abcdef0123456789', { readerId: newReaderId(), origin: HOST, expiresAt: 4_000_000_000 });
    expectError(await call(embedding.url, 'GET', '/api/paste-assistant-thread', { token: 'pae1.garbage.x' }), 401, 'unauthorized');
    expectError(await call(embedding.url, 'GET', '/api/paste-assistant-thread', { token: forged }), 401, 'unauthorized');
    const { body } = await call(embedding.url, 'POST', '/api/embed/session', { json: { origin: HOST } });
    expectError(await call(embedding.url, 'GET', '/api/paste-assistant-thread', { token: body.token, origin: OTHER }), 403, 'origin_not_allowed');
    expectError(await call(embedding.url, 'GET', '/api/paste-assistant-thread', { token: body.token, origin: 'https://evil.example' }), 403, 'origin_not_allowed');
    expectError(await call(embedding.url, 'POST', '/api/embed/session', { json: { origin: 'https://evil.example' } }), 403, 'origin_not_allowed');
    expectError(await call(embedding.url, 'POST', '/api/embed/session', { origin: 'https://evil.example', json: { origin: HOST } }), 403, 'origin_not_allowed');
    const notListed = encodeEmbedToken(SECRET, { readerId: newReaderId(), origin: 'https://removed.example', expiresAt: 4_000_000_000 });
    expectError(await call(embedding.url, 'GET', '/api/paste-assistant-thread', { token: notListed }), 403, 'origin_not_allowed');
  });
});
