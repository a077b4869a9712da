import { readReaderNav } from '@/lib/docs/site/reader-nav';
import { defineRoute } from '@/lib/http';

// GET /api/docs-nav: the docs' navigation as the caller may read it (its session's reader, an API key, a
// maintainer), for the 404 page (lib/docs/site/reader-nav.ts). Takes no input. Makes no session: a reader's own
// cookie still says who they are.
export default defineRoute(
  {
    async GET(ctx) {
      return { body: readReaderNav({ docsDir: ctx.app.config.docsDir, rules: ctx.app.config.docsSources, access: await ctx.readerAccess() }) };
    },
  },
  { isSessionless: true },
);
