import pino, { type DestinationStream, type Logger } from 'pino';
import { activeTraceIds } from './telemetry';

export type TLogger = Logger;

/** LOG_LEVEL and LOG_FORMAT's values (lib/config.ts reads them). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type TLogLevel = (typeof LOG_LEVELS)[number];
export type TLogFormat = 'json' | 'text';

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

/**
 * `format`: `json` (default), one JSON object a line for a log pipeline; `text`, the same records as readable lines
 * (`12:00:00.123 INFO request method=POST status=200 trace_id=…`) for a terminal. Both after the redaction below.
 */
export function createLogger({
  level,
  destination,
  format = 'json',
}: {
  level: TLogLevel;
  destination?: DestinationStream;
  format?: TLogFormat;
}): TLogger {
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
  const out = format === 'text' ? textLines(destination ?? process.stdout) : destination;
  return out ? pino(options, out) : pino(options);
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const OMITTED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'app']);

/** A destination that writes each of pino's JSON records as one readable line. */
function textLines(out: { write(text: string): unknown }): DestinationStream {
  return {
    write(line: string) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      const time = typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 23) : '';
      const fields = Object.entries(record)
        .filter(([key]) => !OMITTED.has(key))
        .map(([key, value]) => `${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`);
      out.write(`${[time, LEVELS[record.level as number] ?? String(record.level), String(record.msg ?? ''), ...fields].join(' ')}\n`);
    },
  };
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
