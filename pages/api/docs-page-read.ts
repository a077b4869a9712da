import { recordPageRead, ZDocsPageRead } from '@/lib/docs/site/page-reads';
import { defineRoute } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// A docs page was read: {path: "/docs/…"} → {recorded}. Counted per page and day, nothing about the reader;
// once per page per address in 30 minutes, a capped number an hour (lib/docs/site/page-reads.ts).
export default defineRoute({
  async POST(ctx) {
    const { path } = await ctx.body(ZDocsPageRead);
    return { body: await recordPageRead({ deps: ctx.app, path, clientIp: ctx.client.ip }), headers: { 'Cache-Control': 'no-store' } };
  },
});
