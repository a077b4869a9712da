import { ZRunParams } from '@/lib/assistant/schemas';
import { cancelRunForCaller } from '@/lib/assistant/service';
import { apiConfig, defineRoute, parseWith } from '@/lib/http';

export const config = apiConfig;

export default defineRoute({
  async POST({ app, owner, query }) {
    const { tid, rid } = parseWith(ZRunParams, query);
    return { body: await cancelRunForCaller({ app, owner, threadId: tid, runId: rid }) };
  },
});
