import { parseWith } from '@/lib/http';
import { defineApiRoute } from '@/lib/v1/http';
import { ZListQuery, ZRunParams } from '@/lib/v1/schemas';
import { listRunStepsForKey } from '@/lib/v1/service';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineApiRoute({
  async GET({ app, owner, query }) {
    const { tid, rid } = parseWith(ZRunParams, query);
    return { body: await listRunStepsForKey({ deps: app, owner, threadId: tid, runId: rid, page: parseWith(ZListQuery, query) }) };
  },
});
