import { z } from 'zod';
import { isStorableText } from '../shared/text';

// What every route accepts from outside, whatever the field: text that Postgres can store, and dates that
// Postgres and JavaScript both read the same way. A value outside them is the caller's mistake (a 400 that
// names the field), never a database error (a 500) later.

export const UNSTORABLE_MESSAGE = 'must not contain a NUL character or an unpaired surrogate';

/** A string Postgres `text` and `jsonb` accept: no U+0000, no unpaired UTF-16 surrogate. */
export const ZStorableText = z.string().refine(isStorableText, UNSTORABLE_MESSAGE);

/**
 * The dates a request may name: from 1970-01-01 up to (not including) 9999-01-01. Postgres has no year 0
 * (JavaScript writes 1 BC as `0000`) and JavaScript writes years past 9999 as `+010000`, which Postgres does
 * not read; a window widened by a year either way (a report's `days`, a dashboard's whole days) stays within both.
 */
export const INPUT_DATE_MIN_MS = Date.UTC(1970, 0, 1);
export const INPUT_DATE_MAX_MS = Date.UTC(9999, 0, 1);
const DATE_RANGE_MESSAGE = 'must be a date from 1970-01-01 to 9998-12-31';

export function isInputDateInRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= INPUT_DATE_MIN_MS && ms < INPUT_DATE_MAX_MS;
}

/** An ISO 8601 date-time with its offset (`2026-11-01T00:00:00Z`), within the input date range. */
export const ZInputDateTime = z.iso
  .datetime({ offset: true })
  .refine((value) => isInputDateInRange(Date.parse(value)), DATE_RANGE_MESSAGE);

/** A calendar day (`YYYY-MM-DD`, UTC) within the input date range. */
export const ZInputDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
  .refine((value) => isCalendarDay(value), 'not a date')
  .refine((value) => isInputDateInRange(Date.parse(`${value}T00:00:00Z`)), DATE_RANGE_MESSAGE);

/** Date.parse rolls 2026-02-31 over to March; a day that does not exist is not one. */
function isCalendarDay(value: string): boolean {
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/**
 * A whole number as a URL carries it (an id in a path, a `limit`, a number of `days`): decimal digits, without a
 * sign, a leading zero, spaces, a fraction, an exponent or a hex prefix, within the integers a Number holds
 * exactly. Anything else is not read as some other number (`0x10` as 16, `1e3` as 1000, ` 1` as 1): it is null,
 * which a route answers with a 400 (ZDigits) or a 404 (a page's id).
 */
export function digitsOf(value: unknown): number | null {
  return typeof value === 'string' && DIGITS.test(value) ? Number(value) : null;
}

const DIGITS = /^(?:0|[1-9]\d{0,14})$/;

/**
 * digitsOf as a schema: `ZDigits.pipe(z.number().min(1).max(100))` for a bounded one. A whole number given as a
 * number (by code: a script's options, a test) is read as its digits.
 */
export const ZDigits = z
  .preprocess(
    (value) => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value),
    z.string().regex(DIGITS, 'must be a whole number written in digits (no sign, spaces, leading zero, exponent or hex)'),
  )
  .transform(Number);

const MAX_JSON_DEPTH = 32;
const UNSTORABLE_PROBLEM = 'contains a NUL character or an unpaired surrogate';

export type TUnstorable = { problem: string; /** Where, as a path of keys and indexes (`messages.0.content`); empty for the value itself. */ path: string[] };

/**
 * Why a JSON value (a request body, a callback) cannot be stored as it is, and where, or undefined when it can: a
 * string or key with a NUL or an unpaired surrogate, the reserved key `__proto__`, or nesting past 32 levels.
 */
export function locateUnstorable(value: unknown, path: string[] = []): TUnstorable | undefined {
  if (path.length > MAX_JSON_DEPTH) return { problem: `is nested more than ${MAX_JSON_DEPTH} levels deep`, path: [] };
  if (typeof value === 'string') return isStorableText(value) ? undefined : { problem: UNSTORABLE_PROBLEM, path };
  const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : value !== null && typeof value === 'object' ? Object.entries(value) : [];
  for (const [key, item] of entries) {
    // JSON.parse keeps "__proto__" as an own key; copied into a plain object it would set the prototype.
    if (key === '__proto__') return { problem: 'contains the reserved key "__proto__"', path };
    // A key that cannot be stored is named by its parent: naming it would repeat what cannot be shown.
    if (!isStorableText(key)) return { problem: `${UNSTORABLE_PROBLEM} in a key`, path };
    const found = locateUnstorable(item, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/** locateUnstorable as one phrase (`contains a NUL character … at messages.0.content`), or undefined. */
export function findUnstorable(value: unknown): string | undefined {
  const found = locateUnstorable(value);
  if (!found) return undefined;
  return found.path.length > 0 ? `${found.problem} at ${found.path.join('.')}` : found.problem;
}

export type TQuery = Record<string, string | string[] | undefined>;

/**
 * Next's query (route params and query string, merged) as the request wrote it: its own names only, string
 * values only, in an object without a prototype, so that no name reads an Object member. Next's parser
 * (searchParamsToUrlQuery) starts a repeated name from what the object already holds under it: `?constructor=1`
 * arrives as `[Object, '1']`, `?toString=1&toString=2` as `[Object.prototype.toString, '1', '2']`, and
 * `?__proto__=1` replaces the object's prototype (that parameter is lost before it reaches us). A handler
 * asking for `query.valueOf` gets undefined, as for any name the request did not send.
 */
export function toOwnQuery(raw: TQuery): TQuery {
  const query = Object.create(null) as TQuery;
  for (const name of Object.keys(raw)) {
    const value = raw[name];
    if (typeof value === 'string') query[name] = value;
    else if (Array.isArray(value)) {
      const strings = value.filter((item): item is string => typeof item === 'string');
      // What Next put in front of the one value sent goes, and the value reads as sent: one string, not a list.
      // A list of one is kept when Next made it so (a catch-all route param: `/docs/a` is `['a']`).
      query[name] = strings.length === 1 && strings.length < value.length ? strings[0] : strings;
    }
  }
  return query;
}

/** The first query parameter (route params included) whose value Postgres could not store, or undefined. */
export function findUnstorableParam(query: TQuery): string | undefined {
  for (const [name, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
    if (!isStorableText(name) || values.some((item) => !isStorableText(item))) return name;
  }
  return undefined;
}
