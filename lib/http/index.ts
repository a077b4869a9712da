import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { getApp, type TApp } from '../app';
import { AppError, errorBody, isAppError } from '../errors';
import { enforceRequestLimits, resolveClientIp, type TClient } from '../limits';
import type { TLogger } from '../log';
import type { TReaderAccess } from '../audiences';
import { readerAccessOf } from '../audiences/access';
import { EMBED_TOKEN_HEADER, encodeEmbedToken, newReaderId } from '../embed/token';
import { identifyEmbedReader } from '../embed/identity';
import { newSessionId, readSessionId, resolveSession, sessionCookie, type TRenewSession } from '../session';
import { findUnstorableParam, locateUnstorable, toOwnQuery, type TQuery } from './input';
import { toStorableText } from '../shared/text';
import { appForRequest } from './site-url';
import { strictTransportSecurity } from './transport-security';
import { cancelEventStream, isEventStreamResult, serveEventStream, type TEventStreamResult } from './sse';
import { markFailed, withSpan } from '../telemetry';

// One wrapper for every API route. It is written against Node's own request/response (which Next's API
// routes extend), so routes run unchanged under `next start` and under the tests' plain http.Server.
//
// In order, before a handler runs: 405 (method), 403 origin_not_allowed (a request from a foreign Origin: any
// write, and any read of a reader's data), 415 (a write whose body is not JSON), 413 (a declared body over the
// limit), the caller — the session cookie for the site's routes, or the embed token of the /embed frame
// (lib/embed/identity.ts: 401 when forged, 403 from the wrong origin); an API key for /v1's (401 without one;
// see TRouteDoor) — and 429 (the caller's request limits, unless the route takes them itself:
// isRateLimitedByHandler, the message route after reading its body, a run's event stream once the caller has a
// stream slot). The body itself is read by the handler (`ctx.body(schema)`): 413 while streaming, 400 for bad
// JSON or a NUL/lone surrogate (Postgres cannot store either), 400 with the first zod issue. A query parameter or
// route param with a NUL or a lone surrogate is a 400 naming it before the handler runs (lib/http/input.ts).

export type TMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type TRouteContext = {
  app: TApp;
  req: IncomingMessage;
  /** The session id of the caller: owner of the threads it creates. */
  owner: string;
  /** The caller as the rate limits see it: its session and its address. */
  client: TClient;
  /**
   * What the door's credentials grant, where the door reads them itself (a /v1 key's audiences, read as the key is
   * checked); absent on the site's door, whose routes ask `readerAccess` (sessions, tokens).
   */
  access?: TReaderAccess;
  /**
   * What the caller may read, for a route that filters by it: `access` where the door read the credentials itself,
   * else lib/audiences/access.ts readerAccessOf the request's maintainer credentials (header or query), API key and
   * the reader of its session (the cookie's, made or not, or an embed token's reader). Read when asked, once.
   */
  readerAccess(): Promise<TReaderAccess>;
  /** Route params and query string, merged (Next's req.query), own names only and no prototype (toOwnQuery). */
  query: TQuery;
  requestId: string;
  /** The app's logger bound to this request's id. */
  log: TLogger;
  /** Parses the JSON body with a zod schema; 400/413/415 on failure. */
  body<T extends z.ZodType>(schema: T): Promise<z.infer<T>>;
  /** The body exactly as sent (a signature covers these bytes), within the body limit (413). Read once. */
  rawBody(): Promise<Buffer>;
  /**
   * Moves the caller to a new session id (signing in or out, lib/audiences/session.ts): `move` moves what `owner` holds
   * to the new id; once it succeeds the response gives the caller the new id (the site's door: a new session cookie;
   * the embed's: a new token in the X-Embed-Token response header, which the frame keeps). A door without sessions
   * (/v1, a sessionless route) refuses it.
   */
  renewSession: TRenewSession;
};

/** A JSON response, a text response (`textResult`: markdown, llms.txt), or (lib/http/sse.ts#eventStream) a stream of server-sent events. */
export type TRouteResult = { status?: number; body: unknown; headers?: Record<string, string> } | TTextResult | TEventStreamResult;
export type TTextResult = { text: string; contentType: string; status?: number; headers?: Record<string, string> };
export type TRouteHandler = (ctx: TRouteContext) => Promise<TRouteResult>;
/**
 * Who a route serves, and how it says what went wrong: the site's door (a session cookie, the site's error body)
 * is defineRoute's; the /v1 API's (a bearer key, OpenAI's error body) is lib/v1/http.ts's. Both share the rest
 * of the wrapper: method check, body limits and parsing, the one mapping of error codes to statuses, logging.
 */
export type TRouteDoor = {
  /**
   * Which requests must come from this site (cookies ride along on cross-site requests; bearer keys do not):
   * `writes`, `all` (reads too, when the browser says where they come from), or `none`.
   */
  originCheck: 'none' | 'writes' | 'all';
  /** The caller, as owner of what it creates and as the rate limits see it; applies the caller's request limits. */
  /**
   * `readerSessionId`: the session whose reader's identity says what the caller may read (readerAccess), where it is
   * not `owner` or there is one without a made session; absent: none.
   */
  identify(args: { req: IncomingMessage; res: ServerResponse; app: TApp; requestId: string }): Promise<{ owner: string; client: TClient; access?: TReaderAccess; readerSessionId?: string; renewSession?: TRenewSession }>;
  /** The JSON body of an error response. */
  errorBody(error: AppError): unknown;
  /** The data of the `error` event that ends an event stream that failed after it started. */
  streamErrorBody(code: string, message: string): unknown;
};

export type TRouteOptions = {
  /** Health checks come from load balancers, often from one address; they skip the burst limits. */
  isRateLimited?: boolean;
  /**
   * The handler takes the caller's burst limits itself (lib/assistant/service.ts, `isRequestLimited`), instead of
   * this wrapper before it: POST …-message in the round trip of its own first write (one database round trip fewer
   * before the model is asked), the run's event stream once the caller has a stream slot (a stream refused for too
   * many open costs no database write). A handler that sets it must take them on every path.
   */
  isRateLimitedByHandler?: boolean;
  /**
   * Public documents (the docs as markdown, MCP discovery) set no session cookie, so that shared caches may
   * keep them; the caller counts as a new session, as a client without cookies does.
   */
  isSessionless?: boolean;
  /**
   * A write may also carry `application/x-www-form-urlencoded` (Slack's interactivity sends its payload so), read by
   * the handler from `rawBody()` after its signature check and validated there with zod. Off for every other route:
   * a form post is the classic cross-site request.
   */
  isFormAccepted?: boolean;
  /** This route's body limit, above MAX_BODY_BYTES (the message route, whose body may carry screenshots). */
  maxBodyBytes?: number;
};

type TRequestWithQuery = IncomingMessage & { query?: TQuery };

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = /^application\/json\s*(;|$)/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

export function defineRoute(handlers: Partial<Record<TMethod, TRouteHandler>>, options: TRouteOptions = {}) {
  const isRateLimited = (options.isRateLimited ?? true) && !options.isRateLimitedByHandler;
  const isSessionless = options.isSessionless ?? false;
  return defineRouteWithDoor(handlers, {
    // Public documents may be read from anywhere; a reader's data only by this site's pages (and the embed frame).
    originCheck: isSessionless ? 'writes' : 'all',
    async identify({ req, res, app, requestId }) {
      const embedded = identifyEmbedReader({
        token: req.headers[EMBED_TOKEN_HEADER],
        origin: req.headers.origin,
        secret: app.sessionSecret,
        origins: app.config.embed.origins,
        isOwnOrigin: (origin) => isSameOrigin(origin, req.headers.host, app.config.siteUrl),
        nowSeconds: Math.floor(Date.now() / 1000),
      });
      // The embedded reader is the token's: no cookie is read or set (in a frame, the browser would drop it).
      const owner = embedded
        ? embedded.readerId
        : isSessionless
          ? `anonymous_${requestId}`
          : resolveSession({ req, res, secret: app.sessionSecret, isSecure: app.config.siteUrl.startsWith('https:') });
      const client: TClient = { sessionId: owner, ip: resolveClientIp(req, app.config.rateLimits) };
      if (isRateLimited) await enforceRequestLimits({ deps: { db: app.db, rateLimits: app.config.rateLimits }, client });
      // A route that makes no session (a .md twin a shared cache may keep) still reads the reader's own cookie.
      const readerSessionId = isSessionless && !embedded ? readSessionId({ req, secret: app.sessionSecret }) : owner;
      const secret = app.sessionSecret;
      // The new id reaches the caller only once `move` has moved the session to it: a refused sign-in changes nothing.
      const renewSession: TRenewSession | undefined = embedded
        ? async (move) => {
            const readerId = newReaderId();
            const value = await move(readerId);
            const expiresAt = Math.floor(Date.now() / 1000) + app.config.embed.sessionSeconds;
            res.setHeader(EMBED_TOKEN_HEADER, encodeEmbedToken(secret, { readerId, origin: embedded.origin, expiresAt }));
            return value;
          }
        : isSessionless
          ? undefined
          : async (move) => {
              const sessionId = newSessionId();
              const value = await move(sessionId);
              res.setHeader('Set-Cookie', sessionCookie({ secret, sessionId, isSecure: app.config.siteUrl.startsWith('https:') }));
              return value;
            };
      return { owner, client, ...(readerSessionId ? { readerSessionId } : {}), ...(renewSession ? { renewSession } : {}) };
    },
    errorBody: (error) => errorBody(error.code, error.message, error.extra),
    streamErrorBody: errorBody,
  }, { isFormAccepted: options.isFormAccepted ?? false, maxBodyBytes: options.maxBodyBytes });
}

export function defineRouteWithDoor(
  handlers: Partial<Record<TMethod, TRouteHandler>>,
  door: TRouteDoor,
  { isFormAccepted = false, maxBodyBytes = 0 }: Pick<TRouteOptions, 'isFormAccepted' | 'maxBodyBytes'> = {},
) {
  // HEAD works wherever GET does (load balancers probe with it): the GET handler runs, the body is not sent.
  const allow = Object.keys(handlers)
    .flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method]))
    .join(', ');

  // Every request is a span (beneath Next's own for the request, when tracing is on): the route's template, the
  // door it came in by, its status. What the handler does joins it: the run, its searches and model calls.
  return async function route(req: TRequestWithQuery, res: ServerResponse): Promise<void> {
    const template = routeTemplate(pathOf(req));
    return withSpan(
      `route ${req.method ?? ''} ${template}`,
      { 'http.request.method': req.method, 'http.route': template, 'pa.door': doorOf(template, req) },
      async (span) => {
        await serve(req, res);
        span.setAttribute('http.response.status_code', res.statusCode);
        if (res.statusCode >= 500) markFailed(span, { code: String(res.statusCode) });
      },
      { kind: 'server' },
    );
  };

  async function serve(req: TRequestWithQuery, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const startedAt = performance.now();
    res.setHeader('X-Request-Id', requestId);
    let app: TApp | undefined;
    let log: TLogger | undefined;
    try {
      const isHead = req.method === 'HEAD';
      // Own members only: a method named like an Object member ('constructor') is no handler.
      const method = isHead ? 'GET' : (req.method ?? '');
      const handler = Object.hasOwn(handlers, method) ? handlers[method as TMethod] : undefined;
      if (!handler) {
        res.setHeader('Allow', allow);
        throw new AppError('method_not_allowed', `Method ${req.method ?? ''} is not allowed here. Allowed: ${allow}.`);
      }
      // Links built for this request point where it was sent (SITE_URL when set): lib/http/site-url.ts.
      app = appForRequest({ req, app: await getApp() });
      log = app.log.child({ requestId });
      const transportSecurity = strictTransportSecurity(app.config.siteUrl);
      if (transportSecurity) res.setHeader('Strict-Transport-Security', transportSecurity);
      const limit = Math.max(app.config.limits.maxBodyBytes, maxBodyBytes);
      const isWrite = WRITE_METHODS.has(req.method ?? '');
      // A request with an embed token has its origin checked against the token's (the door's identify).
      const hasEmbedToken = req.headers[EMBED_TOKEN_HEADER] !== undefined;
      if (!hasEmbedToken && (door.originCheck === 'all' || (door.originCheck === 'writes' && isWrite))) {
        assertSameOrigin(req, app.config.siteUrl, { isWrite });
      }
      if (isWrite) assertJsonWrite(req, { isFormAccepted });
      if (declaredLength(req) > limit) throw tooLarge(limit);

      const { owner, client, access, readerSessionId, renewSession } = await door.identify({ req, res, app, requestId });

      const query = toOwnQuery(req.query ?? Object.fromEntries(new URL(req.url ?? '/', 'http://local').searchParams));
      const unstorableParam = findUnstorableParam(query);
      if (unstorableParam !== undefined) {
        const param = toStorableText(unstorableParam);
        throw new AppError('bad_request', `${param}: must not contain a NUL character or an unpaired surrogate.`, { param });
      }
      const deps = app; // `app` narrowed, for the closure below
      let readerAccess: Promise<TReaderAccess> | undefined;
      const result = await handler({
        app,
        req,
        owner,
        client,
        ...(access ? { access } : {}),
        readerAccess: () => (readerAccess ??= access ? Promise.resolve(access) : readerAccessOf({ deps, headers: req.headers, query, sessionId: readerSessionId })),
        query,
        requestId,
        log,
        body: (schema) => readJsonBody(req, limit).then((raw) => parseWith(schema, raw)),
        rawBody: () => readBody(req, limit),
        renewSession: renewSession ?? noSessionToRenew,
      });
      if (isEventStreamResult(result)) {
        if (isHead) {
          sendHead(res, 200, { 'Content-Type': 'text/event-stream; charset=utf-8' });
          await cancelEventStream(result.eventStream);
        } else {
          // Its span, "stream to reader", is the run stream's (lib/assistant/streaming/run-stream.ts): in the question's trace.
          await serveEventStream({ req, res, produce: result.eventStream, log, errorBody: door.streamErrorBody });
        }
      } else if (isTextResult(result)) sendText(res, result);
      else sendJson(res, result.status ?? 200, result.body, result.headers);
      log.info({ method: req.method, path: pathOf(req), status: res.statusCode, ms: elapsed(startedAt) }, 'request');
    } catch (error) {
      sendError(res, error, { requestId, app, log, method: req.method, url: req.url, startedAt, door });
    }
  }
}

const noSessionToRenew: TRenewSession = () => Promise.reject(new AppError('internal', 'This route has no session to renew.'));

/** A route's path with its ids as `{id}` (thread_…, run_…, numbers, hashes): a span's name, the same for every thread. */
export function routeTemplate(path: string): string {
  return path
    .split('/')
    .map((segment) => (/^[a-z]+_[A-Za-z0-9-]{6,}$|^\d+$|^[A-Fa-f0-9-]{16,}$/.test(segment) ? '{id}' : segment))
    .join('/');
}

/** Which door a request came in by, for its span: the site's, the embed's, /v1, MCP, Slack's or Discord's endpoint. */
function doorOf(template: string, req: IncomingMessage): string {
  if (req.headers[EMBED_TOKEN_HEADER] !== undefined) return 'embed';
  const door = /^\/(?:api\/)?(v1|mcp|slack|discord|embed)(?:\/|-|$)/.exec(template)?.[1];
  return door ?? 'site';
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new AppError('bad_request', `${where}${issue?.message ?? 'Invalid input'}`, {
      detail: parsed.error.issues,
      param: issue && issue.path.length > 0 ? issue.path.join('.') : undefined,
    });
  }
  return parsed.data;
}

/**
 * A request from another site's page is refused. Browsers send Origin on every cross-origin write and on every
 * cross-origin fetch; it must be this site (SITE_URL) or the host the request was sent to. No Origin is curl,
 * a server, a same-origin read, or another site's no-cors request (told by Sec-Fetch-Site).
 */
export function assertSameOrigin(req: IncomingMessage, siteUrl: string, { isWrite = true }: { isWrite?: boolean } = {}): void {
  const origin = req.headers.origin;
  if (origin === undefined) {
    // Fetch metadata: a cross-site request without Origin is a no-cors fetch, an <img> or a <script> of another
    // site's page, refused; or a link followed from elsewhere (a navigation), allowed for reads.
    if (req.headers['sec-fetch-site'] === 'cross-site' && (isWrite || req.headers['sec-fetch-mode'] !== 'navigate')) throw foreignOrigin();
    return;
  }
  if (!isSameOrigin(origin, req.headers.host, siteUrl)) throw foreignOrigin();
}

export function isSameOrigin(origin: string, host: string | undefined, siteUrl: string): boolean {
  let url: URL;
  try {
    // "null" (sandboxed frames, file: pages) is not a URL and so never the same origin.
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.origin === new URL(siteUrl).origin) return true;
  return host !== undefined && url.host === host.toLowerCase();
}

function foreignOrigin(): AppError {
  return new AppError('origin_not_allowed', 'Requests from another site’s pages are not allowed here.');
}

/**
 * Writes carry JSON or nothing. A form post (the classic cross-site request) never reaches a handler, but on a route
 * that opts in (isFormAccepted: a signed callback such as Slack's interactivity).
 */
function assertJsonWrite(req: IncomingMessage, { isFormAccepted }: { isFormAccepted: boolean }): void {
  const type = req.headers['content-type'];
  const hasType = type !== undefined && type.trim() !== '';
  const hasBody = declaredLength(req) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (isFormAccepted && FORM_TYPE.test(type ?? '')) return;
  if ((hasType || hasBody) && !JSON_TYPE.test(type ?? '')) throw notJson();
}

function declaredLength(req: IncomingMessage): number {
  const declared = Number(req.headers['content-length'] ?? 0);
  return Number.isFinite(declared) ? declared : 0;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (declaredLength(req) > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) throw notJson();
  const text = (await readBody(req, limit)).toString('utf8');
  if (text.trim() === '') throw new AppError('bad_request', 'The request body is empty; send a JSON object.');
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new AppError('bad_request', 'The request body is not valid JSON.');
  }
  const found = locateUnstorable(value);
  if (found) {
    const param = found.path.length > 0 ? found.path.join('.') : undefined;
    throw new AppError('bad_request', `The request body ${found.problem}${param ? ` at ${param}` : ''}.`, { param });
  }
  return value;
}

function notJson(): AppError {
  return new AppError('unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).');
}

function tooLarge(limit: number): AppError {
  return new AppError('payload_too_large', `The request body is larger than ${Math.round(limit / 1024)} KB.`);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  const text = JSON.stringify(body);
  // A HEAD response carries the headers GET would (Content-Length included) and no body.
  if (res.req?.method === 'HEAD') {
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.end();
  } else res.end(text);
}

/** A response that is not JSON. Cache-Control is the route's to set (default no-store); HEAD gets the headers only. */
export function textResult(result: TTextResult): TTextResult {
  return result;
}

/** Sends the browser on to `location` (303: a GET there, whatever the request's method). Never cached. */
export function redirectResult(location: string): TTextResult {
  return { status: 303, text: '', contentType: 'text/plain; charset=utf-8', headers: { Location: location } };
}

function isTextResult(value: TRouteResult): value is TTextResult {
  return typeof (value as TTextResult).text === 'string' && typeof (value as TTextResult).contentType === 'string';
}

function sendText(res: ServerResponse, { text, contentType, status = 200, headers = {} }: TTextResult) {
  if (res.headersSent) return;
  res.setHeader('Cache-Control', 'no-store');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  // 204 and 304 carry no body (nor its type).
  if (status === 204 || status === 304) {
    res.removeHeader('Content-Type');
    res.end();
  } else if (res.req?.method === 'HEAD') {
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.end();
  } else res.end(text);
}

function sendHead(res: ServerResponse, status: number, headers: Record<string, string>) {
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  res.end();
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '').split('?')[0] ?? '';
}

function elapsed(startedAt: number): number {
  return Math.round(performance.now() - startedAt);
}

function sendError(
  res: ServerResponse,
  error: unknown,
  context: { requestId: string; app?: TApp; log?: TLogger; method?: string; url?: string; startedAt: number; door: TRouteDoor },
) {
  const appError = isAppError(error) ? error : new AppError('internal', 'Something went wrong on our side. Please try again.', { cause: error });
  const log = context.log ?? context.app?.log.child({ requestId: context.requestId });
  const fields = {
    method: context.method,
    path: context.url?.split('?')[0],
    status: appError.status,
    code: appError.code,
    ms: elapsed(context.startedAt),
  };
  if (appError.status >= 500) {
    // Without an app there is no logger yet (start-up failed); stderr keeps the reason visible to operators.
    if (log) log.error({ ...fields, err: appError.cause ?? appError.detail ?? appError }, 'request failed');
    else console.error('request failed', { requestId: context.requestId, ...fields }, appError.cause ?? appError);
  } else {
    const limit = appError.code === 'rate_limited' ? (appError.detail as { limit?: string } | undefined)?.limit : undefined;
    log?.info({ ...fields, ...(limit ? { limit } : {}) }, 'request refused');
  }
  sendJson(res, appError.status, context.door.errorBody(appError), appError.headers);
}
