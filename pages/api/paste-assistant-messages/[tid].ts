import { ZListQuery, ZThreadParams } from '@/lib/assistant/schemas';
import { listMessagesForCaller } from '@/lib/assistant/service';
import { apiConfig, defineRoute, parseWith } from '@/lib/http';

export const config = apiConfig;

export default defineRoute({
  async GET({ app, owner, query }) {
    const { tid } = parseWith(ZThreadParams, query);
    const { limit, after, order } = parseWith(ZListQuery, query);
    return { body: await listMessagesForCaller({ app, owner, threadId: tid, limit, after, order }) };
  },
});
