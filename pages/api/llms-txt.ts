import { serveLlmsTxt } from '@/lib/docs/agents/publish';
import { defineRoute } from '@/lib/http';

// GET /llms.txt (rewritten here by next.config.mjs): the docs' index for language models.
export default defineRoute(
  {
    async GET(ctx) {
      return serveLlmsTxt({ config: ctx.app.config, isFull: false, ifNoneMatch: ctx.req.headers['if-none-match'], access: await ctx.readerAccess() });
    },
  },
  { isSessionless: true },
);
