import { errorBody } from '../errors';
import { toOpenAiError } from './openai-errors';

// The API answers JSON, whatever is wrong with a request, even a path Next cannot read. Next percent-decodes a
// route's params before any route runs, and a path that is not percent-encoded UTF-8 (`/api/…/%ff`) makes it answer
// its own HTML 400 page. proxy.ts runs first on the API's paths that carry a `%` (its matcher: no other request pays
// for the proxy) and answers those with the error body here; /v1 in OpenAI's shape, as lib/v1/http.ts answers.

/** Where the API is: its routes under /api, and /v1 (rewritten to /api/v1 by next.config.mjs). */
export const API_PATH = /^\/(?:api|v1)(?:\/|$)/;
const OPENAI_PATH = /^\/(?:api\/)?v1(?:\/|$)/;

/** True when the path's percent-escapes do not decode (an escape of a byte that is no UTF-8, or a stray `%`). */
export function isUndecodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

/** The 400 for an API path that does not decode: status, headers and body. */
export function undecodablePathRefusal(pathname: string) {
  const message = 'The request path is not valid: a percent-escape in it is not UTF-8.';
  const body = OPENAI_PATH.test(pathname) ? toOpenAiError({ code: 'bad_request', message, param: undefined }) : errorBody('bad_request', message);
  return {
    status: 400,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
    body: JSON.stringify(body),
  };
}
