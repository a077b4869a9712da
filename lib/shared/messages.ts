// A message's text, the one way it is computed everywhere (the model's input, the live draft, the
// maintainers' transcript, the browser's copy and display): its text parts, joined as separate paragraphs.
// SQL computes the same text with pa_message_text (supabase/migrations/20261122000070_message_text.sql);
// tests/integration/migrations.test.ts checks that the two agree.

export type TTextContent = { type: 'text'; text: { value: string } }[];

export const CONTENT_PART_SEPARATOR = '\n\n';

export function messageText(message: { content: TTextContent } | null | undefined): string {
  return message?.content.map((part) => part.text.value).join(CONTENT_PART_SEPARATOR) ?? '';
}
