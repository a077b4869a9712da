import { randomUUID } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';

// Reader tokens as a host site signs them (lib/audiences/token.ts verifies them), and the ones it must refuse.

export const READER_TOKEN_SECRET = 'reader-token-secret-for-tests-0123456789';

/**
 * An HS256 token for `sub` with `audiences`, expiring in `seconds` (negative: already expired), issued
 * `issuedInSeconds` from now (default now; positive: in the future). Each token differs (a `nonce` claim, not a jti):
 * two signed in the same second for the same reader were the same bytes, so a token one test signed out refused
 * another test's sign-in (a token without a jti is known by its bytes: lib/audiences/token.ts readerTokenKey).
 */
export async function signReaderToken({
  sub = 'reader-1',
  audiences = ['staff'],
  seconds = 3600,
  issuedInSeconds = 0,
  secret = READER_TOKEN_SECRET,
  claims = {},
}: { sub?: string; audiences?: unknown; seconds?: number; issuedInSeconds?: number; secret?: string; claims?: Record<string, unknown> } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ audiences, nonce: randomUUID(), ...claims } as Record<string, unknown>)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt(now + issuedInSeconds)
    .setExpirationTime(now + seconds)
    .sign(new TextEncoder().encode(secret));
}

/** The same claims, unsigned (`alg: none`). */
export function unsignedReaderToken({ sub = 'reader-1', audiences = ['staff'], seconds = 3600 }: { sub?: string; audiences?: unknown; seconds?: number } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  return new UnsecuredJWT({ audiences } as Record<string, unknown>).setSubject(sub).setIssuedAt(now).setExpirationTime(now + seconds).encode();
}
