// The messages between widget.js on the host page (lib/embed/loader.ts, which repeats these names: it is
// self-contained) and the /embed frame. Each side checks where a message comes from before reading it: the
// host only listens to its frame at the assistant's origin; the frame only to its parent window, whose origin
// (given by the browser, not by the message) is the embedding site its session is issued for.

import { MAX_QUOTE_CHARS } from './quote';

/** Frame → host, sent when the frame's page has loaded: "say hello" (the host answers with HELLO). */
export const EMBED_FRAME_READY = 'paste-assistant:frame-ready';
/**
 * Host → frame: the loader's version and the colour scheme; for versioned docs, the page's `docsVersion`
 * (widget.js's data-version) and `pageUrl` (the host page's origin and path, whose address may carry the version).
 * Its origin is the embedding site.
 */
export const EMBED_HELLO = 'paste-assistant:hello';
/** Frame → host: the session is established; messages queued for the frame may be sent. */
export const EMBED_READY = 'paste-assistant:ready';
/** Host → frame: the panel was opened (focus the message box). */
export const EMBED_OPEN = 'paste-assistant:open';
/** Host → frame: ask this question (`question`). */
export const EMBED_ASK = 'paste-assistant:ask';
/**
 * Host → frame: the reader selected text on the host page and chose "Ask about this": `quote` (at most MAX_QUOTE_CHARS),
 * the page's `url` (origin and path) and `title`. Attached to the reader's next question (lib/shared/quote.ts).
 */
export const EMBED_ASK_QUOTE = 'paste-assistant:ask-quote';
/** Host → frame: the colour scheme changed (`theme`: light or dark). */
export const EMBED_THEME = 'paste-assistant:theme';
/** Frame → host: the reader closed the panel. */
export const EMBED_CLOSE = 'paste-assistant:close';
/**
 * Frame → host: keep this session token (`token`) for me. Where a browser denies a third-party frame any storage
 * (Chromium with third-party cookies blocked denies localStorage too), the host page keeps the token in its own
 * storage and hands it back in HELLO. The token is bound to the host's origin, so it is the host's readers' anyway.
 */
export const EMBED_SESSION = 'paste-assistant:session';

/**
 * Host → frame: the host site's word on who the reader is (widget.js's data-reader-token, PasteAssistant.setReaderToken):
 * `token`, a reader token (a JWT the host signed) that the frame exchanges at POST /api/reader/session for its session's
 * reader, or null to sign the reader out (DELETE). Sent only by postMessage to the assistant's origin, never in a URL.
 */
export const EMBED_READER_TOKEN = 'paste-assistant:reader-token';
/** Frame → host: how the last reader token went (`status`: signed-in, signed-out, or refused, when it did not verify). */
export const EMBED_READER = 'paste-assistant:reader';
export type TEmbedReaderStatus = 'signed-in' | 'signed-out' | 'refused';
/** The longest reader token the frame passes on (POST /api/reader/session takes as much). */
export const MAX_READER_TOKEN_CHARS = 8192;

export const EMBED_TOKEN_HEADER_NAME = 'X-Embed-Token';

export type TEmbedHostMessage =
  | { type: typeof EMBED_HELLO; version?: number; theme?: string; token?: string; searchUrl?: string; docsVersion?: string; pageUrl?: string }
  | { type: typeof EMBED_OPEN }
  | { type: typeof EMBED_ASK; question: string }
  | { type: typeof EMBED_ASK_QUOTE; quote: string; url?: string; title?: string }
  | { type: typeof EMBED_THEME; theme: string }
  | { type: typeof EMBED_READER_TOKEN; token: string | null };

const HOST_TYPES = new Set<string>([EMBED_HELLO, EMBED_OPEN, EMBED_ASK, EMBED_ASK_QUOTE, EMBED_THEME, EMBED_READER_TOKEN]);
const MAX_QUESTION_CHARS = 2000;


/** A message from the host page, checked field by field (it is another site's data), or null. */
export function parseHostMessage(data: unknown): TEmbedHostMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const message = data as Record<string, unknown>;
  if (typeof message.type !== 'string' || !HOST_TYPES.has(message.type)) return null;
  if (message.type === EMBED_ASK) {
    return typeof message.question === 'string' && message.question.trim() !== '' && message.question.length <= MAX_QUESTION_CHARS
      ? { type: EMBED_ASK, question: message.question.trim() }
      : null;
  }
  if (message.type === EMBED_ASK_QUOTE) {
    if (typeof message.quote !== 'string' || message.quote.trim() === '' || message.quote.length > MAX_QUOTE_CHARS) return null;
    const title = typeof message.title === 'string' ? message.title.trim().slice(0, 300) : '';
    return {
      type: EMBED_ASK_QUOTE,
      quote: message.quote.trim(),
      ...(isHttpUrl(message.url) ? { url: message.url } : {}),
      ...(title !== '' ? { title } : {}),
    };
  }
  if (message.type === EMBED_READER_TOKEN) {
    if (message.token === null) return { type: EMBED_READER_TOKEN, token: null };
    return typeof message.token === 'string' && message.token.trim() !== '' && message.token.length <= MAX_READER_TOKEN_CHARS
      ? { type: EMBED_READER_TOKEN, token: message.token.trim() }
      : null;
  }
  if (message.type === EMBED_THEME) return message.theme === 'dark' || message.theme === 'light' ? { type: EMBED_THEME, theme: message.theme } : null;
  if (message.type === EMBED_HELLO) {
    return {
      type: EMBED_HELLO,
      theme: message.theme === 'dark' || message.theme === 'light' ? message.theme : undefined,
      token: typeof message.token === 'string' && message.token.length <= 1024 ? message.token : undefined,
      searchUrl: isHttpUrl(message.searchUrl) ? message.searchUrl : undefined,
      docsVersion: isDocsVersion(message.docsVersion) ? message.docsVersion : undefined,
      pageUrl: isHttpUrl(message.pageUrl) ? message.pageUrl : undefined,
    };
  }
  return { type: EMBED_OPEN };
}

/** Whether the embedding site may use the assistant (the frame checks what the server will check again). */
export function isEmbedOriginAllowed(allowed: 'any' | string[], origin: string): boolean {
  return allowed === 'any' ? /^https?:\/\//.test(origin) : allowed.includes(origin);
}

/** The host's search (widget.js's data-search-url) or page: an absolute http(s) URL of reasonable length, or nothing. */
function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 1000) return false;
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** A version of versioned docs as a host names it (data-version): a short name of letters, digits, `.`, `_` and `-`. */
export function isDocsVersion(value: unknown): value is string {
  return typeof value === 'string' && /^[\w.-]{1,100}$/.test(value);
}
