import { ZDocsSearchRequest } from '@/lib/docs/search/search';
import { searchDocsForReader } from '@/lib/docs/search/typos';
import { defineRoute } from '@/lib/http';
import { isSignedInCaller } from '@/lib/maintainers/audience';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
// A private repository's threads are in the results only for a signed-in caller (lib/maintainers/audience.ts).
export const config = { api: { bodyParser: false } };

export default defineRoute({
  async POST(ctx) {
    const { prompt, limit, sources } = await ctx.body(ZDocsSearchRequest);
    const isPrivateAllowed = await isSignedInCaller({ deps: ctx.app, headers: ctx.req.headers, query: ctx.query });
    return { body: await searchDocsForReader({ deps: ctx.app, prompt, limit, sources, isPrivateAllowed }) };
  },
});
