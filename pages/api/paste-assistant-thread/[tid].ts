import { ZThreadParams, ZUpdateThreadBody } from '@/lib/assistant/schemas';
import { deleteThreadForCaller, getThreadForCaller, updateThreadForCaller } from '@/lib/assistant/service';
import { sessionReaderAccessOf } from '@/lib/audiences/access';
import { defineRoute, parseWith } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineRoute({
  async GET({ app, owner, query }) {
    const { tid } = parseWith(ZThreadParams, query);
    return { body: await getThreadForCaller({ deps: app, owner, threadId: tid }) };
  },
  async PUT(ctx) {
    const { tid } = parseWith(ZThreadParams, ctx.query);
    const { metadata } = await ctx.body(ZUpdateThreadBody);
    const access = await sessionReaderAccessOf({ deps: ctx.app, sessionId: ctx.owner });
    return { body: await updateThreadForCaller({ deps: ctx.app, owner: ctx.owner, threadId: tid, metadata, access }) };
  },
  async DELETE({ app, owner, query }) {
    const { tid } = parseWith(ZThreadParams, query);
    return { body: await deleteThreadForCaller({ deps: app, owner, threadId: tid }) };
  },
});
