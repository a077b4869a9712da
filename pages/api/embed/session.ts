import { startEmbedSession, ZEmbedSessionBody } from '@/lib/embed/session';
import { defineRoute } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// The embed frame's session token (lib/embed/session.ts). Sessionless: the token is the session; no cookie.
export default defineRoute(
  {
    async POST(ctx) {
      return { body: startEmbedSession({ deps: ctx.app, body: await ctx.body(ZEmbedSessionBody) }) };
    },
  },
  { isSessionless: true },
);
