import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { signValue, verifySignature } from '../session';

// The embedded reader's session: a token the /embed frame keeps in its own storage (partitioned by the top-level
// site, so no third-party cookie is involved) and sends in a header on every request. It carries the reader's
// id (the same kind of id the site's cookie carries, so ownership, rate limits and quotas see one reader), the
// origin of the page it was issued for, and its expiry, signed with the session secret. Signed under its own
// label, so a session cookie's signature can never pass for a token's, nor the other way round.
//
// Format: `pae1.<base64url JSON {r, o, e}>.<base64url HMAC-SHA256>`.

export const EMBED_TOKEN_HEADER = 'x-embed-token';
const PREFIX = 'pae1';
const SIGNING_LABEL = 'embed-token:';
const MAX_TOKEN_CHARS = 1024;
const READER_ID = /^[A-Za-z0-9_-]{22}$/;

const ZTokenPayload = z.object({
  r: z.string().regex(READER_ID),
  o: z.string().min(1).max(300),
  e: z.number().int().positive(),
});

export type TEmbedToken = { readerId: string; origin: string; expiresAt: number };

export function newReaderId(): string {
  return randomBytes(16).toString('base64url');
}

export function encodeEmbedToken(secret: string, token: TEmbedToken): string {
  const payload = Buffer.from(JSON.stringify({ r: token.readerId, o: token.origin, e: token.expiresAt })).toString('base64url');
  return `${PREFIX}.${payload}.${signValue(secret, SIGNING_LABEL + payload)}`;
}

/**
 * The token's contents when it is well formed, signed with `secret` and not expired at `nowSeconds`; otherwise
 * null. What the token says about its origin is checked by the caller (lib/embed/identity.ts).
 */
export function decodeEmbedToken(secret: string, value: string, nowSeconds: number): TEmbedToken | null {
  if (value.length > MAX_TOKEN_CHARS) return null;
  const [prefix, payload, signature, extra] = value.split('.');
  if (prefix !== PREFIX || !payload || !signature || extra !== undefined) return null;
  if (!verifySignature(secret, SIGNING_LABEL + payload, signature)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = ZTokenPayload.safeParse(json);
  if (!parsed.success || parsed.data.e <= nowSeconds) return null;
  return { readerId: parsed.data.r, origin: parsed.data.o, expiresAt: parsed.data.e };
}
