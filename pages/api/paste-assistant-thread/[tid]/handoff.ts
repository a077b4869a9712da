import { ZThreadParams } from '@/lib/assistant/schemas';
import { ZHandoffBody } from '@/lib/handoff/schemas';
import { getHandoffForCaller, requestHandoffForCaller } from '@/lib/handoff/service';
import { defineRoute, parseWith } from '@/lib/http';
import { readChallengeRequest } from '@/lib/limits/challenge';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// A hand-off to the maintainers (lib/handoff), by the conversation's owner; 404 for anyone else, as every thread route.
// POST {note?, email?} → 201 {channel, url?, status, created_at, replied_at, is_emailed}; asked again, 200 with the
// same hand-off (no second issue or post); 409 handoff_not_configured when HANDOFF_TO names no channel. Limited and
// challenged as a question (429, challenge_required). GET → {handoff: … | null, offer}: where it went, and whether a
// maintainer replied.
export default defineRoute({
  async POST(ctx) {
    const { tid } = parseWith(ZThreadParams, ctx.query);
    const { note, email, challenge } = await ctx.body(ZHandoffBody);
    const { handoff, isNew } = await requestHandoffForCaller({
      deps: ctx.app,
      owner: ctx.owner,
      client: ctx.client,
      threadId: tid,
      note,
      email,
      challenge: readChallengeRequest(ctx.req, challenge),
    });
    return { status: isNew ? 201 : 200, body: handoff, headers: { 'Cache-Control': 'no-store' } };
  },
  async GET({ app, owner, query }) {
    const { tid } = parseWith(ZThreadParams, query);
    return { body: await getHandoffForCaller({ deps: app, owner, threadId: tid }), headers: { 'Cache-Control': 'no-store' } };
  },
});
