import { parseWith } from '@/lib/http';
import { defineApiRoute } from '@/lib/v1/http';
import { ZRunParams, ZSubmitToolOutputsBody } from '@/lib/v1/schemas';
import { submitToolOutputsForKey } from '@/lib/v1/service';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// The client's outputs for every pending tool call of a run in requires_action; the run goes on.
export default defineApiRoute({
  async POST({ app, owner, client, query, body }) {
    const { tid, rid } = parseWith(ZRunParams, query);
    const { tool_outputs: toolOutputs, stream } = await body(ZSubmitToolOutputsBody);
    const result = await submitToolOutputsForKey({ deps: app, owner, client, threadId: tid, runId: rid, toolOutputs, isStreamed: stream === true });
    return 'eventStream' in result ? result : { body: result };
  },
});
