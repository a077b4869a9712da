import { AppError } from '@/lib/errors';
import { defineRoute, type TRouteContext } from '@/lib/http';
import { authorizeMaintainer } from '@/lib/maintainers/access';
import { decideMaintainerAnswer, listMaintainerAnswersView, ZMaintainerAnswerDecision } from '@/lib/maintainers/answers';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

function assertMaintainer({ app, req, query }: Pick<TRouteContext, 'app' | 'req' | 'query'>) {
  if (!authorizeMaintainer({ deps: app, headers: req.headers, query })) throw new AppError('unauthorized', 'Maintainers only: open the dashboard with its link or sign in.');
}

// The maintainers' answers, for maintainers (a signed link, the bearer token or the sign-in cookie):
// GET → {proposed, approved, rejected}; POST {id, status: 'approved' | 'rejected' | null, question?, answer?} → the answer.
export default defineRoute({
  async GET(ctx) {
    assertMaintainer(ctx);
    return { body: await listMaintainerAnswersView({ db: ctx.app.db }), headers: { 'Cache-Control': 'private, no-store' } };
  },
  async POST(ctx) {
    assertMaintainer(ctx);
    const decision = await ctx.body(ZMaintainerAnswerDecision);
    return { body: await decideMaintainerAnswer({ deps: ctx.app, decision }), headers: { 'Cache-Control': 'private, no-store' } };
  },
});
