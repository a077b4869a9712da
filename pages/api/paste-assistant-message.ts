import { ZSendMessageBody } from '@/lib/assistant/schemas';
import { sendMessageForCaller } from '@/lib/assistant/service';
import { apiConfig, defineRoute } from '@/lib/http';

export const config = apiConfig;

export default defineRoute({
  async POST(ctx) {
    const { threadId, message } = await ctx.body(ZSendMessageBody);
    return { body: await sendMessageForCaller({ app: ctx.app, owner: ctx.owner, threadId, text: message }) };
  },
});
