import { parseWith } from '@/lib/http';
import { defineApiRoute } from '@/lib/v1/http';
import { ZRunParams } from '@/lib/v1/schemas';
import { cancelRunForKey } from '@/lib/v1/service';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineApiRoute({
  async POST({ app, owner, query }) {
    const { tid, rid } = parseWith(ZRunParams, query);
    return { body: await cancelRunForKey({ deps: app, owner, threadId: tid, runId: rid }) };
  },
});
