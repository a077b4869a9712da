import pino, { type Logger } from 'pino';
import type { TConfig } from './config';

export type TLogger = Logger;

// Message bodies, keys and cookies never reach the logs: callers log ids and counts, and these paths are
// redacted in case an object carrying them is logged by mistake.
const REDACT = [
  'apiKey',
  'serviceRoleKey',
  'token',
  'secret',
  '*.apiKey',
  '*.serviceRoleKey',
  '*.token',
  '*.secret',
  'headers.cookie',
  'headers.authorization',
  '*.headers.cookie',
  '*.headers.authorization',
];

export function createLogger({ level }: { level: TConfig['logLevel'] }): TLogger {
  return pino({ level, base: { app: 'paste-assistant' }, redact: { paths: REDACT, censor: '[redacted]' } });
}
