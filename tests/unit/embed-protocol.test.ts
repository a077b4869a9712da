import { describe, expect, it } from 'vitest';
import { EMBED_ASK_QUOTE, EMBED_READER_TOKEN, MAX_READER_TOKEN_CHARS, parseHostMessage } from '@/lib/shared/embed-protocol';
import { boundQuote, MAX_QUOTE_CHARS, readQuote } from '@/lib/shared/quote';

// The frame reads another site's messages field by field (lib/shared/embed-protocol.ts): a reader token from the host
// (widget.js's data-reader-token, PasteAssistant.setReaderToken) is a bounded string, or null to sign out.

describe('the host’s reader token message', () => {
  it('takes a token (trimmed) or null, and nothing else', () => {
    expect(parseHostMessage({ type: EMBED_READER_TOKEN, token: ' eyJ.a.b ' })).toEqual({ type: EMBED_READER_TOKEN, token: 'eyJ.a.b' });
    expect(parseHostMessage({ type: EMBED_READER_TOKEN, token: null })).toEqual({ type: EMBED_READER_TOKEN, token: null });
    for (const token of [undefined, '', '   ', 42, { a: 1 }, 'x'.repeat(MAX_READER_TOKEN_CHARS + 1)]) {
      expect(parseHostMessage({ type: EMBED_READER_TOKEN, token })).toBeNull();
    }
    expect(parseHostMessage({ type: EMBED_READER_TOKEN, token: 'x'.repeat(MAX_READER_TOKEN_CHARS) })).not.toBeNull();
  });
});

describe('the host’s "Ask about this" message', () => {
  it('takes a bounded quote with an http(s) page address and a title, and drops what is not', () => {
    expect(parseHostMessage({ type: EMBED_ASK_QUOTE, quote: ' Retry-After ', url: 'https://host.example/guide', title: 'Guide' })).toEqual({
      type: EMBED_ASK_QUOTE,
      quote: 'Retry-After',
      url: 'https://host.example/guide',
      title: 'Guide',
    });
    expect(parseHostMessage({ type: EMBED_ASK_QUOTE, quote: 'code', url: 'javascript:alert(1)', title: 7 })).toEqual({ type: EMBED_ASK_QUOTE, quote: 'code' });
    for (const quote of [undefined, '', '  ', 5, 'x'.repeat(MAX_QUOTE_CHARS + 1)]) expect(parseHostMessage({ type: EMBED_ASK_QUOTE, quote })).toBeNull();
    expect(parseHostMessage({ type: EMBED_ASK_QUOTE, quote: 'x'.repeat(MAX_QUOTE_CHARS) })).not.toBeNull();
  });
});

describe('a quote', () => {
  it('is cut to the bound with an ellipsis, keeps code’s lines and folds runs of blank lines', () => {
    expect(boundQuote('  a\n\n\n\n  b\r\n')).toBe('a\n\n  b');
    const cut = boundQuote('word '.repeat(1000));
    expect(cut.length).toBeLessThanOrEqual(MAX_QUOTE_CHARS);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('is read from stored metadata field by field', () => {
    expect(readQuote({ quote: { text: 'a', url: 'https://x.example/', title: 'X', other: 1 } })).toEqual({ text: 'a', url: 'https://x.example/', title: 'X' });
    expect(readQuote({ quote: 'a' })).toBeNull();
    expect(readQuote({ quote: { text: ' ' } })).toBeNull();
    expect(readQuote(null)).toBeNull();
  });
});
