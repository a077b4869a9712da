import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import packageJson from '../../package.json';
import { docsTitleName } from '../shared/site';

// Who the MCP server says it is, and where agents find it before connecting (MCP Server Cards, SEP-2127, as
// the experimental server-card extension describes them): a catalog at /.well-known/mcp/catalog.json lists the
// server's card, which lives at <streamable-http-url>/server-card, i.e. /mcp/server-card. The older
// /.well-known/mcp/server-card.json serves the same card for scanners that still look there. The card names
// what `initialize` reports (serverInfo name, title and version), so the two never disagree. Its title is the
// docs' name as page titles and /llms.txt give it (the site's name from lib/docs/site/site-config.ts, + " docs").

export const MCP_SERVER_VERSION: string = packageJson.version;
export const SERVER_CARD_TYPE = 'application/mcp-server-card+json';
export const SERVER_CARD_SCHEMA = 'https://static.modelcontextprotocol.io/schemas/v2/server-card.schema.json';
const DESCRIPTION = 'Search, read and ask the documentation of this site.';

/** The server's name in reverse-DNS form, from SITE_URL's host: docs.example.com → com.example.docs/docs. */
export function mcpServerName(siteUrl: string): string {
  const host = new URL(siteUrl).hostname.replace(/^\[|\]$/g, '');
  const reversed = /^[\d.]+$/.test(host) || host.includes(':') ? host.replace(/:/g, '-') : host.split('.').reverse().join('.');
  return `${reversed.replace(/[^a-zA-Z0-9.-]/g, '-') || 'localhost'}/docs`;
}

export function buildServerCard({ siteUrl, siteName }: { siteUrl: string; siteName: string }) {
  return {
    $schema: SERVER_CARD_SCHEMA,
    name: mcpServerName(siteUrl),
    version: MCP_SERVER_VERSION,
    title: docsTitleName(siteName),
    description: DESCRIPTION,
    websiteUrl: `${siteUrl}/docs`,
    remotes: [{ type: 'streamable-http' as const, url: `${siteUrl}/mcp`, supportedProtocolVersions: [...SUPPORTED_PROTOCOL_VERSIONS] }],
  };
}

export function buildMcpCatalog({ siteUrl, siteName }: { siteUrl: string; siteName: string }) {
  const host = new URL(siteUrl).hostname;
  return {
    specVersion: 'draft',
    entries: [{ identifier: `urn:air:${host}:docs`, displayName: docsTitleName(siteName), type: SERVER_CARD_TYPE, url: `${siteUrl}/mcp/server-card` }],
  };
}

/** Discovery documents are public metadata: any page may read them (the CORS the extension asks for), caches may keep them an hour. */
export const DISCOVERY_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Cache-Control': 'public, max-age=3600',
};
