import pino, { type DestinationStream, type Logger } from 'pino';
import type { TConfig } from './config';
import { activeTraceIds } from './telemetry';

export type TLogger = Logger;

// Structured JSON lines (pino). The contract: message bodies, keys and cookies never reach the logs. Callers
// log ids, counts and codes (a request line carries its request id); the paths below are censored in case an
// object carrying one of them is logged by mistake.
const SENSITIVE_KEYS = [
  'apiKey',
  'serviceRoleKey',
  'token',
  'secret',
  'sessionSecret',
  'password',
  'authorization',
  'cookie',
  'set-cookie',
  // Message and search text.
  'content',
  'text',
  'prompt',
  'context',
  'input',
  'instructions',
];
const REDACT = [
  ...SENSITIVE_KEYS.map((key) => `["${key}"]`),
  ...SENSITIVE_KEYS.map((key) => `*["${key}"]`),
  'headers.cookie',
  'headers.authorization',
  '*.headers.cookie',
  '*.headers.authorization',
  '*.headers["set-cookie"]',
  'config.apiKey',
  'err.config',
  'err.request',
  'err.response',
];

export function createLogger({ level, destination }: { level: TConfig['logLevel']; destination?: DestinationStream }): TLogger {
  const options = {
    level,
    base: { app: 'paste-assistant' },
    redact: { paths: REDACT, censor: '[redacted]' },
    // Errors keep name, message, code and stack; whatever else an SDK hangs on them (requests, headers) stays out.
    serializers: { err: serializeError },
    // A line written inside a span carries its trace_id and span_id, so that a log line leads to its trace
    // (lib/telemetry); nothing while tracing is off.
    mixin: () => activeTraceIds() ?? {},
  };
  return destination ? pino(options, destination) : pino(options);
}

type TLoggedError = { type: string; message: string; code?: unknown; status?: unknown; stack?: string; cause?: TLoggedError };

export function serializeError(error: unknown, depth = 0): TLoggedError | unknown {
  if (!(error instanceof Error)) return error;
  const { code, status } = error as Error & { code?: unknown; status?: unknown };
  return {
    type: error.name,
    message: error.message,
    ...(code !== undefined ? { code } : {}),
    ...(status !== undefined ? { status } : {}),
    stack: error.stack,
    ...(error.cause !== undefined && depth < 3 ? { cause: serializeError(error.cause, depth + 1) as TLoggedError } : {}),
  };
}
