import { listVotesForCaller, setVoteForCaller, ZListVotesQuery, ZSetVoteBody } from '@/lib/assistant/votes';
import { defineRoute, parseWith } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineRoute({
  // {threadId, messageId, vote: 'up' | 'down' | null} → the caller's vote on that answer.
  async POST(ctx) {
    const body = await ctx.body(ZSetVoteBody);
    return { body: await setVoteForCaller({ deps: ctx.app, owner: ctx.owner, ...body }) };
  },
  // ?threadId=… → the caller's votes in that thread, so a reloaded client can show them.
  async GET({ app, owner, query }) {
    const { threadId } = parseWith(ZListVotesQuery, query);
    return { body: await listVotesForCaller({ deps: app, owner, threadId }) };
  },
});
