import { serveDocMarkdown, ZDocMarkdownQuery } from '@/lib/docs/agents/publish';
import { defineRoute, parseWith } from '@/lib/http';

// GET <docs page>.md (rewritten here by next.config.mjs: /docs/a/b.md → /api/docs-markdown/a/b, /docs.md → /api/docs-markdown): the page as markdown.
export default defineRoute(
  {
    async GET(ctx) {
      const { path } = parseWith(ZDocMarkdownQuery, { path: ctx.query.path });
      // No session is made here (a shared cache may keep public twins); a reader's own cookie still says who they are.
      return serveDocMarkdown({ config: ctx.app.config, slug: path, ifNoneMatch: ctx.req.headers['if-none-match'], access: await ctx.readerAccess() });
    },
  },
  { isSessionless: true },
);
