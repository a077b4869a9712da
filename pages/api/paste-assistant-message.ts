import { ZSendMessageBody } from '@/lib/assistant/schemas';
import { sessionReaderAccessOf } from '@/lib/audiences/access';
import { sendMessageForCaller } from '@/lib/assistant/service';
import { defineRoute } from '@/lib/http';
import { readChallengeRequest } from '@/lib/limits/challenge';
import { MAX_MESSAGE_BODY_BYTES } from '@/lib/shared/images';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself (room for
// screenshots: MAX_MESSAGE_BODY_BYTES).
export const config = { api: { bodyParser: false } };

// The request's burst limits are taken with the question's own, in the round trip that stores it (isRequestLimited).
export default defineRoute({
  async POST(ctx) {
    const { threadId, message, images, wait, context, challenge, mode } = await ctx.body(ZSendMessageBody);
    // The asker's audiences now (lib/audiences): stored on the run, whose searches keep them however long it takes.
    const access = await sessionReaderAccessOf({ deps: ctx.app, sessionId: ctx.owner });
    return {
      body: await sendMessageForCaller({
        deps: ctx.app,
        owner: ctx.owner,
        client: ctx.client,
        threadId,
        text: message,
        images,
        page: context?.page,
        quote: context?.quote ? { text: context.quote, url: context.url, title: context.title } : undefined,
        isWaiting: wait,
        mode,
        challenge: readChallengeRequest(ctx.req, challenge),
        isRequestLimited: true,
        access,
      }),
    };
  },
}, { isRateLimitedByHandler: true, maxBodyBytes: MAX_MESSAGE_BODY_BYTES });
