import * as client from 'openid-client';
import { AppError } from '../errors';
import type { TLogger } from '../log';
import type { TOidcConfig } from './settings';
import { sameSitePath } from '../shared/return-path';
import { openTransaction, sealTransaction } from './transaction';

// Sign-in on the docs site with OpenID Connect: the authorization code flow with PKCE, state and nonce, through
// openid-client. `beginOidcSignIn` gives the provider's authorization URL (the transaction sealed into `state`:
// lib/identity/transaction.ts); `finishOidcSignIn` checks the provider's answer (state, issuer, code, the ID
// token's signature, audience and nonce), exchanges the code, and reads the reader's subject and audiences.
// What the reader may see is then the reader session's (lib/audiences). A wrong or stale state, a code the
// provider refuses, or an ID token that fails its checks is a 400 saying to sign in again; a provider that cannot
// be reached, a 503. Neither says more to the browser than that; the log has the reason.

/** A reader signed in with OIDC stays signed in this long at most (then signs in again). */
export const OIDC_SESSION_SECONDS = 24 * 60 * 60;
export const OIDC_CALLBACK_PATH = '/api/reader/oidc/callback';

export type TOidcSignIn = {
  config: TOidcConfig;
  /** The provider's metadata, discovered once (again after a failure). */
  discover(): Promise<client.Configuration>;
  /**
   * openid-client as loaded where the app was built. Next bundles the app (boot) and each route apart, so a route's
   * own import of openid-client can be another copy, whose functions refuse the app's Configuration ("must be an
   * instance of Configuration"): every call on a discovered configuration goes through this one.
   */
  client: typeof client;
};

export type TOidcDeps = { oidc: TOidcSignIn | null; sessionSecret: string; log: TLogger };

export type TOidcReader = { subject: string; audiences: string[]; expiresAt: Date };

export function createOidcSignIn(config: TOidcConfig | null): TOidcSignIn | null {
  if (!config) return null;
  let discovered: Promise<client.Configuration> | null = null;
  return {
    config,
    client,
    discover() {
      discovered ??= discoverProvider(config).catch((error: unknown) => {
        discovered = null;
        throw error;
      });
      return discovered;
    },
  };
}

async function discoverProvider(config: TOidcConfig): Promise<client.Configuration> {
  const issuer = new URL(config.issuer);
  const auth = config.clientSecret === null ? client.None() : client.ClientSecretBasic(config.clientSecret);
  // http is allowed by the settings only on a loopback address (lib/identity/settings.ts).
  const options = issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 };
  return client.discovery(issuer, config.clientId, config.clientSecret ?? undefined, auth, options);
}

function requireOidc(deps: TOidcDeps): TOidcSignIn {
  if (!deps.oidc) throw new AppError('not_found', 'Sign-in is not set up on this site.');
  return deps.oidc;
}

async function discover(deps: TOidcDeps, oidc: TOidcSignIn): Promise<client.Configuration> {
  try {
    return await oidc.discover();
  } catch (error) {
    deps.log.warn({ err: describeError(error), issuer: oidc.config.issuer }, 'OIDC discovery failed');
    throw new AppError('unavailable', 'The sign-in provider cannot be reached right now. Please try again later.', { cause: error });
  }
}

/** The provider's authorization URL for this reader's session, coming back to `returnTo` (a path of this site, else the docs' home: lib/shared/return-path.ts). */
export async function beginOidcSignIn({ deps, sessionId, siteUrl, returnTo, nowSeconds = Math.floor(Date.now() / 1000) }: { deps: TOidcDeps; sessionId: string; siteUrl: string; returnTo?: string; nowSeconds?: number }): Promise<string> {
  const oidc = requireOidc(deps);
  const configuration = await discover(deps, oidc);
  const { client } = oidc;
  const codeVerifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const state = sealTransaction({ secret: deps.sessionSecret, sessionId, transaction: { codeVerifier, nonce, returnTo: sameSitePath(returnTo, siteUrl) }, nowSeconds });
  return client
    .buildAuthorizationUrl(configuration, {
      redirect_uri: callbackUrl(siteUrl),
      scope: 'openid profile',
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    })
    .toString();
}

/**
 * Checks the provider's redirect (`search`: the callback's query string) for this reader's session and
 * exchanges its code: the reader's subject (the ID token's `sub`), audiences (the configured claim, from the ID
 * token, else from userinfo) and when the sign-in lapses; and where the reader goes back to.
 */
export async function finishOidcSignIn({ deps, sessionId, siteUrl, search, nowSeconds = Math.floor(Date.now() / 1000) }: { deps: TOidcDeps; sessionId: string; siteUrl: string; search: string; nowSeconds?: number }): Promise<{ reader: TOidcReader; returnTo: string }> {
  const oidc = requireOidc(deps);
  const params = new URLSearchParams(search);
  const state = params.get('state') ?? '';
  const transaction = openTransaction({ secret: deps.sessionSecret, sessionId, state, nowSeconds });
  if (!transaction) {
    throw new AppError('bad_request', 'This sign-in is not valid here or has expired. Please sign in again.', { detail: { reason: state === '' ? 'no state' : 'state not ours, altered, stale or of another session' } });
  }
  const providerError = params.get('error');
  if (providerError !== null) {
    throw new AppError('bad_request', 'The sign-in was not completed at the provider. Please sign in again.', { detail: { providerError, description: params.get('error_description') } });
  }
  const configuration = await discover(deps, oidc);
  const { client } = oidc;
  const current = new URL(callbackUrl(siteUrl));
  current.search = params.toString();
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(configuration, current, { pkceCodeVerifier: transaction.codeVerifier, expectedState: state, expectedNonce: transaction.nonce, idTokenExpected: true });
  } catch (error) {
    throw exchangeError(deps, error);
  }
  const claims = tokens.claims();
  if (!claims) throw new AppError('bad_request', 'The sign-in provider sent no ID token. Please sign in again.');
  let audiencesValue: unknown = claims[oidc.config.audiencesClaim];
  if (audiencesValue === undefined && tokens.access_token) {
    // Providers often keep claims beyond the ID token's standard ones for userinfo (oidc-provider, Okta by default).
    try {
      const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      audiencesValue = userInfo[oidc.config.audiencesClaim];
    } catch (error) {
      deps.log.warn({ err: describeError(error) }, 'OIDC userinfo failed; the reader signs in without audiences');
    }
  }
  const audiences = readAudiences(audiencesValue);
  return { reader: { subject: claims.sub, audiences, expiresAt: new Date((nowSeconds + OIDC_SESSION_SECONDS) * 1000) }, returnTo: sameSitePath(transaction.returnTo, siteUrl) };
}

/** A claim's audiences: a list of names, or one name; anything else gives none. */
export function readAudiences(value: unknown): string[] {
  const names = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  const audiences = names.filter((name): name is string => typeof name === 'string').map((name) => name.trim()).filter((name) => name !== '' && name.length <= 200);
  return [...new Set(audiences)];
}

export function callbackUrl(siteUrl: string): string {
  return `${siteUrl.replace(/\/+$/, '')}${OIDC_CALLBACK_PATH}`;
}

/**
 * openid-client's errors for an answer it checked and refused carry an `OAUTH_…` code (OAUTH_RESPONSE_BODY_ERROR: the
 * provider said invalid_grant; OAUTH_JWT_CLAIM_COMPARISON_FAILED: a nonce or audience; …); network failures have
 * none. By code, not class name: a production bundle renames classes.
 */
const isRefusal = (reason: { code?: string }) => reason.code?.startsWith('OAUTH_') === true;

function exchangeError(deps: TOidcDeps, error: unknown): AppError {
  const reason = describeError(error);
  // The provider refused (invalid_grant: a used, stale or forged code), or the ID token failed a check: the reader
  // signs in again. A provider that cannot be reached is ours to report as unavailable.
  const isRefused = isRefusal(reason);
  deps.log.warn({ err: reason }, 'OIDC code exchange failed');
  if (isRefused) return new AppError('bad_request', 'The sign-in could not be completed. Please sign in again.', { cause: error });
  return new AppError('unavailable', 'The sign-in provider cannot be reached right now. Please try again later.', { cause: error });
}

function describeError(error: unknown): { name: string; code?: string; message: string } {
  if (typeof error === 'object' && error !== null) {
    const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
    return { name: typeof name === 'string' ? name : 'unknown', code: typeof code === 'string' ? code : undefined, message: typeof message === 'string' ? message : '' };
  }
  return { name: 'unknown', message: String(error) };
}
