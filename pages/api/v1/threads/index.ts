import { defineApiRoute } from '@/lib/v1/http';
import { ZCreateThreadBody } from '@/lib/v1/schemas';
import { createThreadForKey } from '@/lib/v1/service';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineApiRoute({
  async POST({ app, owner, body }) {
    const { messages, metadata } = await body(ZCreateThreadBody);
    return { body: await createThreadForKey({ deps: app, owner, messages, metadata }) };
  },
});
