// GitHub's @mentions in text that is shown or indexed: who was mentioned is personal data, that someone was is
// not. Shared by the GitHub source kind (lib/docs/sources/github) and the drafted docs fixes (lib/maintainers/gaps).

/** A GitHub @mention: a login (letters, digits, single hyphens, up to 39), not a package scope, an e-mail or a path. */
const MENTION = /(?<![\w.@/`+-])@([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})(?![\w/@-]|\.[A-Za-z0-9])/g;
/** Words after an @ that are code in prose (CSS at-rules, JSDoc tags, decorators' usual names), never people. */
const NOT_PEOPLE = new Set(
  'media import supports keyframes font-face layer container page charset namespace apply tailwind param returns return type typedef deprecated example see link since throws ts-ignore ts-expect-error ts-nocheck internal private public override component input output injectable'.split(' '),
);
/** What replaces a mention: who was mentioned is personal data; that someone was is not. */
export const MENTION_MASK = '@[user]';

/**
 * The text with its @mentions masked, outside code (fenced blocks and inline code keep decorators and the like).
 * `@twilio-paste/core` (a package scope), `name@example.com` and masks already in the text are left alone.
 */
export function maskMentions(text: string): string {
  return text
    .split(/(```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$)|`[^`\n]*`)/)
    .map((part, index) => (index % 2 === 1 ? part : part.replace(MENTION, (found, login: string) => (NOT_PEOPLE.has(login.toLowerCase()) ? found : MENTION_MASK))))
    .join('');
}
