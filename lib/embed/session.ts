import { z } from 'zod';
import type { TEmbedConfig } from './settings';
import { originNotAllowed } from './identity';
import { isOriginAllowed, normaliseOrigin } from './origins';
import { decodeEmbedToken, encodeEmbedToken, newReaderId } from './token';

// POST /api/embed/session: the /embed frame's session for the page that embeds it. The frame learns that page's
// origin from the browser (the origin of the host's postMessage, lib/shared/embed-protocol.ts), asks for a token
// bound to it, keeps the token in its own storage and sends it with every request. Sending the token it already
// has renews it for the same reader (a reader who comes back keeps their threads); a token for another origin,
// expired or forged, starts a new reader. The route itself is a write: only this site's pages (the frame) call it.

export const ZEmbedSessionBody = z.object({
  origin: z.string().min(1).max(300),
  token: z.string().max(1024).optional(),
});
export type TEmbedSessionBody = z.infer<typeof ZEmbedSessionBody>;

export type TEmbedSessionDeps = { config: { embed: TEmbedConfig }; sessionSecret: string };

export type TEmbedSession = { object: 'embed.session'; token: string; origin: string; expires_at: number };

export function startEmbedSession({
  deps,
  body,
  nowSeconds = Math.floor(Date.now() / 1000),
}: {
  deps: TEmbedSessionDeps;
  body: TEmbedSessionBody;
  nowSeconds?: number;
}): TEmbedSession {
  const origin = normaliseOrigin(body.origin);
  if (origin === null || !isOriginAllowed(deps.config.embed.origins, origin)) throw originNotAllowed();
  const previous = body.token ? decodeEmbedToken(deps.sessionSecret, body.token, nowSeconds) : null;
  const readerId = previous && previous.origin === origin ? previous.readerId : newReaderId();
  const expiresAt = nowSeconds + deps.config.embed.sessionSeconds;
  return { object: 'embed.session', token: encodeEmbedToken(deps.sessionSecret, { readerId, origin, expiresAt }), origin, expires_at: expiresAt };
}
