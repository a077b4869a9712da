import { rmSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Code, Heading, Link } from 'mdast';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { headingAnchors, parseMdxTree } from '@/lib/docs/parse/mdx';
import { listDocFiles } from '@/lib/docs/folder/load';
import { startNextServer, type TNextServer } from '@/scripts/lib/next-server';
import { expectError } from '../helpers/contract';
import { createSeededDataDir } from '../helpers/pglite-template';
import { PRODUCTION_SITE_URL, STRICT_BURST } from './helpers/global-setup';
import { mainClient, modelRequests } from './helpers/tier';

// The docs for agents under `next start`: the MCP server at /mcp driven by the official MCP client over
// Streamable HTTP, /llms.txt and /llms-full.txt, the `.md` twin of every docs page, and MCP discovery. Links the
// server writes are absolute on SITE_URL (http://docs.example.test); the tests fetch them from the server itself.

const CONTENT_DOCS = path.resolve(import.meta.dirname, '../../content/docs');
const PAGE_COUNT = listDocFiles(CONTENT_DOCS).length;

/** A URL the server wrote (on SITE_URL), fetched from the server under test. */
const local = (base: string, url: string) => url.replace(PRODUCTION_SITE_URL, base);

type TExchange = { request: unknown; status: number; response: unknown };

/** The official client over Streamable HTTP; every JSON-RPC exchange is kept, to show the session. */
async function connect(base: string, { headers = {} }: { headers?: Record<string, string> } = {}) {
  const transcript: TExchange[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (init?.method === 'POST') {
      const text = await response.clone().text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Empty (202) or not JSON: kept as text.
      }
      transcript.push({ request: JSON.parse(String(init.body)), status: response.status, response: body });
    }
    return response;
  };
  const client = new Client({ name: 'production-tier', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { fetch: recordingFetch, requestInit: { headers } }));
  return { client, transcript };
}

const textOf = (result: object) => (((result as { content?: unknown }).content as { type: string; text: string }[] | undefined) ?? []).map((part) => part.text).join('\n');

describe('the MCP server at /mcp', () => {
  let mainUrl: string;
  beforeAll(() => {
    mainUrl = inject('mainUrl');
  });

  it('lists its tools, searches, reads a page and its resources: a whole session with the official client', async () => {
    const { client, transcript } = await connect(mainUrl);
    expect(client.getServerVersion()).toMatchObject({ name: 'test.example.docs/docs', version: expect.any(String) });
    expect(client.getServerCapabilities()).toMatchObject({ tools: expect.anything(), resources: expect.anything() });

    const { tools } = await client.listTools();
    // No code source is configured here: read_file is not listed (tests/integration/code-everywhere.test.ts lists it with one).
    expect(tools.map((tool) => tool.name)).toEqual(['search_docs', 'get_page', 'ask_docs']);
    const search = tools.find((tool) => tool.name === 'search_docs');
    expect(search?.inputSchema).toMatchObject({ type: 'object', properties: { query: { type: 'string' }, limit: { type: 'integer' } }, required: ['query'] });
    expect(tools.find((tool) => tool.name === 'get_page')?.inputSchema.properties).toHaveProperty('url');
    expect(tools.find((tool) => tool.name === 'ask_docs')?.inputSchema.required).toEqual(['question']);

    const found = await client.callTool({ name: 'search_docs', arguments: { query: 'slack bot token', limit: 3 } });
    expect(found.isError).toBeFalsy();
    const results = (found.structuredContent as { results: { title: string; heading: string; url: string; markdownUrl: string; excerpt: string }[] }).results;
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(3);
    const [top] = results;
    expect(top!.url).toMatch(/^http:\/\/docs\.example\.test\/docs\/[\w/-]+#[\w-]+$/);
    expect(top!.markdownUrl).toBe(`${top!.url.replace(/#.*$/, '')}.md`);
    expect(results.map((result) => result.url)).toContainEqual(expect.stringMatching(/\/docs\/guides\/slack#/));
    expect(top!.excerpt.length).toBeGreaterThan(20);
    expect(textOf(found)).toContain(`1. ${top!.title} › ${top!.heading}\n   ${top!.url}`);

    // The section's URL, as search returned it, reads the whole page: the same text as the page's .md twin.
    const page = await client.callTool({ name: 'get_page', arguments: { url: top!.url } });
    expect(page.isError).toBeFalsy();
    const twin = await fetch(local(mainUrl, top!.markdownUrl));
    expect(twin.status).toBe(200);
    expect(textOf(page)).toBe(await twin.text());
    expect(textOf(page).startsWith(`# ${top!.title}\n`)).toBe(true);

    const byPath = textOf(await client.callTool({ name: 'get_page', arguments: { path: 'configuration' } }));
    expect(byPath).toMatch(/^# Configuration\n/);
    expect(byPath).toContain('```text\nConfiguration error: SUPABASE_URL is set but SUPABASE_SERVICE_ROLE_KEY is missing\n```');

    const { resources } = await client.listResources();
    expect(resources).toHaveLength(PAGE_COUNT);
    expect(resources.every((resource) => resource.uri.startsWith(`${PRODUCTION_SITE_URL}/docs`) && resource.uri.endsWith('.md') && resource.mimeType === 'text/markdown')).toBe(true);
    const resource = resources.find((item) => item.uri === `${PRODUCTION_SITE_URL}/docs/configuration.md`);
    expect(resource?.title).toBe('Configuration');
    const read = await client.readResource({ uri: resource!.uri });
    expect(read.contents).toEqual([{ uri: resource!.uri, mimeType: 'text/markdown', text: byPath }]);

    await client.close();
    // The session as the client saw it, for the record (the issue's closing note quotes it).
    console.log(`MCP session transcript:\n${JSON.stringify(transcript.slice(0, 5), (key, value) => (key === 'text' && typeof value === 'string' && value.length > 400 ? `${value.slice(0, 400)}…` : value), 1)}`);
    expect(transcript[0]).toMatchObject({ request: { method: 'initialize' }, status: 200, response: { result: { serverInfo: { name: 'test.example.docs/docs', title: 'Paste Assistant docs' }, instructions: expect.stringMatching(/^This server serves Paste Assistant docs, a documentation site\./) } } });
    // Nor do its instructions name read_file, which this server does not list.
    expect(JSON.stringify(transcript[0]!.response)).not.toContain('read_file');
  });

  it('asks the assistant: the question runs through the run engine, the configured model and the docs tool, and the answer comes with its sources', async () => {
    const { client } = await connect(mainUrl);
    const question = `How do I create the Slack bot token? (mcp ${Date.now()})`;
    const asked = await client.callTool({ name: 'ask_docs', arguments: { question } });
    expect(asked.isError, textOf(asked)).toBeFalsy();
    const { answer, sources } = asked.structuredContent as { answer: string; sources: { title: string; url: string }[] };
    expect(answer.length).toBeGreaterThan(0);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source.url).toMatch(/^http:\/\/docs\.example\.test\/docs\//);
    expect(textOf(asked)).toContain(`Sources:\n- [${sources[0]!.title}](${sources[0]!.url})`);
    // The fake model behind OPENAI_BASE_URL was asked, first for the docs tool, then for the answer.
    const asks = (await modelRequests()).filter((request) => request.question === question);
    expect(asks.map((request) => request.kind)).toEqual(['tool_call', 'answer']);

    // A model that refuses the key: the run fails, and the tool says so as an MCP tool error.
    const failed = await client.callTool({ name: 'ask_docs', arguments: { question: 'Why? [[model:401]]' } });
    expect(failed.isError).toBe(true);
    expect(textOf(failed)).not.toMatch(/at .*\.(ts|js):\d+/);
    await client.close();
  });

  it('answers bad arguments with MCP errors, and keeps serving', async () => {
    const { client } = await connect(mainUrl);
    const expectToolError = async (name: string, args: Record<string, unknown>, message: RegExp) => {
      const result = await client.callTool({ name, arguments: args });
      expect(result.isError, JSON.stringify(result)).toBe(true);
      expect(textOf(result)).toMatch(message);
    };
    await expectToolError('search_docs', {}, /query/);
    await expectToolError('search_docs', { query: '   ' }, /query must not be empty/);
    await expectToolError('search_docs', { query: 'x'.repeat(4001) }, /at most 4000 characters/);
    await expectToolError('search_docs', { query: 'slack', limit: 0 }, /limit/);
    await expectToolError('get_page', {}, /either url or path/);
    await expectToolError('get_page', { path: 'no/such/page' }, /No docs page at "no\/such\/page"/);
    await expectToolError('get_page', { path: '../../package.json' }, /No docs page/);
    await expectToolError('get_page', { url: 'https://elsewhere.example/docs/configuration' }, /No docs page/);
    await expectToolError('ask_docs', { question: 'x'.repeat(8001) }, /at most 8000 characters/);
    await expectToolError('no_such_tool', {}, /not found/);
    await expect(client.readResource({ uri: `${PRODUCTION_SITE_URL}/docs/no-such-page.md` })).rejects.toBeInstanceOf(McpError);

    expect((await client.listTools()).tools).toHaveLength(3);
    await client.close();
  });

  it('keeps the HTTP contract: 405 for GET, 400/413/415 for bodies that are not a JSON-RPC message, 406 without the MCP Accept header', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${mainUrl}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body });
    const asJson = async (response: Response) => ({ status: response.status, body: (await response.json()) as any });

    const get = await fetch(`${mainUrl}/mcp`, { headers: { accept: 'text/event-stream' } });
    expect(get.headers.get('allow')).toBe('POST');
    expectError(await asJson(get), 405, 'method_not_allowed');
    expectError(await asJson(await post('{not json')), 400, 'bad_request');
    expectError(await asJson(await post('{"hello":"world"}')), 400, 'bad_request');
    expectError(await asJson(await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(40_000) } }))), 413, 'payload_too_large');
    expectError(await asJson(await post('jsonrpc=2.0', { 'content-type': 'application/x-www-form-urlencoded' })), 415, 'unsupported_media_type');

    const notAcceptable = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }), { accept: 'application/json' });
    expect(notAcceptable.status).toBe(406);
    expect(await notAcceptable.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000, message: expect.stringMatching(/Not Acceptable/) } });

    // A ping needs no initialize in stateless mode.
    const ping = await post(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'ping' }), { 'mcp-protocol-version': '2025-06-18' });
    expect(ping.status).toBe(200);
    expect(ping.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await ping.json()).toEqual({ jsonrpc: '2.0', id: 7, result: {} });
  });

  it('lets agents in (no Origin) and this site\'s pages, and refuses a page on another site with 403', async () => {
    const ping = (headers: Record<string, string>) =>
      fetch(`${mainUrl}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
    expect((await ping({})).status).toBe(200);
    expect((await ping({ origin: PRODUCTION_SITE_URL })).status).toBe(200);
    const foreign = await ping({ origin: 'https://evil.example' });
    expectError({ status: foreign.status, body: await foreign.json() }, 403, 'origin_not_allowed');
    const crossSite = await ping({ 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    // The official client behind a foreign page's Origin gets nowhere.
    await expect(connect(mainUrl, { headers: { origin: 'https://evil.example' } })).rejects.toMatchObject({ code: 403 });
  });

  it('holds the burst limits: a session over its budget gets 429 with Retry-After', async () => {
    const strictUrl = inject('strictUrl');
    // A session the client carries (cookie), as a same-site browser client would; agents without cookies are
    // each a new session and meet the per-address limit instead.
    const first = await fetch(`${strictUrl}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(first.status).toBe(200);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^pa_session=/);

    let refusal: unknown;
    const { client } = await connect(strictUrl, { headers: { cookie } }).catch((error: unknown) => ((refusal = error), { client: null }));
    for (let index = 0; client && index < STRICT_BURST + 2 && !refusal; index += 1) {
      await client.listTools().catch((error: unknown) => (refusal = error));
    }
    expect(refusal).toBeInstanceOf(StreamableHTTPError);
    expect((refusal as StreamableHTTPError).code).toBe(429);

    const limited = await fetch(`${strictUrl}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', cookie },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
    });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expectError({ status: limited.status, body: await limited.json() }, 429, 'rate_limited');
    await client?.close().catch(() => undefined);
  });
});

/** The links of a markdown tree, at any depth. */
function linksIn(node: { type: string; children?: unknown[] }): string[] {
  if (node.type === 'link') return [(node as Link).url];
  return (node.children ?? []).flatMap((child) => linksIn(child as { type: string; children?: unknown[] }));
}

/** The code blocks of a markdown tree, in document order, at any depth. */
function codeBlocksIn(node: { type: string; children?: unknown[] }): Code[] {
  if (node.type === 'code') return [node as Code];
  return (node.children ?? []).flatMap((child) => codeBlocksIn(child as { type: string; children?: unknown[] }));
}

describe('llms.txt, llms-full.txt and the markdown twins', () => {
  let mainUrl: string;
  beforeAll(() => {
    mainUrl = inject('mainUrl');
  });

  it('/llms.txt follows the convention, and every link in it resolves to a markdown page', async () => {
    const response = await fetch(`${mainUrl}/llms.txt`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('set-cookie')).toBeNull();
    const text = await response.text();
    const lines = text.split('\n');
    expect(lines[0]).toBe('# Paste Assistant docs');
    expect(lines[2]).toMatch(new RegExp(`^> The documentation served at ${PRODUCTION_SITE_URL}/docs: ${PAGE_COUNT} pages`));
    expect(text).toMatch(/^## Overview$/m);
    console.log(`/llms.txt (content/docs), first lines:\n${lines.slice(0, 12).join('\n')}`);

    const links = [...text.matchAll(/^- \[[^\]]+\]\(([^)]+)\)/gm)].map((match) => match[1] as string);
    expect(links).toHaveLength(PAGE_COUNT);
    for (const link of links) {
      expect(link).toMatch(/^http:\/\/docs\.example\.test\/docs.*\.md$/);
      const page = await fetch(local(mainUrl, link));
      expect(page.status, link).toBe(200);
      expect(page.headers.get('content-type'), link).toBe('text/markdown; charset=utf-8');
      expect(await page.text(), link).toMatch(/^# \S/);
    }
  });

  it('/llms-full.txt holds every page\'s markdown, and the twins and llms files revalidate by ETag', async () => {
    const full = await fetch(`${mainUrl}/llms-full.txt`);
    expect(full.status).toBe(200);
    const text = await full.text();
    expect(text.match(/^Source: http:\/\/docs\.example\.test\/docs/gm)).toHaveLength(PAGE_COUNT);
    const twin = await (await fetch(`${mainUrl}/docs/guides/slack.md`)).text();
    expect(text).toContain(twin.split('\n').slice(2).join('\n').trim());

    for (const route of ['/llms.txt', '/llms-full.txt', '/docs/configuration.md', '/docs.md']) {
      const first = await fetch(`${mainUrl}${route}`);
      const etag = first.headers.get('etag');
      expect(etag, route).toMatch(/^"[\w-]+"$/);
      expect(first.headers.get('cache-control'), route).toBe('public, no-cache');
      const again = await fetch(`${mainUrl}${route}`, { headers: { 'if-none-match': etag! } });
      expect(again.status, route).toBe(304);
      expect(await again.text(), route).toBe('');
    }
  });

  it('every docs page has a .md twin with its title, its sections (the same anchors), its code, and links that land on this site\'s pages', async () => {
    const links = [...(await (await fetch(`${mainUrl}/llms.txt`)).text()).matchAll(/^- \[[^\]]+\]\(([^)]+)\)/gm)].map((match) => match[1] as string);
    expect(links).toHaveLength(PAGE_COUNT);
    /** Where the pages' and the twins' links to this site go (path and query), and from which page. */
    const targets = new Map<string, string>();
    for (const link of links) {
      const htmlUrl = local(mainUrl, link).replace(/\.md$/, '');
      const [html, markdown] = await Promise.all([fetch(htmlUrl).then((response) => response.text()), fetch(local(mainUrl, link)).then((response) => response.text())]);
      const { tree } = parseMdxTree({ source: markdown, path: 'twin.md' });
      const [title, ...headings] = tree.children.filter((node): node is Heading => node.type === 'heading');
      expect(title?.depth, link).toBe(1);
      // The page's <h1>, then the ids of its section headings, as the indexer gives them and links point at.
      // (Compared as text: React writes an apostrophe as &#x27;.)
      expect(unescapeHtml(html), link).toContain(`>${String(title && 'value' in title.children[0]! ? title.children[0].value : '')}</h1>`);
      const anchors = headingAnchors({ type: 'root', children: headings });
      // (Emotion puts a heading style's first use in a <style> element just before it.)
      const pageIds = [...html.matchAll(/\bid="([^"]+)"[^>]*>\s*(?:<style[^>]*>[^<]*<\/style>)?\s*<h[2-6]\b/g)].map((match) => match[1]);
      expect(headings.map((heading) => anchors.get(heading)), link).toEqual(pageIds);
      // Every code block the page shows, in order, with the same text.
      const pageCode = [...html.matchAll(/<pre\b[^>]*><code>([\s\S]*?)<\/code><\/pre>/g)].map((match) => unescapeHtml(match[1] as string));
      // Anywhere in the twin: a code block may sit in a list item, as on the page.
      const twinCode = codeBlocksIn(tree).map((node) => node.value);
      expect(twinCode, link).toEqual(pageCode);
      // The links the page's text writes (its headings' links to themselves aside), on the page and in the twin.
      const article = html.match(/<article\b[^>]*>([\s\S]*?)<\/article>/)?.[1] ?? '';
      const pageHrefs = [...article.matchAll(/<a\b[^>]*>/g)]
        .map((match) => match[0])
        .filter((tag) => !/aria-label="Link to /.test(tag))
        .map((tag) => unescapeHtml(tag.match(/\bhref="([^"]*)"/)?.[1] ?? ''));
      for (const href of [...pageHrefs, ...linksIn(tree)]) {
        const url = new URL(href, `${PRODUCTION_SITE_URL}${new URL(link).pathname.replace(/\.md$/, '')}`);
        if (url.origin === PRODUCTION_SITE_URL) targets.set(`${url.pathname}${url.search}`, link);
      }
    }
    expect(targets.size).toBeGreaterThan(10);
    for (const [target, from] of targets) expect((await fetch(`${mainUrl}${target}`)).status, `${target} (linked from ${from})`).toBe(200);
  });

  it('the docs pages link their twins and carry the page actions menu, and unknown pages are 404', async () => {
    const html = await (await fetch(`${mainUrl}/docs/configuration`)).text();
    // Pieces of the page, so that a failure shows what was found rather than the whole document.
    const pick = (pattern: RegExp) => html.match(pattern)?.[0] ?? `(nothing matches ${pattern})`;
    expect(pick(/<link rel="alternate"[^>]*>/)).toMatch(/^<link rel="alternate" type="text\/markdown" href="\/docs\/configuration.md"/);
    expect(pick(/<button[^>]*aria-haspopup[^>]*>(?:(?!<\/button>)[\s\S])*<\/button>/)).toMatch(/>Page actions\s*</);
    const response = await mainClient().get('/docs/no-such-page.md');
    expectError(response, 404, 'not_found');
    // A path that climbs out of the docs (its slashes encoded, so that the URL parser keeps them) reads nothing.
    const climbing = await mainClient().get('/docs/a%2F..%2F..%2Fpackage.json.md');
    if (climbing.status === 404) expectError(climbing, 404, 'not_found');
    else expectError(climbing, 400, 'bad_request');
  });
});

describe('MCP discovery', () => {
  it('publishes a catalog that points at the server card, and the card names the /mcp endpoint', async () => {
    const mainUrl = inject('mainUrl');
    const catalog = await fetch(`${mainUrl}/.well-known/mcp/catalog.json`);
    expect(catalog.status).toBe(200);
    expect(catalog.headers.get('access-control-allow-origin')).toBe('*');
    expect(catalog.headers.get('set-cookie')).toBeNull();
    const { entries } = (await catalog.json()) as { entries: { type: string; url: string }[] };
    expect(entries).toEqual([expect.objectContaining({ type: 'application/mcp-server-card+json', url: `${PRODUCTION_SITE_URL}/mcp/server-card` })]);

    for (const route of ['/mcp/server-card', '/.well-known/mcp/server-card.json']) {
      const card = await fetch(`${mainUrl}${route}`, { headers: { accept: 'application/mcp-server-card+json' } });
      expect(card.status, route).toBe(200);
      expect(card.headers.get('content-type'), route).toBe('application/mcp-server-card+json');
      expect(await card.json(), route).toMatchObject({
        $schema: 'https://static.modelcontextprotocol.io/schemas/v2/server-card.schema.json',
        name: 'test.example.docs/docs',
        // The served docs' name (content/docs: `siteName: Paste Assistant`), as /llms.txt and page titles give it.
        title: 'Paste Assistant docs',
        remotes: [{ type: 'streamable-http', url: `${PRODUCTION_SITE_URL}/mcp` }],
      });
    }
  });
});

// With nothing configured (embedded Postgres, the offline model), as `npm start` runs out of the box.
describe('on the embedded defaults, offline', () => {
  let server: TNextServer;
  beforeAll(async () => {
    server = await startNextServer({
      dataDir: await createSeededDataDir('pa-production-'),
      env: { NODE_ENV: 'production', DOCS_DIR: '', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', OPENAI_API_STYLE: '', OPENAI_MODEL: '', SUPABASE_URL: '', SUPABASE_SERVICE_ROLE_KEY: '', SLACK_BOT_TOKEN: '', SLACK_CHANNEL_ID: '', SLACK_API_URL: '', SESSION_SECRET: '', SITE_URL: '' },
    });
  });
  afterAll(async () => {
    await server?.stop();
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('searches, reads and asks over MCP with the offline model, and links where the server is reached (no SITE_URL)', async () => {
    const { client } = await connect(server.url);
    const found = await client.callTool({ name: 'search_docs', arguments: { query: 'offline mode without a key' } });
    expect((found.structuredContent as { results: unknown[] }).results.length).toBeGreaterThan(0);
    const asked = await client.callTool({ name: 'ask_docs', arguments: { question: 'Can the assistant work without an API key?' } });
    expect(asked.isError, textOf(asked)).toBeFalsy();
    expect((asked.structuredContent as { sources: { url: string }[] }).sources[0]?.url).toMatch(new RegExp(`^${server.url}/docs/`));
    await client.close();
    expect(await (await fetch(`${server.url}/llms.txt`)).text()).toContain(`(${server.url}/docs/configuration.md)`);
  });
});

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
