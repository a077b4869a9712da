import { defineRoute } from '@/lib/http';
import { recordSourceOpenedForCaller, ZSourceOpened } from '@/lib/maintainers/grades/source-opened';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// {threadId, messageId, url} → {recorded}: the caller opened a source their answer cites (a signal its grade reads,
// lib/maintainers/grades). 404 for a thread that is not the caller's; recorded: false for a URL the answer does not cite.
export default defineRoute({
  async POST(ctx) {
    const input = await ctx.body(ZSourceOpened);
    return { body: await recordSourceOpenedForCaller({ deps: ctx.app, owner: ctx.owner, input }), headers: { 'Cache-Control': 'no-store' } };
  },
});
