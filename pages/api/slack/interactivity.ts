import { handleSlackDoorAction } from '@/lib/chat-doors/doors/slack/actions';
import { handleSlackChoiceAction } from '@/lib/chat-doors/doors/slack/choices';
import { handleSlackStopAction } from '@/lib/chat-doors/doors/slack/stop';
import { defineRoute } from '@/lib/http';
import { handleSlackInteraction } from '@/lib/slack/interactivity';

// The signature covers the raw bytes: Next's body parser stays off, the handler reads the body as sent.
export const config = { api: { bodyParser: false } };

// Slack's interactivity (lib/slack/interactivity.ts), the Slack app's Interactivity Request URL: a form post
// (`payload` = the interaction's JSON; the one route that takes a form body), 401 unless signed with
// SLACK_SIGNING_SECRET within five minutes, 404 without it. A click on "Ask the maintainers" under an answer goes to
// the Slack door (lib/chat-doors/doors/slack/actions.ts), which hands the conversation over and says where it went
// to the member alone (the payload's response_url); a clarifying choice under an answer is asked again in its Slack
// thread, and the answer loses its choice buttons (lib/chat-doors/doors/slack/choices.ts); Stop under a research
// run's progress stops the run (lib/chat-doors/doors/slack/stop.ts). Slack hears 200 {ok: true}. Slack has no session and sends from
// many addresses: no cookie, no burst limit here (the hand-off itself is limited per member, as a question is).
export default defineRoute(
  {
    async POST({ app, req, rawBody }) {
      await handleSlackInteraction({ deps: app, listeners: [handleSlackDoorAction, handleSlackChoiceAction, handleSlackStopAction], headers: req.headers, body: await rawBody() });
      return { body: { ok: true } };
    },
  },
  { isSessionless: true, isRateLimited: false, isFormAccepted: true },
);
