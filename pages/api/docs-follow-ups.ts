import { suggestFollowUps, ZFollowUpsRequest } from '@/lib/docs/search/follow-ups';
import { defineRoute } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// {sources: ["/docs/…#…", …]} (an answer's sources) → {data: [{question, url}]}: what to ask next.
export default defineRoute({
  async POST(ctx) {
    const { sources } = await ctx.body(ZFollowUpsRequest);
    return { body: { data: await suggestFollowUps({ deps: ctx.app, sources, access: await ctx.readerAccess() }) } };
  },
});
