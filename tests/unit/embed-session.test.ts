import { describe, expect, it } from 'vitest';
import { isAppError } from '@/lib/errors';
import { identifyEmbedReader, type TEmbedIdentityArgs } from '@/lib/embed/identity';
import { frameAncestors, isOriginAllowed, parseEmbedOrigins, type TEmbedOrigins } from '@/lib/embed/origins';
import { startEmbedSession } from '@/lib/embed/session';
import { decodeEmbedToken, encodeEmbedToken, newReaderId } from '@/lib/embed/token';
import { encodeSessionCookie, signValue } from '@/lib/session';
import { parseConfig } from '@/lib/config';

const SECRET = 'unit-embed-secret-0123456789abcdef0123';
const NOW = 1_800_000_000;
const HOST = 'https://docs.example.com';
const SITE = 'https://assistant.example.org';
const LIST: TEmbedOrigins = { mode: 'list', origins: [HOST] };

function token(overrides: Partial<{ readerId: string; origin: string; expiresAt: number; secret: string }> = {}) {
  return encodeEmbedToken(overrides.secret ?? SECRET, {
    readerId: overrides.readerId ?? newReaderId(),
    origin: overrides.origin ?? HOST,
    expiresAt: overrides.expiresAt ?? NOW + 3600,
  });
}

function identify(overrides: Partial<TEmbedIdentityArgs>) {
  return identifyEmbedReader({
    token: undefined,
    origin: SITE,
    secret: SECRET,
    origins: LIST,
    isOwnOrigin: (origin) => origin === SITE,
    nowSeconds: NOW,
    ...overrides,
  });
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isAppError(error) ? `${error.status} ${error.code}` : 'not an AppError';
  }
  return undefined;
}

describe('EMBED_ALLOWED_ORIGINS', () => {
  it('is off when unset or empty, and the config says so', () => {
    expect(parseEmbedOrigins(undefined)).toEqual({ mode: 'off' });
    expect(parseEmbedOrigins(' , ')).toEqual({ mode: 'off' });
    expect(parseConfig({}).embed.origins).toEqual({ mode: 'off' });
  });

  it('normalises origins as browsers send them, and drops duplicates', () => {
    expect(parseEmbedOrigins('https://Docs.Example.com:443, http://localhost:3001/ ,https://docs.example.com')).toEqual({
      mode: 'list',
      origins: ['https://docs.example.com', 'http://localhost:3001'],
    });
  });

  it('takes `*` only alone', () => {
    expect(parseEmbedOrigins('*')).toEqual({ mode: 'any' });
    expect(parseEmbedOrigins('https://a.example, *')).toHaveProperty('error');
  });

  it('refuses what is not an origin, and the config stops with one line', () => {
    for (const value of ['docs.example.com', 'https://docs.example.com/docs', 'ftp://x.example', 'null', 'https://u:p@x.example', 'https://x.example?q']) {
      expect(parseEmbedOrigins(value), value).toHaveProperty('error');
    }
    expect(() => parseConfig({ EMBED_ALLOWED_ORIGINS: 'https://docs.example.com/docs' })).toThrow(/^EMBED_ALLOWED_ORIGINS: .* is not an origin/);
  });

  it('matches an origin exactly (no suffix tricks) and frames only the listed sites', () => {
    expect(isOriginAllowed(LIST, 'https://docs.example.com')).toBe(true);
    expect(isOriginAllowed(LIST, 'https://docs.example.com.evil.example')).toBe(false);
    expect(isOriginAllowed(LIST, 'http://docs.example.com')).toBe(false);
    expect(isOriginAllowed(LIST, 'null')).toBe(false);
    expect(isOriginAllowed({ mode: 'off' }, HOST)).toBe(false);
    expect(isOriginAllowed({ mode: 'any' }, 'https://anything.example')).toBe(true);
    expect(frameAncestors(LIST)).toBe(HOST);
    expect(frameAncestors({ mode: 'off' })).toBe("'none'");
  });
});

describe('the embed token', () => {
  it('round-trips its reader, origin and expiry', () => {
    const readerId = newReaderId();
    expect(decodeEmbedToken(SECRET, token({ readerId }), NOW)).toEqual({ readerId, origin: HOST, expiresAt: NOW + 3600 });
  });

  it('is refused when forged, altered, expired, signed with another secret or malformed', () => {
    const good = token();
    const [prefix, payload, signature] = good.split('.') as [string, string, string];
    const otherPayload = Buffer.from(JSON.stringify({ r: newReaderId(), o: HOST, e: NOW + 3600 })).toString('base64url');
    for (const bad of [
      `${prefix}.${otherPayload}.${signature}`,
      `${prefix}.${payload}.${signature.slice(0, -2)}aa`,
      token({ secret: 'another-secret-0123456789abcdef0123456' }),
      token({ expiresAt: NOW }),
      `${good}.extra`,
      'pae1..',
      'garbage',
      'x'.repeat(5000),
    ]) {
      expect(decodeEmbedToken(SECRET, bad, NOW), bad.slice(0, 60)).toBeNull();
    }
  });

  it('cannot be made from a session cookie’s signature (each is signed under its own label)', () => {
    const readerId = newReaderId();
    const cookieSignature = encodeSessionCookie(SECRET, readerId).split('.')[1]!;
    const payload = Buffer.from(JSON.stringify({ r: readerId, o: HOST, e: NOW + 3600 })).toString('base64url');
    expect(decodeEmbedToken(SECRET, `pae1.${payload}.${signValue(SECRET, payload)}`, NOW)).toBeNull();
    expect(decodeEmbedToken(SECRET, `pae1.${payload}.${cookieSignature}`, NOW)).toBeNull();
  });
});

describe('who an embedded request comes from', () => {
  it('is nobody in particular without a token (the site’s cookie applies)', () => {
    expect(identify({})).toBeNull();
  });

  it('is the token’s reader from the frame (this site) or from the token’s own origin', () => {
    const readerId = newReaderId();
    expect(identify({ token: token({ readerId }) })?.readerId).toBe(readerId);
    expect(identify({ token: token({ readerId }), origin: HOST })?.readerId).toBe(readerId);
    expect(identify({ token: token({ readerId }), origin: undefined })?.readerId).toBe(readerId);
  });

  it('401 for a malformed, forged or expired token', () => {
    expect(codeOf(() => identify({ token: 'garbage' }))).toBe('401 unauthorized');
    expect(codeOf(() => identify({ token: '' }))).toBe('401 unauthorized');
    expect(codeOf(() => identify({ token: token({ secret: 'forged-secret-0123456789abcdef01234567' }) }))).toBe('401 unauthorized');
    expect(codeOf(() => identify({ token: token({ expiresAt: NOW - 1 }) }))).toBe('401 unauthorized');
    expect(codeOf(() => identify({ token: [token(), token()] }))).toBe('401 unauthorized');
  });

  it('403 origin_not_allowed when replayed from another origin, or its origin is no longer allowed', () => {
    expect(codeOf(() => identify({ token: token(), origin: 'https://evil.example' }))).toBe('403 origin_not_allowed');
    expect(codeOf(() => identify({ token: token(), origin: 'null' }))).toBe('403 origin_not_allowed');
    expect(codeOf(() => identify({ token: token({ origin: 'https://removed.example' }) }))).toBe('403 origin_not_allowed');
    expect(codeOf(() => identify({ token: token(), origins: { mode: 'off' } }))).toBe('403 origin_not_allowed');
  });
});

describe('starting an embed session', () => {
  const deps = { config: { embed: { origins: LIST, sessionSeconds: 86_400 } }, sessionSecret: SECRET };

  it('issues a token bound to the embedding origin, renewed for the same reader', () => {
    const first = startEmbedSession({ deps, body: { origin: 'https://DOCS.example.com' }, nowSeconds: NOW });
    expect(first.origin).toBe(HOST);
    expect(first.expires_at).toBe(NOW + 86_400);
    const reader = decodeEmbedToken(SECRET, first.token, NOW)!;
    expect(reader.origin).toBe(HOST);
    const renewed = startEmbedSession({ deps, body: { origin: HOST, token: first.token }, nowSeconds: NOW + 60 });
    expect(decodeEmbedToken(SECRET, renewed.token, NOW + 60)?.readerId).toBe(reader.readerId);
  });

  it('starts a new reader for a token of another origin, or a forged one', () => {
    const other = token({ origin: 'https://other.example' });
    const both = { config: { embed: { origins: { mode: 'list', origins: [HOST, 'https://other.example'] } as TEmbedOrigins, sessionSeconds: 60 } }, sessionSecret: SECRET };
    const reader = decodeEmbedToken(SECRET, other, NOW)!.readerId;
    const moved = startEmbedSession({ deps: both, body: { origin: HOST, token: other }, nowSeconds: NOW });
    expect(decodeEmbedToken(SECRET, moved.token, NOW)?.readerId).not.toBe(reader);
    const forged = startEmbedSession({ deps, body: { origin: HOST, token: 'pae1.abc.def' }, nowSeconds: NOW });
    expect(decodeEmbedToken(SECRET, forged.token, NOW)).not.toBeNull();
  });

  it('403 origin_not_allowed for a site not on the list, and when embedding is off', () => {
    expect(codeOf(() => startEmbedSession({ deps, body: { origin: 'https://evil.example' } }))).toBe('403 origin_not_allowed');
    expect(codeOf(() => startEmbedSession({ deps, body: { origin: 'not an origin' } }))).toBe('403 origin_not_allowed');
    const off = { ...deps, config: { embed: { origins: { mode: 'off' } as TEmbedOrigins, sessionSeconds: 60 } } };
    expect(codeOf(() => startEmbedSession({ deps: off, body: { origin: HOST } }))).toBe('403 origin_not_allowed');
  });
});
