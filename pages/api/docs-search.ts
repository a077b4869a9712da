import { searchDocs, ZDocsSearchRequest } from '@/lib/docs/search';
import { defineRoute } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineRoute({
  async POST(ctx) {
    const { prompt, limit } = await ctx.body(ZDocsSearchRequest);
    return { body: { data: await searchDocs({ deps: ctx.app, prompt, limit, source: 'site' }) } };
  },
});
