import { parseWith } from '@/lib/http';
import { defineApiRoute } from '@/lib/v1/http';
import { ZCreateMessageBody, ZListMessagesQuery, ZThreadParams } from '@/lib/v1/schemas';
import { createMessageForKey, listMessagesForKey } from '@/lib/v1/service';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineApiRoute({
  async GET({ app, owner, query }) {
    const { tid } = parseWith(ZThreadParams, query);
    const { run_id: runId, ...page } = parseWith(ZListMessagesQuery, query);
    return { body: await listMessagesForKey({ deps: app, owner, threadId: tid, page, runId }) };
  },
  async POST({ app, owner, query, body }) {
    const { tid } = parseWith(ZThreadParams, query);
    return { body: await createMessageForKey({ deps: app, owner, threadId: tid, message: await body(ZCreateMessageBody) }) };
  },
});
