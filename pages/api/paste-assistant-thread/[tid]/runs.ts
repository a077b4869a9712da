import { ZThreadParams } from '@/lib/assistant/schemas';
import { listLatestRunForCaller } from '@/lib/assistant/service';
import { apiConfig, defineRoute, parseWith } from '@/lib/http';

export const config = apiConfig;

// The thread's latest run (a list of at most one), so a reloaded page can resume a pending run.
export default defineRoute({
  async GET({ app, owner, query }) {
    const { tid } = parseWith(ZThreadParams, query);
    return { body: await listLatestRunForCaller({ app, owner, threadId: tid }) };
  },
});
