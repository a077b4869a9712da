import { defineRoute } from '@/lib/http';
import { serveRobotsTxt } from '@/lib/docs/agents/sitemap';

// GET /robots.txt (rewritten here by next.config.mjs): what crawlers may read, and where the sitemap is
// (lib/docs/agents/sitemap.ts). Takes no input.
export default defineRoute(
  {
    async GET(ctx) {
      return serveRobotsTxt({ siteUrl: ctx.app.config.siteUrl, ifNoneMatch: ctx.req.headers['if-none-match'] });
    },
  },
  { isSessionless: true },
);
