import { createHash } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '../errors';
import { audienceNamesOf } from './index';
import type { TReaderTokenConfig } from './settings';

// A reader token from the host site (issue 57): a JWT the host signs for a reader it knows, exchanged at
// POST /api/reader/session for the reader's session. Verified with jose: HS256 with READER_TOKEN_SECRET, or RS256 /
// ES256 with the host's keys at READER_JWKS_URL; nothing else (`alg: none` and every other algorithm are refused).
// Required claims: `sub` (the reader), `audiences` (a list of names: what they may read) and `exp`, at most 24 hours
// ahead, so that a leaked token soon grants nothing; `iss` and `aud` when configured. An `iat` more than a minute
// ahead of this server's clock (a token made for later, or a clock far off) and more than 50 audiences are refused
// too. Anything else is a 401. A token whose reader signed out is refused until it expires (lib/audiences/session.ts,
// by its readerTokenKey).

/** The longest a reader token may live: its `exp` at most this far ahead of now. */
export const READER_TOKEN_MAX_SECONDS = 24 * 3600;
/** Clocks differ a little between the host and this server. */
const CLOCK_TOLERANCE_SECONDS = 60;
/** The most audiences one token may name: a reader belongs to a few; a long list is a mistake or a probe. */
export const READER_TOKEN_MAX_AUDIENCES = 50;

/** `tokenId`: the token's `jti` claim, when it has one (with its `iss`), which says which token it is. */
export type TVerifiedReader = { subject: string; audiences: string[]; expiresAt: Date; tokenId: string | null };

const jwksByUrl = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function jwksOf(url: string) {
  let jwks = jwksByUrl.get(url);
  if (!jwks) {
    // jose caches the host's keys and fetches them again for a key id it has not seen (a rotation).
    jwks = createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 30_000 });
    jwksByUrl.set(url, jwks);
  }
  return jwks;
}

const refused = (why: string) => new AppError('unauthorized', `The reader token was refused: ${why}.`);

/** The token's reader, or a 401 saying why not (never which key or secret was tried). */
export async function verifyReaderToken({ config, token, nowMs = Date.now() }: { config: TReaderTokenConfig; token: string; nowMs?: number }): Promise<TVerifiedReader> {
  const options = {
    algorithms: config.secret ? ['HS256'] : ['RS256', 'ES256'],
    requiredClaims: ['sub', 'exp'],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    currentDate: new Date(nowMs),
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
  };
  let payload: JWTPayload;
  try {
    payload = config.secret
      ? (await jwtVerify(token, new TextEncoder().encode(config.secret), options)).payload
      : (await jwtVerify(token, jwksOf(config.jwksUrl ?? ''), options)).payload;
  } catch (error) {
    // jose's errors are recognised by their code (as ours by their brand): bundles may hold two copies of its classes.
    const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
    if (code === 'ERR_JWT_EXPIRED') throw refused('it has expired');
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') throw refused(`its ${String((error as { claim?: unknown }).claim)} claim is missing or wrong`);
    if (code === 'ERR_JOSE_ALG_NOT_ALLOWED') throw refused('it is not signed with an accepted algorithm');
    if (code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JWKS_INVALID') {
      throw new AppError('unavailable', "The host site's keys (READER_JWKS_URL) could not be read; try again.", { detail: (error as Error).message });
    }
    throw refused('it is malformed or its signature does not verify');
  }
  const { sub, exp } = payload;
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > 300) throw refused('its sub claim is missing or wrong');
  if (typeof exp !== 'number' || exp * 1000 > nowMs + (READER_TOKEN_MAX_SECONDS + CLOCK_TOLERANCE_SECONDS) * 1000) {
    throw refused('its exp is more than 24 hours ahead');
  }
  // jose checks that `iat`, when present, is a number, and its age only when told a maximum age: not the future.
  if (typeof payload.iat === 'number' && payload.iat * 1000 > nowMs + CLOCK_TOLERANCE_SECONDS * 1000) throw refused('its iat is in the future');
  const audiences = payload.audiences;
  if (!Array.isArray(audiences) || audiences.some((audience) => typeof audience !== 'string')) {
    throw refused('its audiences claim is not a list of names');
  }
  if (audiences.length > READER_TOKEN_MAX_AUDIENCES) throw refused(`it names more than ${READER_TOKEN_MAX_AUDIENCES} audiences`);
  const tokenId = typeof payload.jti === 'string' && payload.jti !== '' ? `${payload.iss ?? ''}\u0000${payload.jti}` : null;
  return { subject: sub, audiences: audienceNamesOf(audiences), expiresAt: new Date(exp * 1000), tokenId };
}

/**
 * Which token this is, as the list of signed-out tokens keeps it: a hash of its issuer and `jti` when it has one
 * (the same token however it is encoded), else of the token itself. A hash, so that the database holds no token.
 */
export function readerTokenKey(token: string, reader: Pick<TVerifiedReader, 'tokenId'>): string {
  const named = reader.tokenId === null ? `token\u0000${token}` : `jti\u0000${reader.tokenId}`;
  return createHash('sha256').update(named).digest('hex');
}
