import { parseWith } from '@/lib/http';
import { defineApiRoute } from '@/lib/v1/http';
import { ZCreateAssistantBody, ZListQuery } from '@/lib/v1/schemas';
import { createAssistantForKey, listAssistantsForKey } from '@/lib/v1/service';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineApiRoute({
  async GET({ app, owner, query }) {
    return { body: await listAssistantsForKey({ deps: app, owner, page: parseWith(ZListQuery, query) }) };
  },
  async POST({ app, owner, body }) {
    return { body: await createAssistantForKey({ deps: app, owner, body: await body(ZCreateAssistantBody) }) };
  },
});
