import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { errorBody } from '../errors';

// The site's pages (/, /docs/…, /assistant, /embed, /maintainers, /shared/<id>) answer GET and HEAD. Any other method gets a 405
// with `Allow: GET, HEAD`, as the API routes answer a method they lack (lib/http/index.ts): the error body
// `{error: {code, message}}`, or a short HTML page when the request asks for HTML (a browser's form, say).
//
// Two places apply it, because Next's proxy cannot take every method. proxy.ts refuses what reaches it. TRACE never
// reaches it: Next builds the proxy's request with the platform's Request (undici), which throws on TRACE, and
// answered 500. So `next start` gets a guard on its HTTP server (installPageMethodGuard, from instrumentation.ts)
// that answers TRACE on the proxy's paths before Next sees it. On other paths it goes on as before: an API route
// answers 405 with its own Allow, an unknown path 404. (Undici also refuses CONNECT and TRACK; Node's HTTP server
// never hands a page either: CONNECT is its own event, TRACK a 400 from the parser.)

export const PAGE_ALLOW = 'GET, HEAD';

/** The method the platform's Request refuses to carry that Node's HTTP server hands over as a request. */
const UNCARRIED_METHOD = 'TRACE';

/**
 * The paths proxy.ts runs on (its `config.matcher`, which Next needs written out there): the pages, and the
 * markdown twins under /docs. Keep the two in step; tests/unit/page-methods.test.ts checks them against each other.
 */
export const PAGE_PATH = /^\/(?:$|docs(?:\/.*)?$|assistant$|embed$|maintainers(?:\/.*)?$|shared(?:\/.*)?$)/;

export function isPageMethod(method: string | undefined): boolean {
  return method === 'GET' || method === 'HEAD';
}

/** The 405 for a page: status, headers and body, HTML when the request prefers it, else the error body. */
export function pageMethodNotAllowed({ method, accept }: { method: string; accept: string | null | undefined }) {
  const message = `Method ${method} is not allowed here. Allowed: ${PAGE_ALLOW}.`;
  const isHtml = /\btext\/html\b/i.test(accept ?? '');
  return {
    status: 405,
    headers: { Allow: PAGE_ALLOW, 'Content-Type': isHtml ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
    body: isHtml
      ? `<!doctype html><html lang="en"><meta charset="utf-8"><title>405 Method Not Allowed</title><h1>405 Method Not Allowed</h1><p>${message}</p></html>\n`
      : JSON.stringify(errorBody('method_not_allowed', message)),
  };
}

function pathnameOf(url: string | undefined): string {
  const at = (url ?? '/').search(/[?#]/);
  return at === -1 ? (url ?? '/') : (url ?? '/').slice(0, at);
}

/** Answers a request Next would fail on (see the top of this file); false for every other request. */
export function refuseUncarriedMethod(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== UNCARRIED_METHOD || !PAGE_PATH.test(pathnameOf(req.url))) return false;
  const refusal = pageMethodNotAllowed({ method: req.method ?? '', accept: req.headers.accept });
  res.writeHead(refusal.status, refusal.headers);
  res.end(refusal.body);
  // A TRACE may carry a body (it must not, but the bytes would sit in front of the next request on the connection).
  req.resume();
  return true;
}

const INSTALLED = Symbol.for('paste-assistant.page-method-guard');

/**
 * Puts refuseUncarriedMethod in front of every HTTP server of this process, once. `next start` creates its server
 * before instrumentation runs, so the guard wraps the servers' `emit` ('request' events only) rather than a server.
 */
export function installPageMethodGuard(): void {
  const scope = globalThis as { [INSTALLED]?: boolean };
  if (scope[INSTALLED]) return;
  scope[INSTALLED] = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function guardedEmit(this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request' && refuseUncarriedMethod(args[0] as IncomingMessage, args[1] as ServerResponse)) return true;
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
}
