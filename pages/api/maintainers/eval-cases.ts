import { defineRoute, parseWith, textResult } from '@/lib/http';
import { assertMaintainer } from '@/lib/maintainers/access';
import { createEvalCase, deleteEvalCase, evalCasesJsonl, listAllEvalCases, ZCreateEvalCase, ZEvalCaseId } from '@/lib/maintainers/grades/eval-cases';
import { z } from 'zod';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// Eval cases made from conversations, for maintainers (a signed link, the bearer token or the sign-in cookie):
// GET → {data: [case…]}; GET ?format=jsonl → the file `npm run eval -- FILE` reads (a download);
// POST {messageId, path} → 201 the case (the answer's question, the page that should have answered; again for the
// same answer: the page replaced); DELETE ?id=N → {id, deleted: true}. 401 without access, 400 for a page the docs
// do not have, 404 for no such answer or case.
const ZListQuery = z.object({ format: z.enum(['json', 'jsonl']).default('json') }).strict();
const HEADERS = { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex' };

const withoutLink = (query: Record<string, string | string[] | undefined>) => {
  const { exp: _exp, sig: _sig, ...rest } = query;
  return rest;
};

export default defineRoute({
  async GET(ctx) {
    assertMaintainer({ deps: ctx.app, headers: ctx.req.headers, query: ctx.query });
    const { format } = parseWith(ZListQuery, withoutLink(ctx.query));
    const cases = await listAllEvalCases({ db: ctx.app.db });
    if (format === 'json') return { body: { data: cases }, headers: HEADERS };
    return textResult({
      text: evalCasesJsonl(cases),
      contentType: 'application/jsonl; charset=utf-8',
      headers: { ...HEADERS, 'Content-Disposition': 'attachment; filename="eval-cases.jsonl"' },
    });
  },
  async POST(ctx) {
    assertMaintainer({ deps: ctx.app, headers: ctx.req.headers, query: ctx.query });
    const input = await ctx.body(ZCreateEvalCase);
    return { status: 201, body: await createEvalCase({ db: ctx.app.db, input }), headers: HEADERS };
  },
  async DELETE(ctx) {
    assertMaintainer({ deps: ctx.app, headers: ctx.req.headers, query: ctx.query });
    const { id } = parseWith(ZEvalCaseId, withoutLink(ctx.query));
    return { body: await deleteEvalCase({ db: ctx.app.db, id }), headers: HEADERS };
  },
});
