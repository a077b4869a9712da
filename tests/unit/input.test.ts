import { describe, expect, it } from 'vitest';
import { searchParamsToUrlQuery } from 'next/dist/shared/lib/router/utils/querystring';
import { digitsOf, findUnstorableParam, locateUnstorable, toOwnQuery, ZDigits, ZInputDateTime, ZInputDay, ZStorableText } from '@/lib/http/input';

// The shapes every route shares (lib/http/input.ts): text Postgres can store, dates Postgres and JavaScript agree on.

describe('ZStorableText', () => {
  it('takes any text but a NUL or an unpaired surrogate', () => {
    for (const text of ['', 'plain', 'emoji 😀', '\uFFFD', 'tab\tnewline\n']) expect(ZStorableText.safeParse(text).success, text).toBe(true);
    for (const text of ['\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\ude00😀']) expect(ZStorableText.safeParse(text).success, JSON.stringify(text)).toBe(false);
  });
});

describe('input dates', () => {
  it('take days and date-times from 1970-01-01 up to 9998-12-31', () => {
    for (const day of ['1970-01-01', '2026-11-23', '2024-02-29', '9998-12-31']) expect(ZInputDay.safeParse(day).success, day).toBe(true);
    for (const day of ['0000-01-01', '1969-12-31', '9999-01-01', '9999-12-31', '2026-02-30', '2026-13-01', '10000-01-01', '+10000-01-01']) {
      expect(ZInputDay.safeParse(day).success, day).toBe(false);
    }
    for (const at of ['1970-01-01T00:00:00Z', '2026-11-23T10:00:00+01:00', '9998-12-31T23:59:59.999Z']) expect(ZInputDateTime.safeParse(at).success, at).toBe(true);
    for (const at of ['0000-01-01T00:00:00Z', '1970-01-01T00:00:00+00:01', '9999-01-01T00:00:00Z', '9998-12-31T23:00:00-01:00', '2026-11-23']) {
      expect(ZInputDateTime.safeParse(at).success, at).toBe(false);
    }
  });
});

describe('locating what cannot be stored', () => {
  it('names the path of a bad string or key, the reserved key, and deep nesting', () => {
    expect(locateUnstorable({ a: [{ b: 'ok' }, { c: 'x\u0000' }] })).toEqual({ problem: expect.stringMatching(/NUL/), path: ['a', '1', 'c'] });
    expect(locateUnstorable({ metadata: { 'k\ud800': 'v' } })).toEqual({ problem: expect.stringMatching(/in a key/), path: ['metadata'] });
    expect(locateUnstorable(JSON.parse('{"a":{"__proto__":{}}}'))).toEqual({ problem: expect.stringMatching(/__proto__/), path: ['a'] });
    expect(locateUnstorable(JSON.parse('['.repeat(40) + ']'.repeat(40)))?.problem).toMatch(/nested/);
    expect(locateUnstorable({ a: ['fine', 1, null, true, { b: 'ok 😀' }] })).toBeUndefined();
  });

  it('finds the first query parameter with a NUL or lone surrogate, arrays included', () => {
    expect(findUnstorableParam({ tid: 'thread_1', after: 'x\u0000' })).toBe('after');
    expect(findUnstorableParam({ path: ['docs', 'a\ud800'] })).toBe('path');
    expect(findUnstorableParam({ tid: 'thread_1', path: ['docs'], none: undefined })).toBeUndefined();
  });
});

describe('the query a route sees', () => {
  it('keeps own names and string values only, whatever Next parsed a member name of Object into', () => {
    const parsed = searchParamsToUrlQuery(new URLSearchParams('constructor=1&toString=a&toString=b&__proto__=x&valueOf=&tid=thread_1&a=1&a=2'));
    // What Next hands a route: inherited members in front of the values sent, and a prototype replaced.
    expect(parsed.constructor).toEqual([Object, '1']);
    const query = toOwnQuery({ ...parsed, path: ['docs'] });
    expect(Object.getPrototypeOf(query)).toBeNull();
    expect({ ...query }).toEqual({ constructor: '1', toString: ['a', 'b'], valueOf: '', tid: 'thread_1', a: ['1', '2'], path: ['docs'] });
    expect(toOwnQuery({}).hasOwnProperty).toBeUndefined();
    expect(findUnstorableParam(toOwnQuery(searchParamsToUrlQuery(new URLSearchParams('isPrototypeOf=x%00'))))).toBe('isPrototypeOf');
  });
});

describe('whole numbers in URLs', () => {
  it('are digits only: never read as another number', () => {
    for (const [text, value] of [['0', 0], ['1', 1], ['16', 16], ['1000', 1000], ['999999999999999', 999_999_999_999_999]] as const) {
      expect(digitsOf(text), text).toBe(value);
      expect(ZDigits.parse(text), text).toBe(value);
    }
    for (const text of ['0x10', '1e3', ' 1', '1 ', '+1', '-1', '01', '1.0', '1.5', '', 'Infinity', 'NaN', '١', '1_000', '0b1', '9999999999999999']) {
      expect(digitsOf(text), JSON.stringify(text)).toBeNull();
      expect(ZDigits.safeParse(text).success, JSON.stringify(text)).toBe(false);
    }
    for (const value of [['1'], { toString: () => '1' }, null, undefined, 1.5, -1, Number.NaN]) expect(ZDigits.safeParse(value).success, String(value)).toBe(false);
    // Code may give a whole number as a number.
    expect(ZDigits.parse(7)).toBe(7);
  });
});
