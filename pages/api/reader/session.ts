import { z } from 'zod';
import { endReaderSession, startReaderSessionFromToken } from '@/lib/audiences/session';
import { defineRoute } from '@/lib/http';

// The reader's identity from the host site (issue 57): POST {token}, a JWT the host signed (lib/audiences/token.ts),
// makes this session's reader the token's subject with its audiences until it expires; a token that does not verify
// (forged, expired, `alg: none`, malformed, more than 24 hours long, signed out) is a 401 and changes nothing. DELETE
// signs the reader out (their token is refused from then on until it expires). Both move the caller to a new session
// (a new session cookie, or for the embed a new token in the X-Embed-Token response header) that keeps their
// conversations, so that nobody who knew the old one (a planted cookie) shares the reader's identity.
export const config = { api: { bodyParser: false } };

const ZReaderToken = z.object({ token: z.string().min(1).max(8192) }).strict();

export default defineRoute({
  async POST(ctx) {
    const { token } = await ctx.body(ZReaderToken);
    const reader = await startReaderSessionFromToken({ deps: ctx.app, sessionId: ctx.owner, renewSession: ctx.renewSession, token });
    return { body: { subject: reader.subject, audiences: reader.audiences, expires_at: reader.expiresAt }, headers: { 'Cache-Control': 'no-store' } };
  },
  async DELETE(ctx) {
    return { body: await endReaderSession({ deps: ctx.app, sessionId: ctx.owner, renewSession: ctx.renewSession }), headers: { 'Cache-Control': 'no-store' } };
  },
});
