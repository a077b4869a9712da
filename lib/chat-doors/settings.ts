import { z } from 'zod';
import { brandError } from '../error-brands';

// What a door's settings.ts builds its environment's schema and its settings from. Its variables join
// lib/config.ts's schema (ZEnv), which parses the environment once and stops at the first bad value with one line
// naming the variable; what a door checks across variables (a key without its partner) it throws as settingsError.

/** An optional variable: trimmed, '' read as unset. */
export const optionalEnvString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** An optional http(s) URL. */
export const optionalEnvUrl = (name: string) =>
  optionalEnvString.refine((value) => value === undefined || isHttpUrl(value), {
    message: `${name} must be an http(s) URL`,
  });

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

/** One of `values`, `fallback` when unset or ''. */
export const envChoice = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z.enum(values).default(fallback as never).or(z.literal('').transform(() => fallback));

/** A door's settings that cannot be used, as lib/config.ts reports it (its ConfigError's brand: one line, naming the variable). */
export function settingsError(message: string): Error {
  const error = new Error(message);
  error.name = 'ConfigError';
  brandError(error, 'ConfigError');
  return error;
}

/** Throws settingsError when `present` is set without `partner`. */
export function requireEnvPartner(env: Record<string, unknown>, present: string, partner: string): void {
  if (env[present] !== undefined && env[partner] === undefined) throw settingsError(`${present} is set but ${partner} is missing`);
}
