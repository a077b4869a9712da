import { maskMentions } from './mentions';

// Readers' words posted on GitHub under the maintainers' name (a hand-off's issue or discussion, lib/handoff/github.ts;
// a drafted docs issue or pull request, lib/maintainers/gaps/markdown.ts) are quoted inertly: GitHub must not notify
// anyone they name, show an image they link, offer a link they wrote, or cross-reference an issue they cite.
//
// What GitHub makes live is more than GitHub-flavoured Markdown's own rules (links, images, HTML, the autolink
// literal's http(s)://, www. and e-mail addresses, in any case and after `_`, `*`, `~` or `(`): its renderer links
// ftp:// too, and on top of Markdown it links @mentions, @org/team mentions, issue references (#7, GH-7,
// owner/repo#7) and commit SHAs (7 to 40 hex digits). Matching each rule's fine print is how earlier versions of this
// code missed some, so the rule here is coarser: a run of non-space characters that holds anything such a rule
// starts from (an @, a #, a :// or a www., markup's < > [ ] & \ `, GH- and a digit, a hex run of 7 to 40) is shown as
// code, where GitHub makes nothing live; every other run is text with Markdown's emphasis and table marks escaped.
// Code the reader wrote stays code. tests/unit/inert-markdown.test.ts renders the results with micromark's GFM (the
// reference implementation of the autolink rules) and checks GitHub's additions itself, over hostile strings.
//
// A title is not Markdown on GitHub but plain text with code spans: the same runs become code, and nothing is
// backslash-escaped (a title would show the backslash). Repository-specific autolink prefixes (JIRA-12) are the
// repository's own settings, unknown here: they link to where the repository says, never to a reader's address.

/** A run GitHub could make live: shown as code. */
const LIVE_RUN = /[@#<>[\]&\\`]|:\/\/|www\.|gh-\d|(?:^|[^0-9a-z])[0-9a-f]{7,40}(?![0-9a-z])/i;
/** A code span the reader wrote (inside one, nothing is live). */
const READER_CODE = /(`+)([^`]+?)\1(?!`)/g;

export const MAX_QUOTE_CHARS = 300;

/**
 * A reader's words as a post's body quotes them: on one line, at most `maxChars`, mentions masked as the GitHub
 * source masks them (lib/github/mentions.ts), and inert (above).
 */
export function inertQuote(text: string, maxChars = MAX_QUOTE_CHARS): string {
  return inert(text, maxChars, 'body');
}

/** A reader's words in an issue's, discussion's or pull request's title: one line, at most `maxChars`, inert. */
export function inertTitle(text: string, maxChars: number): string {
  return inert(text, maxChars, 'title');
}

function inert(text: string, maxChars: number, kind: 'body' | 'title'): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const kept = flat.length > maxChars ? `${flat.slice(0, maxChars - 1)}…` : flat;
  let out = '';
  let last = 0;
  for (const match of kept.matchAll(READER_CODE)) {
    out += inertProse(kept.slice(last, match.index), kind, out === '');
    out += codeSpan(match[2]!.trim());
    last = match.index + match[0].length;
  }
  return out + inertProse(kept.slice(last), kind, out === '');
}

function inertProse(text: string, kind: 'body' | 'title', isLineStart: boolean): string {
  return maskMentions(text)
    .split(/( +)/)
    .map((run, index) => {
      if (index % 2 === 1 || run === '') return run;
      if (LIVE_RUN.test(run)) return codeSpan(run);
      if (kind === 'title') return run;
      const escaped = run.replace(/[*_~|]/g, '\\$&');
      // At the start of the quoted line, a list item's or a thematic break's mark is shown as typed.
      return isLineStart && index === 0 ? escaped.replace(/^([-+=])|^(\d+)([.)])/, (_all, mark?: string, digits?: string, dot?: string) => (mark ? `\\${mark}` : `${digits}\\${dot}`)) : escaped;
    })
    .join('');
}

/** Text GitHub shows as it is: nothing in a code span is a mention, a reference, a link or HTML. */
function codeSpan(text: string): string {
  const value = text.replace(/`/g, 'ˋ');
  return value === '' ? '' : `\`${value}\``;
}
