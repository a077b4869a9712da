// The one error type that crosses from lib/ to the HTTP edge. `message` is shown to the user;
// `detail` is for logs only and never leaves the server. ERROR_STATUS is the one mapping of codes to HTTP
// statuses, for the site's error body ({error: {code, message}}) and /v1's (OpenAI's, lib/v1/http.ts) alike.

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  // A page on a site that may not use the assistant (EMBED_ALLOWED_ORIGINS, lib/embed), or a foreign page's request.
  origin_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  // A hand-off to the maintainers asked of a site that names nowhere to send it (HANDOFF_TO unset: lib/handoff).
  handoff_not_configured: 409,
  // A hand-off asked of a conversation without a question the assistant answered: nothing to hand over yet (lib/handoff).
  handoff_needs_answer: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  // A browser near its limits: solve the challenge in `error.challenge` and send again (lib/limits/challenge.ts).
  challenge_required: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type TErrorCode = keyof typeof ERROR_STATUS;

import { brandError, hasBrand } from './error-brands';

export class AppError extends Error {
  override name = 'AppError';
  readonly code: TErrorCode;
  readonly detail?: unknown;
  readonly headers?: Record<string, string>;
  /** More fields of the error object the client gets (a challenge to solve); never internals. */
  readonly extra?: Record<string, unknown>;
  /** The request field the error is about (`a.b`), when it is one: OpenAI's error body names it. */
  readonly param?: string;

  constructor(
    code: TErrorCode,
    message: string,
    options: { detail?: unknown; headers?: Record<string, string>; cause?: unknown; extra?: Record<string, unknown>; param?: string } = {},
  ) {
    super(message, { cause: options.cause });
    brandError(this, 'AppError');
    this.code = code;
    this.detail = options.detail;
    this.headers = options.headers;
    this.extra = options.extra;
    this.param = options.param;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return hasBrand(error, 'AppError');
}

export function errorBody(code: string, message: string, extra?: Record<string, unknown>) {
  return { error: { ...extra, code, message } };
}
