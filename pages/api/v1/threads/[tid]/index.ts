import { parseWith } from '@/lib/http';
import { defineApiRoute } from '@/lib/v1/http';
import { ZThreadParams, ZUpdateMetadataBody } from '@/lib/v1/schemas';
import { deleteThreadForKey, getThreadForKey, updateThreadForKey } from '@/lib/v1/service';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineApiRoute({
  async GET({ app, owner, query }) {
    const { tid } = parseWith(ZThreadParams, query);
    return { body: await getThreadForKey({ deps: app, owner, threadId: tid }) };
  },
  async POST({ app, owner, query, body }) {
    const { tid } = parseWith(ZThreadParams, query);
    const { metadata } = await body(ZUpdateMetadataBody);
    return { body: await updateThreadForKey({ deps: app, owner, threadId: tid, metadata }) };
  },
  async DELETE({ app, owner, query }) {
    const { tid } = parseWith(ZThreadParams, query);
    return { body: await deleteThreadForKey({ deps: app, owner, threadId: tid }) };
  },
});
