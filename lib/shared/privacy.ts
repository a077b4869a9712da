// What browser and server share about personal data removed from a reader's message (lib/privacy masks it).
// A masked message carries the kinds removed in its metadata, as one comma-separated string (message
// metadata values are strings, as in the Assistants API), and the UI shows a one-line note under it.

export const PII_KINDS = ['email', 'phone', 'card', 'secret', 'custom'] as const;
export type TPiiKind = (typeof PII_KINDS)[number];

/** Message metadata key: the kinds of personal data removed, e.g. "email,card". */
export const PII_METADATA_KEY = 'pii_removed';

/** What replaces each kind in the stored text: readable, and never itself mistaken for personal data. */
export const PII_MASKS: Record<TPiiKind, string> = {
  email: '[email removed]',
  phone: '[phone number removed]',
  card: '[card number removed]',
  secret: '[secret removed]',
  custom: '[private data removed]',
};

const KIND_NAMES: Record<TPiiKind, string> = {
  email: 'an email address',
  phone: 'a phone number',
  card: 'a card number',
  secret: 'a key or token',
  custom: 'private data',
};

/** The kinds named in a message's metadata (unknown names are ignored). */
export function readRemovedKinds(metadata: Record<string, unknown> | null | undefined): TPiiKind[] {
  const value = metadata?.[PII_METADATA_KEY];
  if (typeof value !== 'string' || value === '') return [];
  return value.split(',').filter((kind): kind is TPiiKind => (PII_KINDS as readonly string[]).includes(kind));
}

/** The note under a masked message, one line. */
export function describeRemoved(kinds: readonly TPiiKind[]): string {
  const names = [...new Set(kinds)].map((kind) => KIND_NAMES[kind]);
  if (names.length === 0) return '';
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `Personal data was removed before this message was stored: ${list}.`;
}
