import { MAX_LABEL_CHARS, neutraliseMentions, oneLine, renderChatMarkdown, type TChatSyntax } from '../chat-doors/render';

// Slack's mrkdwn, for everything the app posts in Slack (the review channel's posts and the Slack door's replies).
// Slack's syntax for the chat doors' one policy (lib/chat-doors/render.ts, which walks the Markdown and decides
// what is text, what is a link and which label a link keeps): mrkdwn's three escapes (so `<!channel>`, `<@U123>` or
// `<!subteam^S1>` written by a model, or copied from the docs into an answer, shows as typed and never notifies
// anyone, code included), `<url|label>` links, single-character markers, code blocks without a language.

/** Slack's three control characters in mrkdwn. Apply to text only after truncating it, so no entity is cut. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text a reader, a thread or the model wrote, as mrkdwn shows it literally: its mentions broken, escaped. */
export function slackText(text: string): string {
  return escapeMrkdwn(neutraliseMentions(text));
}

export const SLACK_SYNTAX: TChatSyntax = {
  escape: (text) => escapeMrkdwn(text),
  // `|` ends a link's address in mrkdwn: encoded, it stays part of the address.
  link: (href, label) => {
    const address = href.replace(/\|/g, '%7C');
    return `<${escapeMrkdwn(address)}|${escapeMrkdwn(label ?? oneLine(address, MAX_LABEL_CHARS))}>`;
  },
  marks: { bold: '*', italic: '_', strike: '~' },
  inlineCode: (value) => `\`${escapeMrkdwn(value.replace(/`/g, 'ˋ'))}\``,
  codeBlock: (value) => `\`\`\`\n${escapeMrkdwn(value.replace(/`{3,}/g, '`\u200b``'))}\n\`\`\``,
  quotePrefix: '>',
};

/** An answer's Markdown (as the model or the offline model writes it) as Slack mrkdwn, under the chat doors' policy. */
export function markdownToMrkdwn(markdown: string, siteUrl: string, { trustedUrls = new Set<string>() }: { trustedUrls?: Set<string> } = {}): string {
  return renderChatMarkdown(markdown, { syntax: SLACK_SYNTAX, siteUrl, trustedUrls });
}
