import { ZRerunMessageBody, ZThreadParams } from '@/lib/assistant/schemas';
import { sessionReaderAccessOf } from '@/lib/audiences/access';
import { listLatestRunForCaller, rerunMessageForCaller } from '@/lib/assistant/service';
import { defineRoute, parseWith } from '@/lib/http';
import { readChallengeRequest } from '@/lib/limits/challenge';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineRoute({
  // The thread's latest run (a list of at most one), so a reloaded page can resume a pending run.
  async GET({ app, owner, query }) {
    const { tid } = parseWith(ZThreadParams, query);
    return { body: await listLatestRunForCaller({ deps: app, owner, threadId: tid }) };
  },
  // Retry: a new run for the thread's last question ({messageId, wait?, mode?} → {run}); the question is not stored
  // again. `mode: "research"` also follows a quick answer the docs did not cover ("Research this").
  async POST(ctx) {
    const { tid } = parseWith(ZThreadParams, ctx.query);
    const { messageId, wait, challenge, mode } = await ctx.body(ZRerunMessageBody);
    return {
      body: await rerunMessageForCaller({
        deps: ctx.app,
        owner: ctx.owner,
        client: ctx.client,
        threadId: tid,
        messageId,
        isWaiting: wait,
        mode,
        challenge: readChallengeRequest(ctx.req, challenge),
        access: await sessionReaderAccessOf({ deps: ctx.app, sessionId: ctx.owner }),
      }),
    };
  },
});
