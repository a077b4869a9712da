import { AppError } from '../errors';
import { isOriginAllowed, normaliseOrigin, type TEmbedOrigins } from './origins';
import { decodeEmbedToken, type TEmbedToken } from './token';

// Who an embedded request comes from. The /embed frame sends its token in a header (never a cookie), so a page
// elsewhere cannot make a browser send it (CSRF needs an ambient credential); and a token copied elsewhere is
// refused by where the request comes from. In order:
//   - no token header: not an embedded request (the caller falls back to the site's cookie);
//   - a malformed, forged or expired token: 401;
//   - embedding off, or the token's origin no longer in EMBED_ALLOWED_ORIGINS: 403 origin_not_allowed
//     (taking an origin off the list ends its readers' sessions at once);
//   - a request whose Origin is neither this site (the /embed frame itself) nor the token's origin: 403
//     origin_not_allowed. Browsers set Origin themselves; a page cannot pretend to be another.

export type TEmbedIdentityArgs = {
  /** The token header's value, if the request has one. */
  token: string | string[] | undefined;
  /** The request's Origin header. */
  origin: string | undefined;
  secret: string;
  origins: TEmbedOrigins;
  /** Whether an origin is this site's own (the frame's requests come from there). */
  isOwnOrigin(origin: string): boolean;
  nowSeconds: number;
};

export function identifyEmbedReader(args: TEmbedIdentityArgs): TEmbedToken | null {
  if (args.token === undefined) return null;
  const value = Array.isArray(args.token) ? undefined : args.token.trim();
  const token = value ? decodeEmbedToken(args.secret, value, args.nowSeconds) : null;
  if (!token) throw new AppError('unauthorized', 'The embedded assistant’s session is not valid or has expired. Reload the page to start a new one.');
  if (!isOriginAllowed(args.origins, token.origin)) throw originNotAllowed();
  if (args.origin !== undefined && !args.isOwnOrigin(args.origin) && normaliseOrigin(args.origin) !== token.origin) throw originNotAllowed();
  return token;
}

export function originNotAllowed(): AppError {
  return new AppError('origin_not_allowed', 'This site is not allowed to use the assistant. Its owner can add it to EMBED_ALLOWED_ORIGINS.');
}
