import { ZRunParams } from '@/lib/assistant/schemas';
import { getRunForCaller } from '@/lib/assistant/service';
import { apiConfig, defineRoute, parseWith } from '@/lib/http';

export const config = apiConfig;

// Reading a run also moves it along: pending tool calls are dispatched, a stalled run is resumed.
export default defineRoute({
  async GET({ app, owner, query }) {
    const { tid, rid } = parseWith(ZRunParams, query);
    return { body: await getRunForCaller({ app, owner, threadId: tid, runId: rid }) };
  },
});
