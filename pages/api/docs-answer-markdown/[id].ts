import { serveAnswerMarkdown } from '@/lib/docs/agents/answers';
import { answerIdOf } from '@/lib/docs/site/answers';
import { defineRoute } from '@/lib/http';

// GET /docs/answers/<id>.md (rewritten here by next.config.mjs): a maintainers' answer as markdown; 404 unless approved.
export default defineRoute(
  {
    async GET(ctx) {
      // No session is made here; a reader's own cookie (or key) still says who they are.
      return serveAnswerMarkdown({ db: ctx.app.db, config: ctx.app.config, id: answerIdOf(ctx.query.id), access: await ctx.readerAccess(), ifNoneMatch: ctx.req.headers['if-none-match'] });
    },
  },
  { isSessionless: true },
);
