import { defineRoute } from '@/lib/http';
import { handleSlackEvent } from '@/lib/slack/events';

// The signature covers the raw bytes: Next's body parser stays off, the handler reads the body as sent.
export const config = { api: { bodyParser: false } };

// Slack's Events API (lib/slack/events.ts): 401 unless signed with SLACK_SIGNING_SECRET within five minutes;
// url_verification is answered with its challenge; anything else is acknowledged with 200 at once, as Slack
// expects (it retries what it does not see acknowledged within three seconds). Slack has no session and
// sends from many addresses: no cookie, no burst limit (the signature check comes first and is cheap).
export default defineRoute(
  {
    async POST({ app, req, rawBody }) {
      const outcome = await handleSlackEvent({ deps: app, headers: req.headers, body: await rawBody() });
      if (outcome.type === 'challenge') return { body: { challenge: outcome.challenge } };
      return { body: { ok: true } };
    },
  },
  { isSessionless: true, isRateLimited: false },
);
