import { ZThreadParams } from '@/lib/assistant/schemas';
import { revokeThreadSharesForCaller, shareThreadForCaller } from '@/lib/assistant/share';
import { defineRoute, parseWith } from '@/lib/http';
import { appForRequest } from '@/lib/http/site-url';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// Share links (lib/assistant/share.ts), by the conversation's owner; 404 for anyone else.
// POST → 201 {url, created_at, updated_at}: a read-only snapshot of the conversation as it is now, at /shared/<id>;
// 200 with the same link when the conversation already has one (its snapshot brought up to date); 429 (rate_limited,
// Retry-After) when a new link is due and the conversation has had SHARE_LINKS_PER_HOUR (5) new ones in the last hour.
// DELETE → {revoked}: the link answers 410 from then on, and its snapshot is gone.
export default defineRoute({
  async POST(ctx) {
    const { tid } = parseWith(ZThreadParams, ctx.query);
    const shared = await shareThreadForCaller({ deps: appForRequest({ req: ctx.req, app: ctx.app }), owner: ctx.owner, threadId: tid });
    return {
      status: shared.isNew ? 201 : 200,
      body: { url: shared.url, created_at: shared.createdAt, updated_at: shared.updatedAt },
      headers: { 'Cache-Control': 'no-store' },
    };
  },
  async DELETE({ app, owner, query }) {
    const { tid } = parseWith(ZThreadParams, query);
    return { body: await revokeThreadSharesForCaller({ deps: app, owner, threadId: tid }) };
  },
});
