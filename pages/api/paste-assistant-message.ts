import { ZSendMessageBody } from '@/lib/assistant/schemas';
import { readerAccessOf } from '@/lib/audiences/access';
import { sendMessageForCaller } from '@/lib/assistant/service';
import { defineRoute } from '@/lib/http';
import { readChallengeRequest } from '@/lib/limits/challenge';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// The request's burst limits are taken with the question's own, in the round trip that stores it (isRequestLimited).
export default defineRoute({
  async POST(ctx) {
    const { threadId, message, wait, context, challenge } = await ctx.body(ZSendMessageBody);
    // The asker's audiences now (lib/audiences): stored on the run, whose searches keep them however long it takes.
    const access = await readerAccessOf({ deps: ctx.app, headers: ctx.req.headers, sessionId: ctx.owner });
    return {
      body: await sendMessageForCaller({
        deps: ctx.app,
        owner: ctx.owner,
        client: ctx.client,
        threadId,
        text: message,
        page: context?.page,
        isWaiting: wait,
        challenge: readChallengeRequest(ctx.req, challenge),
        isRequestLimited: true,
        access,
      }),
    };
  },
}, { isRateLimitedByHandler: true });
