import { defineRoute, parseWith } from '@/lib/http';
import { assertMaintainer } from '@/lib/maintainers/access';
import { ZGapsQuery } from '@/lib/maintainers/gaps/topics';
import { readGapsForMaintainers } from '@/lib/maintainers/gaps/view';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// The gaps, for maintainers (a signed link, the bearer token or the sign-in cookie): GET ?days=30 →
// {period, gaps: [{id, topic, questions, count, counts, trend, nearest, lastAskedAt, draft}], closed}.
export default defineRoute({
  async GET(ctx) {
    assertMaintainer({ deps: ctx.app, headers: ctx.req.headers, query: ctx.query });
    const { days } = parseWith(ZGapsQuery, { days: ctx.query.days });
    return { body: await readGapsForMaintainers({ deps: ctx.app, days }), headers: { 'Cache-Control': 'private, no-store' } };
  },
});
