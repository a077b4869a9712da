import { describe, expect, it } from 'vitest';
import { mapDbError } from '@/lib/db/errors';
import { isStorableText, parseSignedJson } from '@/lib/shared/text';

// Signed input is still input (issue 67): a delivery a service signed (Slack, Discord, GitHub) may hold a NUL or an
// unpaired surrogate, which Postgres refuses in text and jsonb. The one reader of every signed delivery
// (lib/shared/text.ts parseSignedJson) drops them; what slips past every way in is the input's fault at the database
// (lib/db/errors.ts): a 400, never a 500.

const isAllStorable = (value: unknown): boolean =>
  typeof value === 'string'
    ? isStorableText(value)
    : Array.isArray(value)
      ? value.every(isAllStorable)
      : value !== null && typeof value === 'object'
        ? Object.entries(value).every(([key, item]) => isStorableText(key) && isAllStorable(item))
        : true;

describe('parseSignedJson', () => {
  it('drops NULs and replaces unpaired surrogates in every string and key, keeping the rest as sent', () => {
    const sent = JSON.stringify({
      type: 'event_callback',
      event_id: 'Ev0\u0000NUL',
      event: { text: 'how do I\u0000 theme a \ud800button? 😀', user: 'U0\u0000', blocks: [{ 'ke\u0000y': ['a\u0000', 1, null, true] }] },
    });
    const read = parseSignedJson(sent);
    expect(read).toEqual({
      type: 'event_callback',
      event_id: 'Ev0NUL',
      event: { text: 'how do I theme a \uFFFDbutton? 😀', user: 'U0', blocks: [{ key: ['a', 1, null, true] }] },
    });
    expect(isAllStorable(read)).toBe(true);
    expect(isAllStorable(JSON.parse(sent))).toBe(false);
  });

  it('reads "__proto__" as a key like any other, never as the prototype', () => {
    const read = parseSignedJson('{"__proto__":{"polluted":"x\\u0000"}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(read, '__proto__')).toBe(true);
  });

  it('throws on what is not JSON, as JSON.parse does', () => {
    expect(() => parseSignedJson('{not json')).toThrow(SyntaxError);
  });
});

describe('the database refusing text it cannot store', () => {
  it('is a 400, not a 500: a NUL in text (22021) or \\u0000 in jsonb (22P05)', () => {
    for (const code of ['22021', '22P05']) {
      const error = mapDbError({ code, message: 'invalid byte sequence for encoding "UTF8": 0x00' }, 'start_reader_session');
      expect(error.code).toBe('bad_request');
      expect(error.status).toBe(400);
      expect(error.message).not.toMatch(/UTF8|0x00|start_reader_session/);
    }
    expect(mapDbError({ code: '42P01', message: 'relation does not exist' }, 'f').status).toBe(500);
  });
});
