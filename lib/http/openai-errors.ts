import { ERROR_STATUS, type AppError, type TErrorCode } from '../errors';

// The error body of /v1, as OpenAI's API shaped it: {error: {message, type, param, code}}. The status is the
// one mapping every route uses (ERROR_STATUS in lib/errors.ts); only the body differs from the site's.

export type TOpenAiError = { error: { message: string; type: string; param: string | null; code: string | null } };

const OPENAI_CODES: Partial<Record<TErrorCode, string>> = {
  unauthorized: 'invalid_api_key',
  rate_limited: 'rate_limit_exceeded',
  not_found: 'not_found',
  method_not_allowed: 'method_not_allowed',
  payload_too_large: 'payload_too_large',
  unsupported_media_type: 'unsupported_media_type',
};

/** OpenAI's error types: invalid_request_error for the caller's mistakes, requests for rate limits, server_error for ours. */
export function openAiErrorType(code: TErrorCode): string {
  const status = ERROR_STATUS[code];
  if (status === 429) return 'requests';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

export function toOpenAiError(error: Pick<AppError, 'code' | 'message' | 'param'>): TOpenAiError {
  return {
    error: {
      message: error.message,
      type: openAiErrorType(error.code),
      param: error.param ?? null,
      code: OPENAI_CODES[error.code] ?? null,
    },
  };
}

/** The data of an `error` event of a /v1 stream (the SDK reads `error` from it). */
export function openAiStreamError(code: string, message: string): TOpenAiError {
  const known = Object.hasOwn(ERROR_STATUS, code) ? (code as TErrorCode) : 'internal';
  return toOpenAiError({ code: known, message, param: undefined });
}
