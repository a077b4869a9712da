import { defineRoute } from '@/lib/http';
import { handleDiscordInteraction } from '@/lib/chat-doors/doors/discord/interactions';

// The signature covers the raw bytes: Next's body parser stays off, the handler reads the body as sent.
export const config = { api: { bodyParser: false } };

// Discord's interactions endpoint (lib/chat-doors/doors/discord/interactions.ts): 404 unless Discord is configured, 401 unless
// signed with the application's Ed25519 key within five minutes; PING is answered with PONG, a question with a
// deferred response (answered later by the Discord door's inbox worker, lib/chat-doors/worker.ts), a vote button with a note only the voter sees.
// Discord has no session and sends from many addresses: no cookie, no burst limit (the signature check is cheap).
export default defineRoute(
  {
    async POST({ app, req, rawBody }) {
      return { body: await handleDiscordInteraction({ deps: app, headers: req.headers, body: await rawBody() }) };
    },
  },
  { isSessionless: true, isRateLimited: false },
);
