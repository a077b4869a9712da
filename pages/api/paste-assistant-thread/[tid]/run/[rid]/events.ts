import { ZRunEventsCursor, ZRunParams } from '@/lib/assistant/schemas';
import { openRunEventsForCaller } from '@/lib/assistant/service';
import { defineRoute, parseWith } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// The run as server-sent events: status changes and answer text as they happen (lib/shared/stream-protocol.ts).
// Like GET run, it moves the run along. Last-Event-ID (an EventSource reconnecting) wins over ?cursor=.
// The request's burst limits are taken once the caller has a stream slot (isRequestLimited): a stream refused
// for too many open costs no database write.
export default defineRoute({
  async GET({ app, owner, client, query, req }) {
    const { tid, rid } = parseWith(ZRunParams, query);
    const header = req.headers['last-event-id'];
    const cursor = parseWith(ZRunEventsCursor, (Array.isArray(header) ? header[0] : header) || query.cursor);
    return openRunEventsForCaller({ deps: app, owner, client, threadId: tid, runId: rid, cursor, isRequestLimited: true });
  },
}, { isRateLimitedByHandler: true });
