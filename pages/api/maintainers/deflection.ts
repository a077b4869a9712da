import { defineRoute, parseWith, textResult } from '@/lib/http';
import { assertMaintainer } from '@/lib/maintainers/access';
import { deflectionCsv, getDeflectionForMaintainers, ZDeflectionQuery } from '@/lib/maintainers/deflection';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// Deflection and sources, for maintainers (a signed link, the bearer token or the sign-in cookie):
// GET ?days=30 | ?from=YYYY-MM-DD&to=YYYY-MM-DD [&limit=50] [&format=csv] → the figures as JSON (TDeflectionView,
// lib/shared/deflection.ts), or as a CSV download with format=csv. 401 without access, 400 for a bad period.
export default defineRoute({
  async GET(ctx) {
    assertMaintainer({ deps: ctx.app, headers: ctx.req.headers, query: ctx.query });
    const { exp: _exp, sig: _sig, ...rest } = ctx.query;
    const query = parseWith(ZDeflectionQuery, rest);
    const view = await getDeflectionForMaintainers({ db: ctx.app.db, query });
    const headers = { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex' };
    if (query.format === 'json') return { body: view, headers };
    const name = `deflection-${view.period.from.slice(0, 10)}-to-${new Date(Date.parse(view.period.to) - 1).toISOString().slice(0, 10)}.csv`;
    return textResult({
      text: deflectionCsv(view),
      contentType: 'text/csv; charset=utf-8',
      headers: { ...headers, 'Content-Disposition': `attachment; filename="${name}"` },
    });
  },
});
