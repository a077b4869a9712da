import { AppError } from '../errors';

// SQLSTATEs raised by our functions (see the header of supabase/schemas/10_threads.sql) and what they mean over HTTP.
const SQLSTATE_TO_CODE = {
  PA400: 'bad_request',
  PA401: 'unauthorized',
  PA404: 'not_found',
  PA409: 'conflict',
  PA429: 'rate_limited',
} as const;

/**
 * Postgres refusing a value it cannot store: a NUL in `text` (22021) or `\u0000` in `jsonb` (22P05). Every way in
 * cleans or refuses such text before (lib/http/input.ts for requests, lib/shared/text.ts for signed deliveries and
 * model output, lib/audiences/session.ts for identities); one that slipped past is still the input's fault, a 400.
 */
const UNSTORABLE_TEXT_STATES = new Set(['22021', '22P05']);

export function mapDbError(error: { code?: string; message?: string }, fn: string): AppError {
  const code = error.code && error.code in SQLSTATE_TO_CODE ? SQLSTATE_TO_CODE[error.code as keyof typeof SQLSTATE_TO_CODE] : undefined;
  if (code) return new AppError(code, error.message ?? code, { detail: { fn } });
  if (error.code && UNSTORABLE_TEXT_STATES.has(error.code)) {
    return new AppError('bad_request', 'The request holds a character that cannot be stored (a NUL character).', { detail: { fn, code: error.code, message: error.message } });
  }
  return new AppError('internal', 'The database could not complete the request. Please try again.', {
    detail: { fn, code: error.code, message: error.message },
    cause: error,
  });
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new AppError('internal', 'Invalid database call.', { detail: { name } });
  return name;
}
