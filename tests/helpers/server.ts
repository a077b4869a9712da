import { readdirSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { searchParamsToUrlQuery } from 'next/dist/shared/lib/router/utils/querystring';
import { setApp, type TApp } from '@/lib/app';

// The API routes served over real HTTP on 127.0.0.1, routed from the files in pages/api the way Next routes
// them (static segments before dynamic ones), with the query string parsed by Next's parser and route params
// merged into req.query as Next does.

type THandler = (req: IncomingMessage & { query?: Record<string, string | string[] | undefined> }, res: ServerResponse) => Promise<void>;
/** `rank`: per path segment, 0 static, 1 dynamic, 2 catch-all, 3 optional catch-all (Next's order, segment by segment). */
type TRoute = { pattern: RegExp; params: string[]; catchAll?: string; file: string; rank: number[] };

const API_DIR = path.resolve(import.meta.dirname, '../../pages/api');
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function discoverRoutes(dir = API_DIR, prefix = '/api'): TRoute[] {
  const routes: TRoute[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      routes.push(...discoverRoutes(full, `${prefix}/${entry.name}`));
      continue;
    }
    if (!/\.tsx?$/.test(entry.name)) continue;
    const name = entry.name.replace(/\.tsx?$/, '');
    const routePath = name === 'index' ? prefix : `${prefix}/${name}`;
    const params: string[] = [];
    let catchAll: string | undefined;
    let isOptional = false;
    const rank: number[] = [];
    const segments = routePath.split('/').map((segment) => {
      const match = /^\[(\w+)\]$/.exec(segment);
      if (match) {
        params.push(match[1] as string);
        rank.push(1);
        return '/([^/]+)';
      }
      // [...name] and [[...name]]: the rest of the path, as an array of segments (optional for [[...]]).
      const rest = /^(\[)?\[\.\.\.(\w+)\]\]?$/.exec(segment);
      if (rest) {
        catchAll = rest[2] as string;
        isOptional = rest[1] !== undefined;
        rank.push(isOptional ? 3 : 2);
        return isOptional ? '(?:/(.+))?' : '/(.+)';
      }
      if (segment !== '') rank.push(0);
      return segment === '' ? '' : `/${escapeRegExp(segment)}`;
    });
    routes.push({ pattern: new RegExp(`^${segments.join('')}$`), params, catchAll, file: full, rank });
  }
  // Next's order, segment by segment: a static segment before a dynamic one, then catch-alls (optional last), so
  // /api/docs-markdown/[[...path]] comes before /api/[...path] (a whole-rank sum put the root catch-all first), and
  // an exact static route before an optional catch-all that would match it too.
  return routes.sort((a, b) => {
    for (let at = 0; at < Math.min(a.rank.length, b.rank.length); at += 1) if (a.rank[at] !== b.rank[at]) return a.rank[at]! - b.rank[at]!;
    return a.rank.length - b.rank.length;
  });
}

export type TTestServer = { url: string; close(): Promise<void> };

/** How long the test servers keep an idle connection open (startTestServer says why). */
export const KEEP_ALIVE_MS = 65_000;

export async function startTestServer(app: TApp): Promise<TTestServer> {
  setApp(app);
  const routes = discoverRoutes();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // /v1 is served by /api/v1, as next.config.mjs rewrites it.
    const pathname = /^\/v1(\/|$)/.test(url.pathname) ? `/api${url.pathname}` : url.pathname;
    for (const route of routes) {
      const match = route.pattern.exec(pathname);
      if (!match) continue;
      // Next's own parser, quirks included (`?constructor=1` arrives as `[Object, '1']`), with route params over it.
      const query: Record<string, string | string[] | undefined> = { ...searchParamsToUrlQuery(url.searchParams) };
      try {
        route.params.forEach((name, index) => {
          query[name] = decodeURIComponent(match[index + 1] as string);
        });
        const rest = match[route.params.length + 1];
        if (route.catchAll && rest !== undefined) query[route.catchAll] = rest.split('/').map((part) => decodeURIComponent(part));
      } catch {
        // Next answers a malformed percent-encoding in a route segment with 400 before any route runs.
        res.statusCode = 400;
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ error: { code: 'bad_request', message: 'Malformed URL' } }));
        return;
      }
      const handler = ((await import(route.file)) as { default: THandler }).default;
      // Several servers in one process act as several instances (sharing one database): each request sees
      // its own server's app. The wrapper reads it synchronously, before its first await.
      setApp(app);
      await handler(Object.assign(req, { query }), res);
      return;
    }
    res.statusCode = 404;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ error: { code: 'not_found', message: 'No such route' } }));
  });
  // Idle kept-alive connections stay open 65 s, not Node's 5 s: fetch (undici) keeps each connection for the next
  // request, and on a loaded machine a pause of five seconds between two requests of a test happens (a busy
  // worker, a long garbage collection); the server then closed the connection just as the client reused it, and
  // the request failed with ECONNRESET (ci11, hygiene.test.ts, at load 19). scripts/lib/next-server.ts does the
  // same for `next start`; fetch takes the server's `Keep-Alive: timeout=65` and drops the connection first.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type TResponse<T = any> = { status: number; headers: Headers; body: T };

/** A client that keeps its session cookie, like a browser or `curl -c/-b`. */
export function createClient(baseUrl: string) {
  let cookie: string | undefined;
  const request = async <T = any>(
    method: string,
    route: string,
    options: { json?: unknown; body?: string; headers?: Record<string, string> } = {},
  ): Promise<TResponse<T>> => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (cookie) headers.cookie = cookie;
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${route}`, { method, headers, body });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0];
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: kept as text so a test can say what came back.
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  };
  return {
    request,
    get: <T = any>(route: string, headers?: Record<string, string>) => request<T>('GET', route, { headers }),
    post: <T = any>(route: string, json?: unknown) => request<T>('POST', route, json === undefined ? {} : { json }),
    put: <T = any>(route: string, json: unknown) => request<T>('PUT', route, { json }),
    delete: <T = any>(route: string) => request<T>('DELETE', route),
    get cookie() {
      return cookie;
    },
  };
}
