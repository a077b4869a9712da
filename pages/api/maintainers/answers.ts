import { defineRoute } from '@/lib/http';
import { assertMaintainer } from '@/lib/maintainers/access';
import { listMaintainerAnswersView, postMaintainerAnswer, ZMaintainerAnswerPost } from '@/lib/maintainers/answers';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// The maintainers' answers, for maintainers (a signed link, the bearer token or the sign-in cookie):
// GET → {proposed, approved, rejected}; POST {id, status: 'approved' | 'rejected' | null, question?, answer?} → the
// answer decided (200); POST {question, answer, status: 'approved' | null} (no id) → the answer written (201).
export default defineRoute({
  async GET(ctx) {
    assertMaintainer({ deps: ctx.app, headers: ctx.req.headers, query: ctx.query });
    return { body: await listMaintainerAnswersView({ db: ctx.app.db }), headers: { 'Cache-Control': 'private, no-store' } };
  },
  async POST(ctx) {
    assertMaintainer({ deps: ctx.app, headers: ctx.req.headers, query: ctx.query });
    const post = await ctx.body(ZMaintainerAnswerPost);
    const { status, answer } = await postMaintainerAnswer({ deps: ctx.app, post });
    return { status, body: answer, headers: { 'Cache-Control': 'private, no-store' } };
  },
});
