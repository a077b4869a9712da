import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SITE_PLACEHOLDER_ORIGIN } from './vitepress-site';

// A static web server on 127.0.0.1 for a built site, as a host serves one: ETag and Last-Modified with 304s,
// 404 for what is not there, sitemap.xml pointing at its own address. `override` makes one path misbehave
// (a 500, a slow answer, a redirect…); `transform` changes a file's text as served (an edit to the site).

export type TOverride = (request: IncomingMessage, response: ServerResponse) => void;
export type TStaticSite = {
  origin: string;
  /** Every request: path, status and whether it was conditional. */
  log: { path: string; status: number; isConditional: boolean; userAgent: string }[];
  overrides: Map<string, TOverride>;
  transforms: Map<string, (text: string) => string>;
  close: () => Promise<void>;
};

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.xml': 'application/xml', '.js': 'text/javascript', '.css': 'text/css', '.txt': 'text/plain' };

export async function serveStaticSite(root: string): Promise<TStaticSite> {
  const site: TStaticSite = { origin: '', log: [], overrides: new Map(), transforms: new Map(), close: async () => {} };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const isConditional = request.headers['if-none-match'] !== undefined || request.headers['if-modified-since'] !== undefined;
    response.on('finish', () => site.log.push({ path: url.pathname, status: response.statusCode, isConditional, userAgent: request.headers['user-agent'] ?? '' }));
    const override = site.overrides.get(url.pathname);
    if (override) return override(request, response);
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root)) return response.writeHead(404).end();
    try {
      if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
      let body = readFileSync(file, 'utf8');
      if (url.pathname.endsWith('.xml')) body = body.split(SITE_PLACEHOLDER_ORIGIN).join(site.origin);
      const transform = site.transforms.get(url.pathname);
      if (transform) body = transform(body);
      const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      if (request.headers['if-none-match'] === etag) return response.writeHead(304, { etag }).end();
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', etag });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return site;
}
