import { ZListQuery, ZThreadParams } from '@/lib/assistant/schemas';
import { listMessagesForCaller } from '@/lib/assistant/service';
import { defineRoute, parseWith } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineRoute({
  async GET({ app, owner, query }) {
    const { tid } = parseWith(ZThreadParams, query);
    const { limit, after, order } = parseWith(ZListQuery, query);
    return { body: await listMessagesForCaller({ deps: app, owner, threadId: tid, limit, after, order }) };
  },
});
