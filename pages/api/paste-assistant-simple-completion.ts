import { ZSimpleCompletionBody } from '@/lib/assistant/schemas';
import { simpleCompletion } from '@/lib/assistant/service';
import { apiConfig, defineRoute } from '@/lib/http';

export const config = apiConfig;

export default defineRoute({
  async POST(ctx) {
    const { prompt, context } = await ctx.body(ZSimpleCompletionBody);
    return { body: await simpleCompletion({ app: ctx.app, prompt, context }) };
  },
});
