import { recordSearchOpened, ZDocsSearchOpened } from '@/lib/docs/search/ranking/vocabulary';
import { defineRoute } from '@/lib/http';
import { readSessionId } from '@/lib/session';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// A reader opened a search result: {query, path} → {recorded}. The reader's words become suggestions for the
// maintainers' vocabulary (lib/docs/search/ranking/vocabulary.ts), counted by readers: the session the request
// carried, or its address without one; nothing changes the ranking until one is approved. A page the caller may not
// see (a page of an audience the caller does not hold) is answered as one that does not exist.
export default defineRoute({
  async POST(ctx) {
    const body = await ctx.body(ZDocsSearchOpened);
    const sessionId = readSessionId({ req: ctx.req, secret: ctx.app.sessionSecret }) ?? null;
    const opener = { sessionId, clientIp: ctx.client.ip };
    return { body: await recordSearchOpened({ deps: ctx.app, ...body, opener, access: await ctx.readerAccess() }), headers: { 'Cache-Control': 'no-store' } };
  },
});
