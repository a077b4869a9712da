import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { AppError } from '../errors';
import { readCookie } from '../session';
import { isMaintainerLinkValid, signMaintainerScope } from './links';

// Who may open the maintainers' dashboard: a signed link (from Slack's digest or `npm run report -- --link`),
// `Authorization: Bearer <MAINTAINER_TOKEN>`, or the sign-in cookie the token form sets. The token itself never
// reaches the browser's storage: the cookie is an expiring signature bound to a hash of the token (httpOnly).

export const MAINTAINER_COOKIE = 'pa_maintainer';
export const MAINTAINER_COOKIE_SECONDS = 12 * 3600;

export type TMaintainerAccess = { via: 'link'; exp: string; sig: string } | { via: 'token' } | { via: 'cookie' };
export type TMaintainerAccessDeps = { sessionSecret: string; config: { maintainers: { token?: string } } };

const hashToken = (token: string) => createHash('sha256').update(`pa-maintainer-token:${token}`).digest('base64url').slice(0, 22);

/** Constant-time: the comparison takes as long whatever the guess. */
export function isMaintainerToken(configured: string | undefined, given: unknown): boolean {
  if (!configured || typeof given !== 'string' || given === '') return false;
  const a = createHash('sha256').update(configured).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/** The maintainers' routes' door: the caller's access, or a 401 saying how to get in. */
export function assertMaintainer({ deps, headers, query }: { deps: TMaintainerAccessDeps; headers: IncomingHttpHeaders; query: Record<string, string | string[] | undefined> }): TMaintainerAccess {
  const access = authorizeMaintainer({ deps, headers, query });
  if (!access) throw new AppError('unauthorized', 'Maintainers only: open the dashboard with its link or sign in.');
  return access;
}

export function authorizeMaintainer({
  deps,
  headers,
  query,
  nowMs = Date.now(),
}: {
  deps: TMaintainerAccessDeps;
  headers: IncomingHttpHeaders;
  query: Record<string, string | string[] | undefined>;
  nowMs?: number;
}): TMaintainerAccess | null {
  const { exp, sig } = query;
  if (isMaintainerLinkValid({ secret: deps.sessionSecret, scope: { type: 'report' }, exp, sig, nowMs })) {
    return { via: 'link', exp: exp as string, sig: sig as string };
  }
  const token = deps.config.maintainers.token;
  if (!token) return null;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  if (isMaintainerToken(token, bearer)) return { via: 'token' };
  const cookie = readCookie(headers.cookie, MAINTAINER_COOKIE);
  const [cookieExp, cookieSig, extra] = (cookie ?? '').split('.');
  if (cookie && extra === undefined) {
    const scope = { type: 'session' as const, tokenHash: hashToken(token) };
    if (isMaintainerLinkValid({ secret: deps.sessionSecret, scope, exp: cookieExp, sig: cookieSig, nowMs })) return { via: 'cookie' };
  }
  return null;
}

export const ZMaintainerSignIn = z.object({ token: z.string().min(1).max(500) }).strict();

/**
 * The sign-in form's token, exchanged for the Set-Cookie header of an httpOnly cookie. 401 for a wrong token, 404
 * when no MAINTAINER_TOKEN is configured (only links open the dashboard then).
 */
export function signInMaintainer({
  deps,
  token,
  isSecure,
  nowMs = Date.now(),
}: {
  deps: TMaintainerAccessDeps;
  token: string;
  isSecure: boolean;
  nowMs?: number;
}): string {
  const configured = deps.config.maintainers.token;
  if (!configured) throw new AppError('not_found', 'Sign-in with a token is not configured here (MAINTAINER_TOKEN).');
  if (!isMaintainerToken(configured, token)) throw new AppError('unauthorized', 'That is not the maintainer token.');
  const { exp, sig } = signMaintainerScope({
    secret: deps.sessionSecret,
    scope: { type: 'session', tokenHash: hashToken(configured) },
    ttlSeconds: MAINTAINER_COOKIE_SECONDS,
    nowMs,
  });
  return maintainerCookie(`${exp}.${sig}`, MAINTAINER_COOKIE_SECONDS, isSecure);
}

export function signOutMaintainerCookie(isSecure: boolean): string {
  return maintainerCookie('', 0, isSecure);
}

function maintainerCookie(value: string, maxAge: number, isSecure: boolean): string {
  return [`${MAINTAINER_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAge}`, ...(isSecure ? ['Secure'] : [])].join('; ');
}
