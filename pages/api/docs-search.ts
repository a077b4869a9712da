import { z } from 'zod';
import { ZDocsSearchRequest } from '@/lib/docs/search/search';
import { searchDocsForReader } from '@/lib/docs/search/search-box';
import { ZDocsVersion } from '@/lib/docs/search/versions';
import { defineRoute, parseWith } from '@/lib/http';

// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
// A page of an audience is in the results only for a caller who may see it (lib/audiences/access.ts).
export const config = { api: { bodyParser: false } };

// The version may be in the body or the address (`?version=1.x`, as a docs site's search links carry it); the body wins.
const ZDocsSearchQuery = z.object({ version: ZDocsVersion.optional() });

export default defineRoute({
  async POST(ctx) {
    const { version: queryVersion } = parseWith(ZDocsSearchQuery, { version: ctx.query.version });
    const { prompt, limit, sources, version } = await ctx.body(ZDocsSearchRequest);
    return { body: await searchDocsForReader({ deps: ctx.app, prompt, limit, sources, access: await ctx.readerAccess(), version: version ?? queryVersion }) };
  },
});
