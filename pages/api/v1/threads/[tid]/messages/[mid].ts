import { parseWith } from '@/lib/http';
import { defineApiRoute } from '@/lib/v1/http';
import { ZMessageParams, ZUpdateMetadataBody } from '@/lib/v1/schemas';
import { getMessageForKey, updateMessageForKey } from '@/lib/v1/service';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineApiRoute({
  async GET({ app, owner, query }) {
    const { tid, mid } = parseWith(ZMessageParams, query);
    return { body: await getMessageForKey({ deps: app, owner, threadId: tid, messageId: mid }) };
  },
  async POST({ app, owner, query, body }) {
    const { tid, mid } = parseWith(ZMessageParams, query);
    const { metadata } = await body(ZUpdateMetadataBody);
    return { body: await updateMessageForKey({ deps: app, owner, threadId: tid, messageId: mid, metadata }) };
  },
});
