import { parseWith } from '@/lib/http';
import { defineApiRoute } from '@/lib/v1/http';
import { ZStepParams } from '@/lib/v1/schemas';
import { getRunStepForKey } from '@/lib/v1/service';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineApiRoute({
  async GET({ app, owner, query }) {
    const { tid, rid, sid } = parseWith(ZStepParams, query);
    return { body: await getRunStepForKey({ deps: app, owner, threadId: tid, runId: rid, stepId: sid }) };
  },
});
