import { z } from 'zod';
import { defineRoute, parseWith, textResult } from '@/lib/http';
import { ZDigits } from '@/lib/http/input';
import { assertMaintainer } from '@/lib/maintainers/access';
import { readGapDraftFile, retryGapDraft } from '@/lib/maintainers/gaps/drafts';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

const ZDraftId = z.object({ id: ZDigits.pipe(z.number().min(1)) });

// A kept draft, for maintainers: GET downloads it (its unified diff, or the markdown); POST opens it on
// GitHub again (a retry after GitHub failed) → {url, draft}.
export default defineRoute({
  async GET(ctx) {
    assertMaintainer({ deps: ctx.app, headers: ctx.req.headers, query: ctx.query });
    const { id } = parseWith(ZDraftId, { id: ctx.query.id });
    const file = await readGapDraftFile({ deps: ctx.app, id });
    return textResult({
      text: file.text,
      contentType: file.contentType,
      headers: { 'Cache-Control': 'private, no-store', 'Content-Disposition': `attachment; filename="${file.fileName}"` },
    });
  },
  async POST(ctx) {
    assertMaintainer({ deps: ctx.app, headers: ctx.req.headers, query: ctx.query });
    const { id } = parseWith(ZDraftId, { id: ctx.query.id });
    return { body: await retryGapDraft({ deps: ctx.app, id }), headers: { 'Cache-Control': 'private, no-store' } };
  },
});
