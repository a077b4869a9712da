import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { createSeededDataDir } from '../helpers/pglite-template';
import { OIDC_TEST_CLIENT_ID, OIDC_TEST_CLIENT_SECRET, signInAtProvider, startOidcProvider, type TOidcTestProvider } from '../helpers/oidc-provider';
import { mainClient } from './helpers/tier';

// Sign-in with OpenID Connect under `next start` of the production build, against a real provider library
// (oidc-provider) on 127.0.0.1: the login route's redirect, the provider's own forms, the callback's exchange and
// the reader session it starts, and the callbacks it refuses (400, the site's error body, no stack).

let provider: TOidcTestProvider;
let server: TNextServer;

beforeAll(async () => {
  provider = await startOidcProvider({ accounts: { ada: ['staff'], bob: [], eve: ['staff', 'sta\u0000ff', 'beta\u0000'], 'nul\u0000reader': ['staff'] } });
  server = await startNextServer({
    dataDir: await createSeededDataDir('pa-production-'),
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      // Links and the redirect URI follow the request's address (SITE_URL unset): the provider knows it once the server listens.
      SITE_URL: '',
      SESSION_SECRET: 'production-oidc-session-secret-0123456789',
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      DATABASE_URL: '',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      SLACK_BOT_TOKEN: '',
      SLACK_CHANNEL_ID: '',
      MODERATION: 'off',
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: OIDC_TEST_CLIENT_ID,
      OIDC_CLIENT_SECRET: OIDC_TEST_CLIENT_SECRET,
    },
  });
  provider.configure({ redirectUris: [`${server.url}/api/reader/oidc/callback`] });
});

afterAll(async () => {
  await server?.stop();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
  await provider?.close();
});

/** A browser's cookie jar for the site, without following redirects. */
function browser() {
  let cookie = '';
  const request = async (method: string, path: string) => {
    const response = await fetch(new URL(path, server.url), { method, redirect: 'manual', headers: cookie ? { cookie } : {} });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0] ?? '';
    const text = await response.text();
    return { status: response.status, location: response.headers.get('location'), text, json: () => JSON.parse(text) as any };
  };
  return {
    get: (path: string) => request('GET', path),
    delete: (path: string) => request('DELETE', path),
    get cookie() {
      return cookie;
    },
    /** A cookie from elsewhere (planted by someone else) in this browser's jar. */
    plant(value: string) {
      cookie = value;
    },
  };
}

async function signIn(reader: ReturnType<typeof browser>, login: string, returnTo = '/docs/configuration') {
  const started = await reader.get(`/api/reader/oidc/login?returnTo=${encodeURIComponent(returnTo)}`);
  expect(started.status).toBe(303);
  return signInAtProvider({ authorizationUrl: started.location!, login, redirectUri: `${server.url}/api/reader/oidc/callback` });
}

describe('OIDC sign-in (next start, oidc-provider on 127.0.0.1)', () => {
  it('says sign-in is on, and sends a signed-out reader to the provider with PKCE, state and nonce', async () => {
    const reader = browser();
    expect((await reader.get('/api/reader/status')).json()).toEqual({ signIn: { isOidcOn: true }, reader: null });
    expect((await reader.get('/api/health')).json().identity).toMatchObject({ signIn: 'oidc' });
    const started = await reader.get('/api/reader/oidc/login?returnTo=%2Fdocs');
    expect(started.status, started.text).toBe(303);
    const url = new URL(started.location!);
    expect(url.origin).toBe(provider.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ client_id: OIDC_TEST_CLIENT_ID, response_type: 'code', code_challenge_method: 'S256', redirect_uri: `${server.url}/api/reader/oidc/callback` });
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
  });

  it('signs a reader in through the provider’s forms: back where they were, with the groups claim as audiences', async () => {
    const reader = browser();
    const back = await signIn(reader, 'ada', '/docs/configuration?x=1');
    const finished = await reader.get(back);
    expect(finished.status, finished.text).toBe(303);
    expect(finished.location).toBe('/docs/configuration?x=1');
    const status = (await reader.get('/api/reader/status')).json();
    expect(status.reader).toMatchObject({ subject: 'ada', audiences: ['staff'] });
    expect(Date.parse(status.reader.expiresAt)).toBeLessThanOrEqual(Date.now() + 24 * 3600 * 1000 + 5000);
  });

  it('refuses a bad state, a forged code, a replayed code and another browser’s callback with a clear 400', async () => {
    const reader = browser();
    const back = new URL(await signIn(reader, 'bob'));
    const refused = async (response: { status: number; text: string; json(): any }) => {
      expect(response.status, response.text).toBe(400);
      const body = response.json();
      expect(body.error.code).toBe('bad_request');
      expect(body.error.message).toMatch(/sign in again/i);
      expect(response.text).not.toMatch(/at \w+ \(|node_modules|\.ts:\d/);
    };
    // Someone else's browser (the login CSRF): the state is bound to the session that started the sign-in.
    await refused(await browser().get(`${back.pathname}${back.search}`));
    const badState = new URL(back);
    badState.searchParams.set('state', 'not-a-state');
    await refused(await reader.get(`${badState.pathname}${badState.search}`));
    const forged = new URL(back);
    forged.searchParams.set('code', 'forged-code');
    await refused(await reader.get(`${forged.pathname}${forged.search}`));
    expect((await reader.get(`${back.pathname}${back.search}`)).status).toBe(303);
    await refused(await reader.get(`${back.pathname}${back.search}`));
  });

  // An outside probe (issue 67): `returnTo=/..//evil.example`, then signing in, ended in `303 Location: //evil.example`.
  it('sends the reader back only to a path of this site, however returnTo spells another', async () => {
    const hostile = [
      '/..//evil.example',
      '/docs/../..//evil.example',
      '/%2e%2e//evil.example',
      '/.%2E//evil.example',
      '/.//evil.example',
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      ' //evil.example',
      '%2F%2Fevil.example',
      '/%2F%2Fevil.example',
      '/%5C%5Cevil.example',
      '/\u2215\u2215evil.example',
      '/\uFF0F\uFF0Fevil.example',
      'https://evil.example/',
      'https:evil.example',
      'https://user@evil.example',
      'javascript:alert(1)',
    ];
    for (const value of hostile) {
      const reader = browser();
      const started = await reader.get(`/api/reader/oidc/login?returnTo=${encodeURIComponent(value)}`);
      expect(started.status, `${JSON.stringify(value)}: ${started.text}`).toBe(303);
      const back = await signInAtProvider({ authorizationUrl: started.location!, login: 'bob', redirectUri: `${server.url}/api/reader/oidc/callback` });
      const finished = await reader.get(back);
      expect(finished.status, `${JSON.stringify(value)}: ${finished.text}`).toBe(303);
      // Where a browser goes with that Location, from the callback's address: this site, on a single-slash path.
      const landing = new URL(finished.location!, back);
      expect(landing.origin, `${JSON.stringify(value)} → ${finished.location}`).toBe(server.url);
      expect(finished.location, JSON.stringify(value)).toMatch(/^\/(?![/\\])/);
    }
  });

  it('moves the reader to a new session: a cookie planted before sign-in is signed out, and so is the signed-in one after sign-out (issue 67)', async () => {
    const attacker = browser();
    await attacker.get('/api/reader/status');
    const victim = browser();
    victim.plant(attacker.cookie);
    const finished = await victim.get(await signIn(victim, 'ada'));
    expect(finished.status, finished.text).toBe(303);
    expect(victim.cookie).not.toBe(attacker.cookie);
    expect((await victim.get('/api/reader/status')).json().reader).toMatchObject({ subject: 'ada', audiences: ['staff'] });
    expect((await attacker.get('/api/reader/status')).json().reader).toBeNull();
    const copied = browser();
    copied.plant(victim.cookie);
    expect((await victim.delete('/api/reader/session')).json()).toEqual({ deleted: true });
    expect(victim.cookie).not.toBe(copied.cookie);
    expect((await copied.get('/api/reader/status')).json().reader).toBeNull();
    expect((await victim.get('/api/reader/status')).json().reader).toBeNull();
  });

  it('a NUL in the provider’s signed claims is never a 5xx: a subject with one is refused, a group with one dropped (issue 67)', async () => {
    const refused = browser();
    const nulSubject = await refused.get(await signIn(refused, 'nul\u0000reader'));
    expect(nulSubject.status, nulSubject.text).toBe(400);
    expect(nulSubject.json().error).toEqual({ code: 'bad_request', message: expect.stringMatching(/subject/) });
    expect((await refused.get('/api/reader/status')).json().reader).toBeNull();
    const reader = browser();
    expect((await reader.get(await signIn(reader, 'eve'))).status).toBe(303);
    expect((await reader.get('/api/reader/status')).json().reader).toMatchObject({ subject: 'eve', audiences: ['staff'] });
  });

  it('is off where OIDC is not configured: no sign-in to offer, and the routes are 404', async () => {
    const client = mainClient();
    expect((await client.get('/api/reader/status')).body).toMatchObject({ signIn: { isOidcOn: false }, reader: null });
    const login = await client.get('/api/reader/oidc/login');
    expect(login.status).toBe(404);
  });
});
