import type { IncomingMessage } from 'node:http';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { z } from 'zod';
import type { TTextResult } from '../http';
import type { TLogger } from '../log';
import { createDocsMcpServer, type TMcpCaller, type TMcpDeps } from './server';

// POST /mcp: one JSON-RPC message (or a batch) over MCP's Streamable HTTP transport, in the SDK's stateless
// mode: no Mcp-Session-Id, a fresh server and transport per request, answers as JSON rather than an SSE
// stream. Stateless, any instance can answer any request, as with the rest of the API. The route wrapper
// (lib/http/index.ts) has already done what every write gets: 403 for a foreign browser Origin (agents send none),
// 415 for a body that is not JSON, 413 over the body limit, the burst limits (429). The body is parsed there
// and handed to the transport, which checks the JSON-RPC shape and the Accept and protocol-version headers.

const ZJsonRpcMessage = z.looseObject({ jsonrpc: z.literal('2.0') });
export const ZMcpBody = z.union([ZJsonRpcMessage, z.array(ZJsonRpcMessage).min(1).max(50)], {
  error: 'the body must be a JSON-RPC 2.0 message or a batch of them',
});

/** The request headers the transport reads (content negotiation, protocol version); nothing else is passed on. */
const FORWARDED_HEADERS = ['accept', 'content-type', 'mcp-protocol-version', 'mcp-session-id', 'last-event-id'];

export async function handleMcpRequest({
  deps,
  caller,
  log,
  req,
  body,
}: {
  deps: TMcpDeps;
  caller: Omit<TMcpCaller, 'requestOrigin'>;
  log: TLogger;
  req: IncomingMessage;
  body: unknown;
}): Promise<TTextResult> {
  // Page URLs an agent got from this host (not SITE_URL's, when the two differ) still name this site's pages.
  const host = req.headers.host?.toLowerCase();
  const requestOrigin = host ? `${new URL(deps.config.siteUrl).protocol}//${host}` : undefined;
  const server = createDocsMcpServer({ deps, caller: { ...caller, requestOrigin }, log });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  transport.onerror = (error) => log.info({ err: error.message }, 'mcp request refused by the transport');
  try {
    await server.connect(transport);
    const headers = new Headers();
    for (const name of FORWARDED_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    const response = await transport.handleRequest(new Request(`${deps.config.siteUrl}/mcp`, { method: 'POST', headers }), { parsedBody: body });
    const text = await response.text();
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (name !== 'content-type' && name !== 'content-length') responseHeaders[name] = value;
    });
    return { status: response.status, text, contentType: response.headers.get('content-type') ?? 'application/json', headers: responseHeaders };
  } finally {
    await transport.close().catch(() => undefined);
    await server.close().catch(() => undefined);
  }
}
