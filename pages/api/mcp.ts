import { defineRoute } from '@/lib/http';
import { handleMcpRequest, ZMcpBody } from '@/lib/mcp/handle';

// POST /mcp (rewritten here by next.config.mjs): the docs as an MCP server over Streamable HTTP, stateless.
// GET (an SSE stream) and DELETE (ending a session) have nothing to serve without sessions: 405, as MCP allows.
// Without auth, an agent is a reader of public pages; a maintainer's token or an API key (Authorization: Bearer)
// sees what its access holds (lib/audiences/access.ts), in search_docs, get_page and ask_docs alike.
// Next's own body parser answers 413 in plain text; the route wrapper reads and limits the body itself.
export const config = { api: { bodyParser: false } };

export default defineRoute({
  async POST(ctx) {
    const body = await ctx.body(ZMcpBody);
    return handleMcpRequest({ deps: ctx.app, caller: { owner: ctx.owner, client: ctx.client, access: await ctx.readerAccess() }, log: ctx.log, req: ctx.req, body });
  },
});
