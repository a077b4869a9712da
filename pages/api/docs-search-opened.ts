import { recordSearchOpened, ZDocsSearchOpened } from '@/lib/docs/search/ranking/vocabulary';
import { defineRoute } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// A reader opened a search result: {query, path} → {recorded}. The reader's words become suggestions for the
// maintainers' vocabulary (lib/docs/search/ranking/vocabulary.ts); nothing changes the ranking until one is approved.
export default defineRoute({
  async POST(ctx) {
    const body = await ctx.body(ZDocsSearchOpened);
    return { body: await recordSearchOpened({ deps: ctx.app, ...body }) };
  },
});
