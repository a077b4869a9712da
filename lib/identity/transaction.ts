import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

// An OpenID Connect sign-in in flight, carried in its own `state` parameter rather than in a cookie of its own:
// sealed (AES-256-GCM, a key derived from the session secret) so that the PKCE verifier and the nonce stay
// secret on their way through the browser and the provider, bound to the reader's session (a sign-in started in
// one browser cannot be finished in another: no login CSRF), and good for ten minutes. Opening a transaction
// that was altered, is stale, or belongs to another session gives null.

const TRANSACTION_SECONDS = 600;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const ZTransaction = z.object({
  /** The PKCE code verifier. */
  v: z.string().min(43).max(128),
  /** The nonce the ID token must carry. */
  n: z.string().min(1).max(200),
  /** Where the reader goes back to: a path of this site. */
  r: z.string().max(2000),
  /** The session it belongs to, hashed. */
  s: z.string(),
  /** Expiry, Unix seconds. */
  e: z.number().int(),
});

export type TOidcTransaction = { codeVerifier: string; nonce: string; returnTo: string };

function keyOf(secret: string): Buffer {
  return createHash('sha256').update('pa-oidc-transaction\0').update(secret).digest();
}

function sessionTag(sessionId: string): string {
  return createHash('sha256').update('pa-oidc-session\0').update(sessionId).digest('base64url').slice(0, 22);
}

export function sealTransaction({ secret, sessionId, transaction, nowSeconds }: { secret: string; sessionId: string; transaction: TOidcTransaction; nowSeconds: number }): string {
  const payload = JSON.stringify({ v: transaction.codeVerifier, n: transaction.nonce, r: transaction.returnTo, s: sessionTag(sessionId), e: nowSeconds + TRANSACTION_SECONDS });
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const sealed = Buffer.concat([cipher.update(payload, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

export function openTransaction({ secret, sessionId, state, nowSeconds }: { secret: string; sessionId: string; state: string; nowSeconds: number }): TOidcTransaction | null {
  if (!/^[A-Za-z0-9_-]{40,4000}$/.test(state)) return null;
  const bytes = Buffer.from(state, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return null;
  let payload: unknown;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    payload = JSON.parse(text) as unknown;
  } catch {
    return null;
  }
  const parsed = ZTransaction.safeParse(payload);
  if (!parsed.success) return null;
  const { v, n, r, s, e } = parsed.data;
  if (e < nowSeconds || s !== sessionTag(sessionId)) return null;
  return { codeVerifier: v, nonce: n, returnTo: r };
}
