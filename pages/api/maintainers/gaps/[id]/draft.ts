import { defineRoute, parseWith } from '@/lib/http';
import { assertMaintainer } from '@/lib/maintainers/access';
import { draftGapFix, ZDraftRequest } from '@/lib/maintainers/gaps/drafts';
import { ZTopicId } from '@/lib/maintainers/gaps/topics';
import { draftDownloadUrl } from '@/lib/maintainers/gaps/view';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// A topic's drafted docs fix, for maintainers: POST {target: 'github' | 'patch', days?} → {url, draft}. 404 for a
// topic not in the period; 503 when GitHub failed (the draft is kept, and retried from the dashboard).
export default defineRoute({
  async POST(ctx) {
    const access = assertMaintainer({ deps: ctx.app, headers: ctx.req.headers, query: ctx.query });
    const { id } = parseWith(ZTopicId, { id: ctx.query.id });
    const request = await ctx.body(ZDraftRequest);
    const link = access.via === 'link' ? { exp: access.exp, sig: access.sig } : null;
    const result = await draftGapFix({
      deps: ctx.app,
      topicId: id,
      request,
      downloadUrl: (draftId) => draftDownloadUrl({ siteUrl: ctx.app.config.siteUrl, draftId, link }),
    });
    return { body: result, headers: { 'Cache-Control': 'private, no-store' } };
  },
});
