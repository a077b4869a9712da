import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

// What GitHub would make live in a piece of Markdown it renders (an issue's or discussion's body, or its title), for
// tests of text posted under the maintainers' name. Markdown is rendered by micromark with its GFM extensions (the
// reference implementation of GitHub-flavoured Markdown, autolink literals included), raw HTML let through as GitHub
// lets its safe tags through; then what GitHub adds on top of GFM is looked for in the text outside code: @mentions
// and @org/team mentions, issue references (#7, GH-7, owner/repo#7), commit SHAs (7 to 40 hex digits), and URLs of
// any scheme (GitHub's renderer links ftp:// too, which micromark does not).

export function renderGithubMarkdown(markdown: string): string {
  return micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
}

/** The tags micromark's GFM writes for Markdown itself; any other tag came from the text as raw HTML. */
const MARKDOWN_TAGS = new Set(['p', 'blockquote', 'em', 'strong', 'del', 'code', 'pre', 'ul', 'ol', 'li', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'input']);

const GITHUB_LIVE: [string, RegExp][] = [
  ['mention', /(?:^|[^A-Za-z0-9_`])@[A-Za-z0-9]/],
  ['issue reference', /#\d/],
  ['GH- reference', /\bGH-\d/i],
  ['commit SHA', /(?:^|[^0-9A-Za-z])[0-9a-f]{7,40}(?![0-9A-Za-z])/i],
  ['URL', /[a-z][a-z0-9+.-]*:\/\//i],
  ['www address', /www\./i],
];

/** What is live in `markdown` as GitHub renders it: an empty list when nothing is. `html` for the message. */
export function liveInGithub(markdown: string): { live: string[]; html: string } {
  const html = renderGithubMarkdown(markdown);
  const live: string[] = [];
  if (/<a[\s>]/i.test(html)) live.push('link');
  if (/<img[\s>/]/i.test(html)) live.push('image');
  for (const [, tag] of html.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)/g)) {
    const name = tag!.toLowerCase();
    if (!MARKDOWN_TAGS.has(name) && name !== 'a' && name !== 'img') live.push(`HTML <${tag}>`);
  }
  const outsideCode = html
    .replace(/<code>[\s\S]*?<\/code>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
  for (const [name, pattern] of GITHUB_LIVE) {
    const found = pattern.exec(outsideCode);
    if (found) live.push(`${name}: ${JSON.stringify(outsideCode.slice(Math.max(0, found.index - 10), found.index + 20))}`);
  }
  return { live: [...new Set(live)], html };
}
