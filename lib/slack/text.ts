// Slack's message text as the site's Markdown, for what people write in Slack (maintainers' replies, questions).

/** The longest reply or question kept from Slack; Slack allows more, a docs conversation needs less. */
export const MAX_REPLY_CHARS = 8000;
export const FALLBACK_MAINTAINER_NAME = 'A maintainer';

/**
 * Slack's message markup as the Markdown the chat renders: links `<url|label>` become Markdown links (the chat's
 * link policy still decides what is clickable), mentions become plain names, and Slack's three escapes are undone.
 */
export function slackTextToMarkdown(text: string): string {
  const unescape = (value: string) => value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return text
    .replace(/<([^<>]+)>/g, (_, inner: string) => {
      const [target = '', label] = inner.split('|', 2) as [string, string | undefined];
      if (target.startsWith('@')) return `@${unescape(label ?? 'someone')}`;
      if (target.startsWith('#')) return `#${unescape(label ?? 'channel')}`;
      if (target.startsWith('!')) return `@${unescape(label ?? target.slice(1).split('^')[0] ?? '')}`;
      const url = unescape(target);
      return label ? `[${unescape(label).replace(/[[\]]/g, '')}](${url.replace(/[()\s]/g, encodeURIComponent)})` : url;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * A maintainer's reply as a proposed maintainers' answer (supabase/schemas/62_maintainer_answers.sql): without the
 * people in it (mentions of members, user groups and @channel, as Slack sends them or as the site's Markdown names
 * them) and masked as readers' messages are. null when nothing is left to propose.
 */
export function maintainerAnswerProposal(text: string, privacy: { mask(text: string): { text: string } }): { answer: string } | null {
  const withoutPeople = text
    .replace(/<[@!][^<>]*>/g, ' ')
    .replace(/(^|[\s(,])@someone\b/g, '$1')
    .replace(/[ \t]+/g, ' ')
    .replace(/^[\s,:;-]+/, '')
    .trim();
  const answer = privacy.mask(withoutPeople).text.trim();
  return answer === '' ? null : { answer };
}
