import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createTestApp } from '../helpers/app';
import { READER_TOKEN_SECRET, signReaderToken } from '../helpers/reader-tokens';
import { createClient, startTestServer, type TTestServer } from '../helpers/server';
import { querySql } from '../helpers/stores';

// Signing in and out (issue 67): each moves the reader to a new session id, the site's cookie or the embed's token,
// taking their conversations along (supabase/schemas/15_reader_sessions.sql); whoever holds the old id (a cookie
// planted before sign-in, one copied while signed in) is a signed-out reader with nothing. A signed-out reader token
// is refused until it expires, on every instance (its hash is kept in the database until then). Reader tokens
// issued more than a minute ahead, or naming more than 50 audiences, are refused; a subject Postgres cannot store
// is a 400, never a 500.

const EMBED_HOST = 'https://host.example.com';
let app: TApp;
let server: TTestServer;

beforeAll(async () => {
  app = await createTestApp({ env: { READER_TOKEN_SECRET, EMBED_ALLOWED_ORIGINS: EMBED_HOST } });
  server = await startTestServer(app);
});

afterAll(async () => {
  await server?.close();
  await app?.db.close();
});

type TClient = ReturnType<typeof createClient>;

/** A request with the cookie `cookie` (a planted or copied one), whatever the client holds. */
const withCookie = (client: TClient, cookie: string, method: string, route: string, json?: unknown) =>
  client.request(method, route, { ...(json === undefined ? {} : { json }), headers: { cookie } });

const readerOf = async (cookie: string) => (await withCookie(createClient(server.url), cookie, 'GET', '/api/reader/status')).body.reader as { subject: string } | null;
const threadsOf = async (cookie: string) =>
  ((await withCookie(createClient(server.url), cookie, 'GET', '/api/paste-assistant-thread')).body.data as { id: string }[]).map((thread) => thread.id);

describe('a new session on sign-in and sign-out', () => {
  it('a cookie planted before sign-in is a signed-out reader’s once the victim signs in; the victim keeps their conversation', async () => {
    const attacker = createClient(server.url);
    await attacker.get('/api/reader/status');
    const planted = attacker.cookie!;
    // The victim's browser carries the attacker's cookie: what they ask before signing in is on that session.
    const victim = createClient(server.url);
    const asked = await withCookie(victim, planted, 'POST', '/api/paste-assistant-thread');
    expect(asked.status).toBe(200);
    expect(victim.cookie).toBeUndefined();
    const signedIn = await withCookie(victim, planted, 'POST', '/api/reader/session', { token: await signReaderToken({ sub: 'victim', audiences: ['staff'] }) });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    // A new session cookie, which the attacker does not have.
    expect(victim.cookie).toMatch(/^pa_session=/);
    expect(victim.cookie).not.toBe(planted);
    expect(await readerOf(victim.cookie!)).toMatchObject({ subject: 'victim' });
    expect(await readerOf(planted)).toBeNull();
    // The conversation went with the victim, in the same step: the planted cookie reads none of it.
    expect(await threadsOf(victim.cookie!)).toEqual([asked.body.id]);
    expect(await threadsOf(planted)).toEqual([]);
    expect((await withCookie(createClient(server.url), planted, 'GET', `/api/paste-assistant-thread/${asked.body.id}`)).status).toBe(404);
  });

  it('signing out gives a new session that keeps the conversations; the signed-in one, copied, holds no identity and nothing else', async () => {
    const reader = createClient(server.url);
    expect((await reader.post('/api/reader/session', { token: await signReaderToken({ sub: 'leaver' }) })).status).toBe(200);
    const thread = (await reader.post('/api/paste-assistant-thread')).body.id as string;
    const signedInCookie = reader.cookie!;
    const signedOut = await reader.delete('/api/reader/session');
    expect(signedOut.body).toEqual({ deleted: true });
    expect(reader.cookie).not.toBe(signedInCookie);
    expect(await readerOf(signedInCookie)).toBeNull();
    expect(await threadsOf(signedInCookie)).toEqual([]);
    expect(await readerOf(reader.cookie!)).toBeNull();
    expect(await threadsOf(reader.cookie!)).toEqual([thread]);
  });

  it('a refused token changes nothing: the same session, its reader and its conversations', async () => {
    const reader = createClient(server.url);
    expect((await reader.post('/api/reader/session', { token: await signReaderToken({ sub: 'stays' }) })).status).toBe(200);
    const thread = (await reader.post('/api/paste-assistant-thread')).body.id as string;
    const cookie = reader.cookie!;
    const refused = await reader.post('/api/reader/session', { token: await signReaderToken({ secret: 'another-secret-that-is-long-enough-0123456789' }) });
    expect(refused.status).toBe(401);
    expect(reader.cookie).toBe(cookie);
    expect(await readerOf(cookie)).toMatchObject({ subject: 'stays' });
    expect(await threadsOf(cookie)).toEqual([thread]);
  });

  it('the embed: a session token someone else knew is a signed-out reader’s once the reader signs in, and again once they sign out', async () => {
    const embed = async (method: string, route: string, token: string, json?: unknown) => {
      const response = await fetch(`${server.url}${route}`, {
        method,
        headers: { origin: EMBED_HOST, 'x-embed-token': token, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      return { status: response.status, body: (await response.json()) as any, renewed: response.headers.get('x-embed-token'), cookie: response.headers.get('set-cookie') };
    };
    const planted = (await (await fetch(`${server.url}/api/embed/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify({ origin: EMBED_HOST }) })).json()) as { token: string };
    const thread = (await embed('POST', '/api/paste-assistant-thread', planted.token)).body.id as string;
    const signedIn = await embed('POST', '/api/reader/session', planted.token, { token: await signReaderToken({ sub: 'embedded', audiences: ['staff'] }) });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    // No cookie in a frame: the new session is a new token in the response's header.
    expect(signedIn.cookie).toBeNull();
    const token = signedIn.renewed!;
    expect(token).toMatch(/^pae1\./);
    expect(token).not.toBe(planted.token);
    expect((await embed('GET', '/api/reader/status', token)).body.reader).toMatchObject({ subject: 'embedded' });
    expect((await embed('GET', '/api/reader/status', planted.token)).body.reader).toBeNull();
    expect((await embed('GET', '/api/paste-assistant-thread', token)).body.data.map((item: { id: string }) => item.id)).toEqual([thread]);
    expect((await embed('GET', '/api/paste-assistant-thread', planted.token)).body.data).toEqual([]);
    const signedOut = await embed('DELETE', '/api/reader/session', token);
    expect(signedOut.body).toEqual({ deleted: true });
    const after = signedOut.renewed!;
    expect(after).not.toBe(token);
    expect((await embed('GET', '/api/reader/status', token)).body.reader).toBeNull();
    expect((await embed('GET', '/api/paste-assistant-thread', token)).body.data).toEqual([]);
    expect((await embed('GET', '/api/paste-assistant-thread', after)).body.data.map((item: { id: string }) => item.id)).toEqual([thread]);
  });
});

describe('reader tokens', () => {
  const exchange = async (client: TClient, token: string) => client.post('/api/reader/session', { token });

  it('a signed-out token is refused until it expires, with or without a jti; another token of the same reader is not', async () => {
    for (const claims of [{}, { jti: 'token-7' }]) {
      const reader = createClient(server.url);
      const token = await signReaderToken({ sub: 'returning', claims });
      expect((await exchange(reader, token)).status).toBe(200);
      expect((await reader.delete('/api/reader/session')).body).toEqual({ deleted: true });
      const again = await exchange(reader, token);
      expect(again.status, JSON.stringify(claims)).toBe(401);
      expect(again.body.error).toEqual({ code: 'unauthorized', message: expect.stringMatching(/signed out/) });
      expect(await readerOf(reader.cookie!)).toBeNull();
      // From another browser too: the list is in the database, not in this server's memory.
      expect((await exchange(createClient(server.url), token)).status).toBe(401);
      // The host signs the reader in again with a token of its own.
      expect((await exchange(reader, await signReaderToken({ sub: 'returning', claims: { jti: 'token-8' } }))).status).toBe(200);
    }
    // The same jti signed again (another iat, so other bytes) is the same token.
    const reader = createClient(server.url);
    expect((await exchange(reader, await signReaderToken({ sub: 'returning', claims: { jti: 'token-9' } }))).status).toBe(200);
    await reader.delete('/api/reader/session');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await exchange(reader, await signReaderToken({ sub: 'returning', claims: { jti: 'token-9' } }))).status).toBe(401);
  });

  it('signing out ends every session the token made', async () => {
    const token = await signReaderToken({ sub: 'two-tabs' });
    const [one, two] = [createClient(server.url), createClient(server.url)];
    expect((await exchange(one, token)).status).toBe(200);
    expect((await exchange(two, token)).status).toBe(200);
    await one.delete('/api/reader/session');
    expect(await readerOf(two.cookie!)).toBeNull();
  });

  it('keeps a signed-out token only until it expires', async () => {
    const reader = createClient(server.url);
    const token = await signReaderToken({ sub: 'short-lived', seconds: 2 });
    expect((await exchange(reader, token)).status).toBe(200);
    await reader.delete('/api/reader/session');
    const denied = async () => Number((await querySql<{ count: number }>(app.db, 'select count(*)::int as count from reader_token_denied where expires_at > now() - interval \'1 hour\'')).rows[0]?.count);
    const kept = await denied();
    expect(kept).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    // The next sign-in (or sign-out) sweeps what has expired.
    expect((await exchange(createClient(server.url), await signReaderToken({ sub: 'sweeper' }))).status).toBe(200);
    expect(await denied()).toBe(kept - 1);
  });

  it('refuses an iat more than a minute ahead and more than 50 audiences', async () => {
    const reader = createClient(server.url);
    const future = await exchange(reader, await signReaderToken({ issuedInSeconds: 5 * 60 }));
    expect(future.status).toBe(401);
    expect(future.body.error.message).toMatch(/iat/);
    expect((await exchange(reader, await signReaderToken({ issuedInSeconds: 30 }))).status).toBe(200);
    const names = (count: number) => Array.from({ length: count }, (_, index) => `team-${index}`);
    const many = await exchange(reader, await signReaderToken({ audiences: names(51) }));
    expect(many.status).toBe(401);
    expect(many.body.error.message).toMatch(/50 audiences/);
    const fifty = await exchange(reader, await signReaderToken({ audiences: names(50) }));
    expect(fifty.status).toBe(200);
    expect(fifty.body.audiences).toHaveLength(50);
  });

  it('a NUL in a validly signed token is never a 5xx: a subject with one is refused, an audience with one dropped', async () => {
    const reader = createClient(server.url);
    const nulSubject = await exchange(reader, await signReaderToken({ sub: 'ada\u0000lovelace' }));
    expect(nulSubject.status, JSON.stringify(nulSubject.body)).toBe(400);
    expect(nulSubject.body.error.message).toMatch(/subject/);
    expect(await readerOf(reader.cookie!)).toBeNull();
    const nulAudience = await exchange(reader, await signReaderToken({ sub: 'ada', audiences: ['staff', 'sta\u0000ff', 'beta\u0000'] }));
    expect(nulAudience.status, JSON.stringify(nulAudience.body)).toBe(200);
    expect(nulAudience.body.audiences).toEqual(['staff']);
  });
});
