import { ZThreadParams } from '@/lib/assistant/schemas';
import { revokeThreadSharesForCaller, shareThreadForCaller } from '@/lib/assistant/share';
import { defineRoute, parseWith } from '@/lib/http';
import { appForRequest } from '@/lib/site-url';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// Share links (lib/assistant/share.ts), by the conversation's owner; 404 for anyone else.
// POST → 201 {url, created_at}: a read-only snapshot of the conversation as it is now, at /shared/<id>.
// DELETE → {revoked}: every link to the conversation answers 410 from then on.
export default defineRoute({
  async POST(ctx) {
    const { tid } = parseWith(ZThreadParams, ctx.query);
    const shared = await shareThreadForCaller({ deps: appForRequest({ req: ctx.req, app: ctx.app }), owner: ctx.owner, threadId: tid });
    return { status: 201, body: { url: shared.url, created_at: shared.createdAt }, headers: { 'Cache-Control': 'no-store' } };
  },
  async DELETE({ app, owner, query }) {
    const { tid } = parseWith(ZThreadParams, query);
    return { body: await revokeThreadSharesForCaller({ deps: app, owner, threadId: tid }) };
  },
});
