import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TSessionSettings } from './settings';

export const SESSION_COOKIE = 'pa_session';
const ONE_YEAR_SECONDS = 60 * 60 * 24 * 365;
const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;

/** The configured secret, or one generated once into DATA_DIR (embedded mode only; config enforces that). */
export function loadSessionSecret(config: { session: TSessionSettings; dataDir: string }): string {
  if (config.session.mode === 'configured') return config.session.secret;
  const file = path.join(config.dataDir, 'session-secret');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // Not there yet: generated below.
  }
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function signValue(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url');
}

export function verifySignature(secret: string, value: string, signature: string): boolean {
  const expected = Buffer.from(signValue(secret, value));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index === -1) continue;
    if (part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function encodeSessionCookie(secret: string, sessionId: string): string {
  return `${sessionId}.${signValue(secret, sessionId)}`;
}

export function decodeSessionCookie(secret: string, cookie: string | undefined): string | undefined {
  if (!cookie) return undefined;
  const [id, signature, extra] = cookie.split('.');
  if (extra !== undefined || !id || !signature || !SESSION_ID.test(id)) return undefined;
  return verifySignature(secret, id, signature) ? id : undefined;
}

/** The session the request's own cookie carries (validly signed), or undefined: resolveSession's, without making one. */
export function readSessionId({ req, secret }: { req: IncomingMessage; secret: string }): string | undefined {
  return decodeSessionCookie(secret, readCookie(req.headers.cookie, SESSION_COOKIE));
}

/** A new session id: 128 random bits, as the session cookie and the embed's token carry it. */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/** The Set-Cookie value that gives the browser `sessionId` (httpOnly, SameSite=Lax, a year). */
export function sessionCookie({ secret, sessionId, isSecure }: { secret: string; sessionId: string; isSecure: boolean }): string {
  const attributes = [
    `${SESSION_COOKIE}=${encodeSessionCookie(secret, sessionId)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${ONE_YEAR_SECONDS}`,
  ];
  if (isSecure) attributes.push('Secure');
  return attributes.join('; ');
}

/**
 * Moves the caller to a new session id (signing in or out: lib/audiences/session.ts). `move` is given the new id and
 * moves what the caller's session holds to it; only once it succeeds does the caller hold the new id (the route
 * wrapper, lib/http/index.ts, sets the new cookie or embed token then), so a refused sign-in changes nothing.
 */
export type TRenewSession = <T>(move: (sessionId: string) => Promise<T>) => Promise<T>;

/**
 * Returns the caller's session id. A request without a valid signed cookie gets a new session and the
 * cookie that carries it (httpOnly, SameSite=Lax).
 */
export function resolveSession({
  req,
  res,
  secret,
  isSecure,
}: {
  req: IncomingMessage;
  res: ServerResponse;
  secret: string;
  isSecure: boolean;
}): string {
  const existing = readSessionId({ req, secret });
  if (existing) return existing;
  const sessionId = newSessionId();
  res.setHeader('Set-Cookie', sessionCookie({ secret, sessionId, isSecure }));
  return sessionId;
}
