import { parseWith } from '@/lib/http';
import { defineApiRoute } from '@/lib/v1/http';
import { ZCreateRunBody, ZListQuery, ZThreadParams } from '@/lib/v1/schemas';
import { createRunForKey, listRunsForKey } from '@/lib/v1/service';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineApiRoute({
  async GET({ app, owner, query }) {
    const { tid } = parseWith(ZThreadParams, query);
    return { body: await listRunsForKey({ deps: app, owner, threadId: tid, page: parseWith(ZListQuery, query) }) };
  },
  // A run of an assistant on the thread; with `stream: true`, its Assistants event stream.
  // The run reads what the key may (its audiences, read by the /v1 door with the key): stored on the run when it is made.
  async POST({ app, owner, client, query, body, readerAccess }) {
    const { tid } = parseWith(ZThreadParams, query);
    const result = await createRunForKey({ deps: app, owner, client, threadId: tid, body: await body(ZCreateRunBody), access: await readerAccess() });
    return 'eventStream' in result ? result : { body: result };
  },
});
