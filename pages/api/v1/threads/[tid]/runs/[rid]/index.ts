import { parseWith } from '@/lib/http';
import { defineApiRoute } from '@/lib/v1/http';
import { ZRunParams, ZUpdateMetadataBody } from '@/lib/v1/schemas';
import { readRunAndAdvanceForKey, updateRunForKey } from '@/lib/v1/service';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineApiRoute({
  // openai-poll-after-ms: how soon the SDKs' *AndPoll helpers look again (5 s without it).
  async GET({ app, owner, query }) {
    const { tid, rid } = parseWith(ZRunParams, query);
    return {
      body: await readRunAndAdvanceForKey({ deps: app, owner, threadId: tid, runId: rid }),
      headers: { 'openai-poll-after-ms': String(app.config.runs.pollMs) },
    };
  },
  async POST({ app, owner, query, body }) {
    const { tid, rid } = parseWith(ZRunParams, query);
    const { metadata } = await body(ZUpdateMetadataBody);
    return { body: await updateRunForKey({ deps: app, owner, threadId: tid, runId: rid, metadata }) };
  },
});
