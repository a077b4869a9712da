import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePointLength, commonPrefixLength, visibleText } from '@/lib/assistant/draft';
import { createRunEvents } from '@/lib/assistant/streaming/events';
import { stripThinking } from '@/lib/model/shared';
import {
  applyTextDelta,
  buildTextDelta,
  createSseParser,
  cursorFor,
  encodeCursor,
  hashText,
  parseCursor,
} from '@/lib/shared/stream-protocol';

const delta = (offset: number, value: string) => buildTextDelta({ messageId: 'msg_1', runId: 'run_1', offset, value });

describe('what a reader sees of the model\'s raw text', () => {
  it('hides a <think> block until it closes, holds back a tag still arriving, and trims like the stored answer', () => {
    expect(visibleText('<thi')).toBe('');
    expect(visibleText('  <think>pondering')).toBe('');
    expect(visibleText('<think>pondering</think>\n\nThe answer ')).toBe('The answer');
    expect(visibleText('\n  Hello there  \n')).toBe('Hello there');
    expect(visibleText('<b>bold</b>')).toBe('<b>bold</b>');
  });

  it('is always a prefix of the stored answer, and all of it at the end, whatever the pieces', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('<think>', '</think>', ' ', '\n', 'word', '<', 'x.'), { maxLength: 20 }), (pieces) => {
        const raw = pieces.join('');
        const final = stripThinking(raw).trim();
        let sofar = '';
        for (const piece of pieces) {
          sofar += piece;
          if (!final.startsWith(visibleText(sofar))) return false;
        }
        // A reasoning block that never closes (or a tag cut short) is stored as it came; the completed message
        // then replaces the shown text.
        const lead = raw.trimStart();
        const isUnclosed = (lead.startsWith('<think>') && !raw.includes('</think>')) || '<think>'.startsWith(lead);
        return isUnclosed || visibleText(raw) === final;
      }),
    );
  });
});

describe('text offsets', () => {
  it('counts code points as Postgres does, and never splits a surrogate pair', () => {
    expect(codePointLength('héllo')).toBe(5);
    expect(codePointLength('a😀b')).toBe(3);
    expect('a😀b'.length).toBe(4);
    expect(commonPrefixLength('a😀', 'a😃')).toBe(1);
    expect(commonPrefixLength('abc', 'abd')).toBe(2);
    expect(commonPrefixLength('abc', 'abc')).toBe(3);
  });

  it('applying the delta from the common prefix turns any reader text into the server text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (reader, server) => {
        const offset = commonPrefixLength(reader, server);
        return applyTextDelta(reader, delta(offset, server.slice(offset))) === server;
      }),
    );
  });

  it('appends, replaces from 0 and trims', () => {
    expect(applyTextDelta('Hello', delta(5, ' world'))).toBe('Hello world');
    expect(applyTextDelta('Hello', delta(0, 'Bye'))).toBe('Bye');
    expect(applyTextDelta('Hello  ', delta(5, ''))).toBe('Hello');
  });
});

describe('stream cursors', () => {
  it('round-trip, and hash incrementally', () => {
    const cursor = { status: 'in_progress' as const, offset: 12, hash: hashText('Hello world!') };
    expect(parseCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(hashText(' world!', hashText('Hello'))).toBe(hashText('Hello world!'));
    expect(cursorFor('', null)).toBe('-.0.811c9dc5');
    expect(parseCursor(cursorFor('abc', 'completed'))).toMatchObject({ status: 'completed', offset: 3 });
  });

  it('refuses what is not a cursor', () => {
    for (const value of ['', 'x', 'in_progress.12', 'bogus.1.00000000', 'in_progress.-1.00000000', 'in_progress.1.zzzzzzzz', undefined, null]) {
      expect(parseCursor(value)).toBeNull();
    }
  });
});

describe('the SSE parser used by tests and the bench', () => {
  it('assembles events across chunks, skips comments, joins data lines and remembers the last id', () => {
    const parser = createSseParser();
    expect(parser.push('retry: 1000\n\n: ping\n\nid: a.1.00000000\nevent: thread.run.queued\ndata: {"x"')).toEqual([]);
    expect(parser.push(':1}\n\nevent: done\r\ndata: one\r\ndata: two\r\n\r\n')).toEqual([
      { event: 'thread.run.queued', data: '{"x":1}', id: 'a.1.00000000' },
      { event: 'done', data: 'one\ntwo', id: undefined },
    ]);
    expect(parser.lastEventId).toBe('a.1.00000000');
  });
});

describe('run notifications', () => {
  it('keeps a change that happens while the subscriber is busy, so its next wait returns at once', async () => {
    const events = createRunEvents();
    const changes = events.subscribe('run_1');
    events.notify('run_1', 'text');
    events.notify('run_1');
    // Were the changes lost, this wait would outlast the suite's test timeout (30 s) and fail it; kept, it returns
    // them without waiting for anything.
    expect(await changes.wait(60_000)).toEqual({ isRun: true, isText: true });
    const waiting = changes.wait(5_000);
    events.notify('run_1', 'text');
    expect(await waiting).toEqual({ isRun: false, isText: true });
    changes.close();
  });

  it('lets a waiter ignore text changes, times out, and stops on abort', async () => {
    const events = createRunEvents();
    const changes = events.subscribe('run_1', { isTextIgnored: true });
    events.notify('run_1', 'text');
    expect(await changes.wait(20)).toEqual({ isRun: false, isText: false });
    const stop = new AbortController();
    const waiting = changes.wait(5_000, stop.signal);
    stop.abort();
    expect(await waiting).toEqual({ isRun: false, isText: false });
    changes.close();
  });
});

describe('visible text, fed piece by piece', () => {
  it('grows to exactly what visibleText gives for the whole raw text at every step', async () => {
    const { createVisibleText } = await import('@/lib/assistant/draft');
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('<think>', '</think>', '</th', 'ink>', ' ', '\n', 'word', '<', 'x.', '\uD83D', '\uDE00', '\u0000', '\uDC00'), { maxLength: 24 }),
        (pieces) => {
          const buffer = createVisibleText();
          let shown = '';
          let raw = '';
          for (const piece of pieces) {
            raw += piece;
            shown += buffer.push(piece);
            if (shown !== visibleText(raw)) return false;
          }
          return true;
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is a prefix of the storable final answer at every step', async () => {
    const { toStorableText } = await import('@/lib/shared/text');
    fc.assert(
      fc.property(fc.array(fc.constantFrom('<think>', '</think>', ' ', 'ab', '\uD83D', '\uDE00', '\u0000', '\uDC00'), { maxLength: 20 }), (pieces) => {
        const raw = pieces.join('');
        const lead = raw.trimStart();
        const isUnclosed = (lead.startsWith('<think>') && !raw.includes('</think>')) || '<think>'.startsWith(lead);
        if (isUnclosed) return true;
        const final = toStorableText(stripThinking(raw).trim());
        let sofar = '';
        for (const piece of pieces) {
          sofar += piece;
          if (!final.startsWith(visibleText(sofar))) return false;
        }
        return true;
      }),
    );
  });
});

describe('storable text', () => {
  it.each([
    ['plain', 'plain'],
    ['a\u0000b', 'ab'],
    ['lone high \uD800 here', 'lone high \uFFFD here'],
    ['lone low \uDC00 here', 'lone low \uFFFD here'],
    ['pair 😀 kept', 'pair 😀 kept'],
    ['reversed \uDE00\uD83D pair', 'reversed \uFFFD\uFFFD pair'],
    ['ends high \uD83D', 'ends high \uFFFD'],
    // A NUL between the halves of a pair: the halves are lone as written (the same whole or piece by piece).
    ['split \uD83D\u0000\uDE00 pair', 'split \uFFFD\uFFFD pair'],
  ])('%j → %j', async (input, expected) => {
    const { isStorableText, toStorableText } = await import('@/lib/shared/text');
    expect(toStorableText(input)).toBe(expected);
    expect(isStorableText(toStorableText(input))).toBe(true);
  });
});
