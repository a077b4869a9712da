import { ZRunParams } from '@/lib/assistant/schemas';
import { readRunAndAdvanceForCaller } from '@/lib/assistant/service';
import { defineRoute, parseWith } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// Reading a run also moves it along: pending tool calls are dispatched, a stalled run is resumed.
export default defineRoute({
  async GET({ app, owner, query }) {
    const { tid, rid } = parseWith(ZRunParams, query);
    return { body: await readRunAndAdvanceForCaller({ deps: app, owner, threadId: tid, runId: rid }) };
  },
});
