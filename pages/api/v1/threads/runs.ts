import { defineApiRoute } from '@/lib/v1/http';
import { ZCreateThreadAndRunBody } from '@/lib/v1/schemas';
import { createThreadAndRunForKey } from '@/lib/v1/service';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// Create thread and run: a thread with its messages, and a run on it (streamed with `stream: true`).
export default defineApiRoute({
  async POST({ app, owner, client, body }) {
    const result = await createThreadAndRunForKey({ deps: app, owner, client, body: await body(ZCreateThreadAndRunBody) });
    return 'eventStream' in result ? result : { body: result };
  },
});
