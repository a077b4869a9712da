import { ZThreadParams } from '@/lib/assistant/schemas';
import { listLatestRunForCaller } from '@/lib/assistant/service';
import { defineRoute, parseWith } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// The thread's latest run (a list of at most one), so a reloaded page can resume a pending run.
export default defineRoute({
  async GET({ app, owner, query }) {
    const { tid } = parseWith(ZThreadParams, query);
    return { body: await listLatestRunForCaller({ deps: app, owner, threadId: tid }) };
  },
});
