import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '@/lib/errors';
import { beginOidcSignIn, callbackUrl, createOidcSignIn, finishOidcSignIn, type TOidcDeps } from '@/lib/identity/oidc';
import { createLogger } from '@/lib/log';
import { OIDC_TEST_CLIENT_ID, OIDC_TEST_CLIENT_SECRET, signInAtProvider, startOidcProvider, type TOidcTestProvider } from '../helpers/oidc-provider';

// The site's half of OpenID Connect sign-in (lib/identity/oidc.ts) against a real provider library on 127.0.0.1:
// the authorization request (PKCE S256, state, nonce), the provider's own login and consent, the code exchange
// and ID token checks, the audiences claim from userinfo; and what is refused (400, nothing more said).

const SITE = 'http://docs.example.test';
const SECRET = 'oidc-integration-session-secret-0123456789';
let provider: TOidcTestProvider;
let deps: TOidcDeps;

beforeAll(async () => {
  provider = await startOidcProvider({ accounts: { ada: ['staff', 'beta'], bob: [] } });
  provider.configure({ redirectUris: [callbackUrl(SITE)] });
  deps = {
    oidc: createOidcSignIn({ issuer: provider.issuer, clientId: OIDC_TEST_CLIENT_ID, clientSecret: OIDC_TEST_CLIENT_SECRET, audiencesClaim: 'groups' }),
    sessionSecret: SECRET,
    log: createLogger({ level: 'silent' }),
  };
});

afterAll(async () => {
  await provider?.close();
});

async function callbackFor({ sessionId, login, returnTo }: { sessionId: string; login: string; returnTo?: string }) {
  const authorizationUrl = await beginOidcSignIn({ deps, sessionId, siteUrl: SITE, returnTo });
  const back = await signInAtProvider({ authorizationUrl, login, redirectUri: callbackUrl(SITE) });
  return { authorizationUrl: new URL(authorizationUrl), back: new URL(back) };
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(isAppError(error), String(error)).toBe(true);
  return error as { code: string; status: number; message: string };
}

describe('OpenID Connect sign-in against oidc-provider', () => {
  it('asks for the code with PKCE (S256), a state and a nonce, redirecting to the site’s callback', async () => {
    const url = new URL(await beginOidcSignIn({ deps, sessionId: 'session-one', siteUrl: SITE, returnTo: '/docs/x' }));
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe(`${SITE}/api/reader/oidc/callback`);
    // The verifier and the return path travel sealed, not in the clear.
    expect(url.toString()).not.toContain('%2Fdocs%2Fx');
  });

  it('signs a reader in: the ID token’s subject, the groups claim as audiences, at most 24 h, back where the reader was', async () => {
    const { back } = await callbackFor({ sessionId: 'session-ada', login: 'ada', returnTo: '/docs/private/page?q=1#part' });
    const before = Date.now();
    const { reader, returnTo } = await finishOidcSignIn({ deps, sessionId: 'session-ada', siteUrl: SITE, search: back.search });
    expect(reader.subject).toBe('ada');
    expect(reader.audiences).toEqual(['staff', 'beta']);
    expect(reader.expiresAt.getTime()).toBeLessThanOrEqual(before + 24 * 3600 * 1000 + 2000);
    expect(reader.expiresAt.getTime()).toBeGreaterThan(before);
    expect(returnTo).toBe('/docs/private/page?q=1#part');
  });

  it('gives a reader without groups no audiences, and never sends a reader to another site', async () => {
    const { back } = await callbackFor({ sessionId: 'session-bob', login: 'bob', returnTo: '//evil.example/steal' });
    const { reader, returnTo } = await finishOidcSignIn({ deps, sessionId: 'session-bob', siteUrl: SITE, search: back.search });
    expect(reader).toMatchObject({ subject: 'bob', audiences: [] });
    expect(returnTo).toBe('/docs');
  });

  it('refuses a callback finished in another session (login CSRF), an altered state, a replayed or forged code, a wrong nonce: 400', async () => {
    const { back } = await callbackFor({ sessionId: 'session-victim', login: 'ada' });
    // The attacker's callback URL opened in the victim's browser: another session.
    expect((await refusal(finishOidcSignIn({ deps, sessionId: 'session-other', siteUrl: SITE, search: back.search }))).status).toBe(400);
    const altered = new URLSearchParams(back.search);
    const state = altered.get('state')!;
    altered.set('state', `${state.slice(0, -2)}${state.endsWith('AA') ? 'BB' : 'AA'}`);
    expect((await refusal(finishOidcSignIn({ deps, sessionId: 'session-victim', siteUrl: SITE, search: `?${altered}` }))).status).toBe(400);
    const forged = new URLSearchParams(back.search);
    forged.set('code', 'forged-code');
    const forgedError = await refusal(finishOidcSignIn({ deps, sessionId: 'session-victim', siteUrl: SITE, search: `?${forged}` }));
    expect(forgedError.status).toBe(400);
    expect(forgedError.message).toMatch(/sign in again/i);
    // The real code once, then again: the provider refuses a replay.
    await finishOidcSignIn({ deps, sessionId: 'session-victim', siteUrl: SITE, search: back.search });
    expect((await refusal(finishOidcSignIn({ deps, sessionId: 'session-victim', siteUrl: SITE, search: back.search }))).status).toBe(400);
    // No state at all, and the provider's own error.
    expect((await refusal(finishOidcSignIn({ deps, sessionId: 'session-victim', siteUrl: SITE, search: '?code=x' }))).status).toBe(400);
  });

  it('refuses a code with the state of another sign-in of the same session (its PKCE verifier and nonce are not the code’s)', async () => {
    // Two sign-ins of one session: the second's code with the first's state, whose verifier and nonce are the first's.
    const first = await callbackFor({ sessionId: 'session-nonce', login: 'ada' });
    const second = await callbackFor({ sessionId: 'session-nonce', login: 'ada' });
    const mixed = new URLSearchParams(second.back.search);
    mixed.set('state', new URLSearchParams(first.back.search).get('state')!);
    const error = await refusal(finishOidcSignIn({ deps, sessionId: 'session-nonce', siteUrl: SITE, search: `?${mixed}` }));
    expect(error.status).toBe(400);
  });

  it('says sign-in is unavailable (503) when the provider cannot be reached, and 404 when it is not set up', async () => {
    const unreachable: TOidcDeps = { ...deps, oidc: createOidcSignIn({ issuer: 'http://127.0.0.1:9', clientId: 'x', clientSecret: null, audiencesClaim: 'groups' }) };
    expect((await refusal(beginOidcSignIn({ deps: unreachable, sessionId: 's', siteUrl: SITE }))).status).toBe(503);
    expect((await refusal(beginOidcSignIn({ deps: { ...deps, oidc: null }, sessionId: 's', siteUrl: SITE }))).status).toBe(404);
  });
});
