import { parseWith } from '@/lib/http';
import { defineApiRoute } from '@/lib/v1/http';
import { ZApiStreamCursor, ZRunParams } from '@/lib/v1/schemas';
import { openRunEventsForKey } from '@/lib/v1/service';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// Not in OpenAI's API: the run's Assistants event stream, for a reader that lost the stream of its create or
// submit request. Last-Event-ID (or ?cursor=) resumes after the last event it got; without one, from the start.
export default defineApiRoute({
  async GET({ app, owner, client, query, req }) {
    const { tid, rid } = parseWith(ZRunParams, query);
    const header = req.headers['last-event-id'];
    const cursor = parseWith(ZApiStreamCursor, (Array.isArray(header) ? header[0] : header) || query.cursor);
    return openRunEventsForKey({ deps: app, owner, client, threadId: tid, runId: rid, cursor });
  },
});
