import { handleSlackDoorEvent } from '@/lib/chat-doors/doors/slack/intake';
import { defineRoute } from '@/lib/http';
import { handleReviewReply } from '@/lib/review-channel/replies';
import { handleSlackEvent } from '@/lib/slack/events';

// The signature covers the raw bytes: Next's body parser stays off, the handler reads the body as sent.
export const config = { api: { bodyParser: false } };

// Slack's Events API (lib/slack/events.ts), the one URL of the Slack app: 401 unless signed with
// SLACK_SIGNING_SECRET within five minutes; url_verification is answered with its challenge; an event goes to the
// Slack door (questions, votes) and then to the review channel (maintainers' replies); anything is acknowledged
// with 200 at once, as Slack expects (it retries what it does not see acknowledged within three seconds). Slack has
// no session and sends from many addresses: no cookie, no burst limit (the signature check comes first and is cheap).
export default defineRoute(
  {
    async POST({ app, req, rawBody }) {
      const outcome = await handleSlackEvent({ deps: app, listeners: [handleSlackDoorEvent, handleReviewReply], headers: req.headers, body: await rawBody() });
      if (outcome.type === 'challenge') return { body: { challenge: outcome.challenge } };
      return { body: { ok: true } };
    },
  },
  { isSessionless: true, isRateLimited: false },
);
