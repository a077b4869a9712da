import { serveLlmsTxt } from '@/lib/docs/agents/publish';
import { defineRoute } from '@/lib/http';

// GET /llms-full.txt (rewritten here by next.config.mjs): every docs page's markdown, in navigation order.
export default defineRoute(
  {
    async GET(ctx) {
      return serveLlmsTxt({ config: ctx.app.config, isFull: true, ifNoneMatch: ctx.req.headers['if-none-match'], access: await ctx.readerAccess() });
    },
  },
  { isSessionless: true },
);
