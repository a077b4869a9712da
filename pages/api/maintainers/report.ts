import { defineRoute, parseWith } from '@/lib/http';
import { assertMaintainerLink } from '@/lib/maintainers/links';
import { getReportForMaintainers, ZReportWindow } from '@/lib/maintainers/report';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

// The maintainers' report as JSON, behind a signed link (`npm run report -- --link` prints one):
// ?exp=…&sig=…[&days=7 | &from=ISO&to=ISO][&limit=10]. Without a valid signature: 404.
export default defineRoute({
  async GET({ app, query }) {
    assertMaintainerLink({ secret: app.sessionSecret, scope: { type: 'report' }, query });
    const { exp: _exp, sig: _sig, ...rest } = query;
    const window = parseWith(ZReportWindow, rest);
    return { body: await getReportForMaintainers({ db: app.db, window }), headers: { 'X-Robots-Tag': 'noindex' } };
  },
});
