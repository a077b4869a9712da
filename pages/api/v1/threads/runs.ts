import { defineApiRoute } from '@/lib/v1/http';
import { ZCreateThreadAndRunBody } from '@/lib/v1/schemas';
import { createThreadAndRunForKey } from '@/lib/v1/service';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// Create thread and run: a thread with its messages, and a run on it (streamed with `stream: true`).
export default defineApiRoute({
  // The run reads what the key may (its audiences, read by the /v1 door with the key): stored on the run when it is made.
  async POST({ app, owner, client, body, readerAccess }) {
    const result = await createThreadAndRunForKey({ deps: app, owner, client, body: await body(ZCreateThreadAndRunBody), access: await readerAccess() });
    return 'eventStream' in result ? result : { body: result };
  },
});
