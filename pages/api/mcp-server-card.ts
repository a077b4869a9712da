import { readSiteName } from '@/lib/docs/site/site-config';
import { defineRoute } from '@/lib/http';
import { buildServerCard, DISCOVERY_HEADERS, SERVER_CARD_TYPE } from '@/lib/mcp/identity';

// GET /mcp/server-card and /.well-known/mcp/server-card.json (rewritten here): the MCP server's Server Card.
export default defineRoute(
  {
    async GET(ctx) {
      return { text: JSON.stringify(buildServerCard({ siteUrl: ctx.app.config.siteUrl, siteName: readSiteName({ docsDir: ctx.app.config.docsDir }) }), null, 2), contentType: SERVER_CARD_TYPE, headers: DISCOVERY_HEADERS };
    },
  },
  { isSessionless: true },
);
