import { defineRoute } from '@/lib/http';
import { serveSitemap } from '@/lib/docs/agents/sitemap';

// GET /sitemap.xml (rewritten here by next.config.mjs; /docs/sitemap.xml redirects to it): the public pages, for
// search engines (lib/docs/agents/sitemap.ts). Takes no input, and the same for every caller: it reads no identity.
export default defineRoute(
  {
    async GET(ctx) {
      return serveSitemap({ deps: ctx.app, ifNoneMatch: ctx.req.headers['if-none-match'] });
    },
  },
  { isSessionless: true },
);
