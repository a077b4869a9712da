import { ZDocsSearchRequest } from '@/lib/docs/search/search';
import { searchDocsForReader } from '@/lib/docs/search/typos';
import { defineRoute } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineRoute({
  async POST(ctx) {
    const { prompt, limit, sources } = await ctx.body(ZDocsSearchRequest);
    return { body: await searchDocsForReader({ deps: ctx.app, prompt, limit, sources }) };
  },
});
