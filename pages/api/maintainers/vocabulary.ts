import { decideVocabulary, listVocabularyForMaintainers, ZVocabularyDecision } from '@/lib/docs/search/ranking/vocabulary';
import { defineRoute } from '@/lib/http';
import { assertMaintainer } from '@/lib/maintainers/access';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// The learned search vocabulary, for maintainers (a signed link, the bearer token or the sign-in cookie):
// GET → {suggestions, approved, rejected}; POST {word, path, status: 'approved' | 'rejected' | null} → the decision.
export default defineRoute({
  async GET(ctx) {
    assertMaintainer({ deps: ctx.app, headers: ctx.req.headers, query: ctx.query });
    return { body: await listVocabularyForMaintainers({ db: ctx.app.db }), headers: { 'Cache-Control': 'private, no-store' } };
  },
  async POST(ctx) {
    assertMaintainer({ deps: ctx.app, headers: ctx.req.headers, query: ctx.query });
    const decision = await ctx.body(ZVocabularyDecision);
    return { body: await decideVocabulary({ db: ctx.app.db, decision }) };
  },
});
