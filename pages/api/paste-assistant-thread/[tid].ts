import { ZThreadParams, ZUpdateThreadBody } from '@/lib/assistant/schemas';
import { deleteThreadForCaller, getThreadForCaller, updateThreadForCaller } from '@/lib/assistant/service';
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
    return { body: await updateThreadForCaller({ deps: ctx.app, owner: ctx.owner, threadId: tid, metadata }) };
  },
  async DELETE({ app, owner, query }) {
    const { tid } = parseWith(ZThreadParams, query);
    return { body: await deleteThreadForCaller({ deps: app, owner, threadId: tid }) };
  },
});
