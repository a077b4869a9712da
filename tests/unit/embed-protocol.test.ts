import { describe, expect, it } from 'vitest';
import { EMBED_READER_TOKEN, MAX_READER_TOKEN_CHARS, parseHostMessage } from '@/lib/shared/embed-protocol';

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
