// A message's text, the one way it is computed everywhere (the model's input, the live draft, the
// maintainers' transcript, the browser's copy and display): its text parts, joined as separate paragraphs.
// SQL computes the same text with pa_message_text (supabase/schemas/20_messages.sql);
// tests/integration/migrations.test.ts checks that the two agree.

export type TTextContent = { type: 'text'; text: { value: string } }[];

export const CONTENT_PART_SEPARATOR = '\n\n';

export function messageText(message: { content: TTextContent } | null | undefined): string {
  return message?.content.map((part) => part.text.value).join(CONTENT_PART_SEPARATOR) ?? '';
}

/**
 * A reply a maintainer wrote in the conversation's Slack thread: stored as an assistant message whose
 * metadata.author is "maintainer" (supabase/schemas/61_maintainers.sql), shown as a person's
 * reply, never counted as the assistant's answer, and told to the model as someone else's words.
 */
export function isMaintainerReply(message: { role: string; metadata?: Record<string, unknown> | null }): boolean {
  return message.role === 'assistant' && message.metadata?.author === 'maintainer';
}

/** The maintainer's name as Slack gave it, or "A maintainer". */
export function maintainerName(message: { metadata?: Record<string, unknown> | null }): string {
  const name = message.metadata?.author_name;
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : 'A maintainer';
}

/** All a reader learns of who wrote a maintainer's reply (the shared page's snapshot says no more). */
export const MAINTAINER_READER_METADATA = Object.freeze({ author: 'maintainer' });

/**
 * A message's metadata as readers get it, in every door (the site's API and event stream, /v1, the shared page): a
 * maintainer's reply says only that a maintainer wrote it. Who wrote it (their name, their Slack user, the Slack
 * message's ts) stays on the server, for the maintainers' transcript and the model's context. Other messages keep
 * their metadata, which is the reader's own or the assistant's (a question's screenshots as their types only: see
 * lib/assistant/objects.ts toMessageObject).
 */
export function readerMetadata(message: { role: string; metadata: Record<string, unknown> }): Record<string, unknown> {
  return isMaintainerReply(message) ? { ...MAINTAINER_READER_METADATA } : message.metadata;
}
