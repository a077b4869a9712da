import { ZCreateThreadBody, ZListQuery } from '@/lib/assistant/schemas';
import { createThreadForCaller, deleteAllThreadsForCaller, listThreadsForCaller } from '@/lib/assistant/service';
import { sessionReaderAccessOf } from '@/lib/audiences/access';
import { defineRoute, parseWith } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineRoute({
  async GET({ app, owner, query }) {
    const { limit, after } = parseWith(ZListQuery, query);
    return { body: await listThreadsForCaller({ deps: app, owner, limit, after }) };
  },
  async POST(ctx) {
    // An empty body is allowed: the original client posts nothing.
    const hasBody = Number(ctx.req.headers['content-length'] ?? 0) > 0 || ctx.req.headers['transfer-encoding'] !== undefined;
    const { metadata, pageUrl } = hasBody ? await ctx.body(ZCreateThreadBody) : { metadata: undefined, pageUrl: undefined };
    // The site's assistant runs as its session's reader (pages/api/paste-assistant-message.ts): their versions are the thread's to choose.
    const access = await sessionReaderAccessOf({ deps: ctx.app, sessionId: ctx.owner });
    return { body: await createThreadForCaller({ deps: ctx.app, owner: ctx.owner, metadata, pageUrl, access }) };
  },
  // Every thread of the caller at once ("Delete all" in the thread list): {object, deleted, count}.
  async DELETE({ app, owner }) {
    return { body: await deleteAllThreadsForCaller({ deps: app, owner }) };
  },
});
