// A quote: the passage or code a reader selected on a page and asked about ("Ask about this"). It travels with the
// question (the message API's `context.quote`), is kept with it (the message's metadata `quote`, masked like the
// question) and is given to the model as context for the question, never as the question itself.

/** The longest quote a question carries; the panel cuts a longer selection to it, the API refuses one (413). */
export const MAX_QUOTE_CHARS = 2000;

/** The message metadata key a question's quote is kept under. */
export const QUOTE_METADATA_KEY = 'quote';

/** A quote as it is stored: its masked text, and where it came from when that is not a docs page (`url`, `title`). */
export type TStoredQuote = { text: string; url?: string; title?: string };

/** The quote a stored message carries, or null (metadata from the database or the API is read field by field). */
export function readQuote(metadata: Record<string, unknown> | null | undefined): TStoredQuote | null {
  const value = metadata?.[QUOTE_METADATA_KEY];
  if (typeof value !== 'object' || value === null) return null;
  const { text, url, title } = value as Record<string, unknown>;
  if (typeof text !== 'string' || text.trim() === '') return null;
  return { text, ...(typeof url === 'string' ? { url } : {}), ...(typeof title === 'string' ? { title } : {}) };
}

/**
 * A selection or code block's text as it is sent: runs of blank lines kept as one (code keeps its indentation),
 * cut at MAX_QUOTE_CHARS with "…" so that the reader sees it was cut.
 */
export function boundQuote(text: string): string {
  const trimmed = text.replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  return trimmed.length <= MAX_QUOTE_CHARS ? trimmed : `${trimmed.slice(0, MAX_QUOTE_CHARS - 1).trimEnd()}…`;
}
