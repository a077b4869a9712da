import { ZSimpleCompletionBody } from '@/lib/assistant/schemas';
import { simpleCompletion } from '@/lib/assistant/service';
import { defineRoute } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineRoute({
  async POST(ctx) {
    const { prompt, context } = await ctx.body(ZSimpleCompletionBody);
    return { body: await simpleCompletion({ deps: ctx.app, client: ctx.client, prompt, context }) };
  },
});
