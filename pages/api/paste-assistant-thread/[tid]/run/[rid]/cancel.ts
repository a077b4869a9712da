import { ZRunParams } from '@/lib/assistant/schemas';
import { cancelRunForCaller } from '@/lib/assistant/service';
import { defineRoute, parseWith } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineRoute({
  async POST({ app, owner, query }) {
    const { tid, rid } = parseWith(ZRunParams, query);
    return { body: await cancelRunForCaller({ deps: app, owner, threadId: tid, runId: rid }) };
  },
});
