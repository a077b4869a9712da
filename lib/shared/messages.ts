// A message's text, the one way it is computed everywhere (the model's input, the live draft, the
// maintainers' transcript, the browser's copy and display): its text parts, joined as separate paragraphs.
// (The SQL helper pa_content_text reads a streaming draft, which is always one part.)

export type TTextContent = { type: 'text'; text: { value: string } }[];

export const CONTENT_PART_SEPARATOR = '\n\n';

export function messageText(message: { content: TTextContent } | null | undefined): string {
  return message?.content.map((part) => part.text.value).join(CONTENT_PART_SEPARATOR) ?? '';
}
