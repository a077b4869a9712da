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
  provider = await startOidcProvider({ accounts: { ada: ['staff'], bob: [] } });
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
  return {
    async get(path: string) {
      const response = await fetch(new URL(path, server.url), { redirect: 'manual', headers: cookie ? { cookie } : {} });
      const set = response.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0] ?? '';
      const text = await response.text();
      return { status: response.status, location: response.headers.get('location'), text, json: () => JSON.parse(text) as any };
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

  it('is off where OIDC is not configured: no sign-in to offer, and the routes are 404', async () => {
    const client = mainClient();
    expect((await client.get('/api/reader/status')).body).toMatchObject({ signIn: { isOidcOn: false }, reader: null });
    const login = await client.get('/api/reader/oidc/login');
    expect(login.status).toBe(404);
  });
});
