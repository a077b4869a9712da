import { z } from 'zod';
import { ConfigError, optionalString, optionalUrl, requirePartner } from '../settings';

// What a door's settings.ts builds its environment's schema and its settings from: the settings modules' own
// helpers (lib/settings.ts), under the names the doors use. Its variables join lib/config.ts's schema (ZEnv), which
// parses the environment once and stops at the first bad value with one line naming the variable; what a door
// checks across variables (a key without its partner) it throws as settingsError.

/** An optional variable: trimmed, '' read as unset. */
export const optionalEnvString = optionalString;

/** An optional http(s) URL. */
export const optionalEnvUrl = optionalUrl;

/** One of `values`, `fallback` when unset or ''. */
export const envChoice = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z.enum(values).default(fallback as never).or(z.literal('').transform(() => fallback));

/** A door's settings that cannot be used, as lib/config.ts reports it: one line, naming the variable. */
export function settingsError(message: string): Error {
  return new ConfigError(message);
}

/** Throws a ConfigError when `present` is set without `partner`. */
export function requireEnvPartner(env: Record<string, unknown>, present: string, partner: string): void {
  requirePartner(env, present, partner);
}
