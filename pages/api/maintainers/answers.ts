import { defineRoute } from '@/lib/http';
import { assertMaintainer } from '@/lib/maintainers/access';
import { decideMaintainerAnswer, listMaintainerAnswersView, ZMaintainerAnswerDecision } from '@/lib/maintainers/answers';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// The maintainers' answers, for maintainers (a signed link, the bearer token or the sign-in cookie):
// GET → {proposed, approved, rejected}; POST {id, status: 'approved' | 'rejected' | null, question?, answer?} → the answer.
export default defineRoute({
  async GET(ctx) {
    assertMaintainer({ deps: ctx.app, headers: ctx.req.headers, query: ctx.query });
    return { body: await listMaintainerAnswersView({ db: ctx.app.db }), headers: { 'Cache-Control': 'private, no-store' } };
  },
  async POST(ctx) {
    assertMaintainer({ deps: ctx.app, headers: ctx.req.headers, query: ctx.query });
    const decision = await ctx.body(ZMaintainerAnswerDecision);
    return { body: await decideMaintainerAnswer({ deps: ctx.app, decision }), headers: { 'Cache-Control': 'private, no-store' } };
  },
});
