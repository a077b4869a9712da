import { readSiteName } from '@/lib/docs/site/site-config';
import { defineRoute } from '@/lib/http';
import { buildMcpCatalog, DISCOVERY_HEADERS } from '@/lib/mcp/identity';

// GET /.well-known/mcp/catalog.json (rewritten here): the MCP servers of this domain — the one at /mcp.
export default defineRoute(
  {
    async GET(ctx) {
      return { text: JSON.stringify(buildMcpCatalog({ siteUrl: ctx.app.config.siteUrl, siteName: readSiteName({ docsDir: ctx.app.config.docsDir }) }), null, 2), contentType: 'application/json', headers: DISCOVERY_HEADERS };
    },
  },
  { isSessionless: true },
);
