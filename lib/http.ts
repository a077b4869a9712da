import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { getApp, type TApp } from './app';
import { AppError, errorBody, isAppError } from './errors';
import { resolveSession } from './session';

// One wrapper for every API route. It is written against Node's own request/response (which Next's API
// routes extend), so routes run unchanged under `next start` and under the tests' plain http.Server.

export type TMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type TRouteContext = {
  app: TApp;
  req: IncomingMessage;
  /** The session id of the caller: owner of the threads it creates. */
  owner: string;
  /** Route params and query string, merged (Next's req.query). */
  query: Record<string, string | string[] | undefined>;
  requestId: string;
  /** Parses the JSON body with a zod schema; 400/413/415 on failure. */
  body<T extends z.ZodType>(schema: T): Promise<z.infer<T>>;
};

export type TRouteResult = { status?: number; body: unknown; headers?: Record<string, string> };
export type TRouteHandler = (ctx: TRouteContext) => Promise<TRouteResult>;

type TRequestWithQuery = IncomingMessage & { query?: Record<string, string | string[] | undefined> };

export function defineRoute(handlers: Partial<Record<TMethod, TRouteHandler>>) {
  const allow = Object.keys(handlers).join(', ');

  return async function route(req: TRequestWithQuery, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    res.setHeader('X-Request-Id', requestId);
    let app: TApp | undefined;
    try {
      const handler = handlers[req.method as TMethod];
      if (!handler) {
        res.setHeader('Allow', allow);
        throw new AppError('method_not_allowed', `Method ${req.method ?? ''} is not allowed here. Allowed: ${allow}.`);
      }
      app = await getApp();
      const owner = resolveSession({ req, res, secret: app.sessionSecret, isSecure: app.config.siteUrl.startsWith('https:') });
      const query = req.query ?? Object.fromEntries(new URL(req.url ?? '/', 'http://local').searchParams);
      const limit = app.config.limits.maxBodyBytes;
      const result = await handler({
        app,
        req,
        owner,
        query,
        requestId,
        body: (schema) => readJsonBody(req, limit).then((raw) => parseWith(schema, raw)),
      });
      sendJson(res, result.status ?? 200, result.body, result.headers);
    } catch (error) {
      sendError(res, error, { requestId, app, method: req.method, url: req.url });
    }
  };
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new AppError('bad_request', `${where}${issue?.message ?? 'Invalid input'}`, { detail: parsed.error.issues });
  }
  return parsed.data;
}

async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError('unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).');
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new AppError('bad_request', 'The request body is empty; send a JSON object.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('bad_request', 'The request body is not valid JSON.');
  }
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
  res.end(JSON.stringify(body));
}

function sendError(
  res: ServerResponse,
  error: unknown,
  context: { requestId: string; app?: TApp; method?: string; url?: string },
) {
  const appError = isAppError(error) ? error : new AppError('internal', 'Something went wrong on our side. Please try again.', { cause: error });
  const log = context.app?.log;
  const fields = { requestId: context.requestId, method: context.method, path: context.url?.split('?')[0], code: appError.code };
  if (appError.status >= 500) {
    // Without an app there is no logger yet (start-up failed); stderr keeps the reason visible to operators.
    if (log) log.error({ ...fields, err: appError.cause ?? appError.detail ?? appError }, 'request failed');
    else console.error('request failed', fields, appError.cause ?? appError);
  } else {
    log?.info({ ...fields, status: appError.status }, 'request refused');
  }
  sendJson(res, appError.status, errorBody(appError.code, appError.message), appError.headers);
}
