import { decideVocabulary, listVocabularyForMaintainers, ZVocabularyDecision } from '@/lib/docs/search/ranking/vocabulary';
import { AppError } from '@/lib/errors';
import { defineRoute, type TRouteContext } from '@/lib/http';
import { authorizeMaintainer } from '@/lib/maintainers/access';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

function assertMaintainer({ app, req, query }: Pick<TRouteContext, 'app' | 'req' | 'query'>) {
  if (!authorizeMaintainer({ deps: app, headers: req.headers, query })) throw new AppError('unauthorized', 'Maintainers only: open the dashboard with its link or sign in.');
}

// The learned search vocabulary, for maintainers (a signed link, the bearer token or the sign-in cookie):
// GET → {suggestions, approved, rejected}; POST {word, path, status: 'approved' | 'rejected' | null} → the decision.
export default defineRoute({
  async GET(ctx) {
    assertMaintainer(ctx);
    return { body: await listVocabularyForMaintainers({ db: ctx.app.db }), headers: { 'Cache-Control': 'private, no-store' } };
  },
  async POST(ctx) {
    assertMaintainer(ctx);
    const decision = await ctx.body(ZVocabularyDecision);
    return { body: await decideVocabulary({ db: ctx.app.db, decision }) };
  },
});
