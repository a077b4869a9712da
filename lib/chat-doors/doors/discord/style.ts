import { renderChatMarkdown, type TChatStyle, type TChatSyntax } from '../../render';

// How the Discord door writes (lib/chat-doors/render.ts writes every reply from it, under the chat doors' one
// policy): Discord's Markdown, messages of at most 2,000 characters (Discord's limit), and its words. Every message
// we send also says `allowed_mentions: {parse: []}` (./client.ts). Discord's syntax: backslash escapes, links
// absolute and wrapped in <…> (a relative link means nothing in Discord; in <…> it shows no preview card).

export const MAX_DISCORD_MESSAGE_CHARS = 2000;
export const SEARCHING_TEXT = '🔎 Searching the docs…';
/** An answer longer than this is cut (with a note): a few messages in a channel, not a wall of them. */
export const MAX_DISCORD_ANSWER_CHARS = 6000;

/**
 * Discord's Markdown characters, escaped with a backslash (a mention's or an emoji's `<` included); a heading's,
 * a list's or a subtext's marker only at the start of a line.
 */
function escapeDiscord(text: string): string {
  return text.replace(/[\\*_~`|<>[\]]/g, '\\$&').replace(/^(\s*)([-+#]|\d+\.)/gm, '$1\\$2');
}

export const DISCORD_SYNTAX: TChatSyntax = {
  escape: escapeDiscord,
  // Inside <…> an address ends at `>`; parentheses are encoded so that no reader of the link ends it early.
  link: (href, label) => {
    const address = href.replace(/[<>()\s]/g, encodeURIComponent);
    return label === null ? `<${address}>` : `[${escapeDiscord(label)}](<${address}>)`;
  },
  marks: { bold: '**', italic: '_', strike: '~~' },
  inlineCode: (value) => `\`${value.replace(/`/g, 'ˋ')}\``,
  codeBlock: (value, lang) => `\`\`\`${(lang ?? '').replace(/[^\w+#.-]/g, '')}\n${value.replace(/`{3,}/g, '`\u200b``')}\n\`\`\``,
  quotePrefix: '> ',
};

export const DISCORD_STYLE: TChatStyle = {
  syntax: DISCORD_SYNTAX,
  maxMessageChars: MAX_DISCORD_MESSAGE_CHARS,
  maxAnswerChars: MAX_DISCORD_ANSWER_CHARS,
  texts: {
    searching: SEARCHING_TEXT,
    writing: '*✍️ Writing…*',
    feedback: '-# Did this help? Tell the maintainers with 👍 or 👎 below.',
    cutNote: '*(cut here: the full answer is longer than a few Discord messages should be)*',
    notCovered: (link) => `📚 The docs don't cover this. ${link} yourself, or ask a maintainer here.`,
    runEnded: (reason) => `⚠️ Sorry, I couldn't finish this answer. ${reason} Ask again with \`/ask\`.`,
    refusal: (message) => `⛔ ${message}`,
  },
};

/** The line under an answer where nobody reads votes (isChatFeedbackRead, lib/chat-doors/door.ts): a vote, no reader promised. */
export const FEEDBACK_UNREAD_TEXT = '-# Did this help? Say so with 👍 or 👎 below.';

/** The door's style as configured: the feedback line promises the maintainers only where they read votes. */
export function discordStyle({ isFeedbackRead }: { isFeedbackRead: boolean }): TChatStyle {
  return isFeedbackRead ? DISCORD_STYLE : { ...DISCORD_STYLE, texts: { ...DISCORD_STYLE.texts, feedback: FEEDBACK_UNREAD_TEXT } };
}

/** An answer's Markdown as Discord shows it, under the chat doors' policy. */
export function markdownToDiscord(markdown: string, siteUrl: string, { trustedUrls }: { trustedUrls?: Set<string> } = {}): string {
  return renderChatMarkdown(markdown, { syntax: DISCORD_SYNTAX, siteUrl, trustedUrls });
}
