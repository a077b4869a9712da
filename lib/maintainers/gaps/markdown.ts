import { maskMentions } from '../../github/mentions';
import type { TGapNearestSection } from '../../shared/docs-gaps';
import { classifyLink } from '../../shared/links';
import type { TTopicCore } from './topics';

// The words of a draft: an issue (offline: no model to write the fix) listing the readers' questions, what they
// said was missing, the maintainers' answers and the nearest docs sections; a pull request's description, the same
// list above the change. Links to sections are absolute (SITE_URL): they are read on GitHub.
//
// A draft is posted under the maintainers' name, so readers' words in it are quoted inertly (inertQuote): GitHub
// must not notify anyone they name, show an image they link, or offer a link they wrote to another site.

const KIND_LABELS = { not_covered: 'the docs did not cover it', voted_down: 'answer voted down', maintainer: 'answered by a maintainer' } as const;

const MAX_QUOTE_CHARS = 300;

// In a reader's words, what GitHub would make live: an image, a link (inline, or <autolink>), a bare URL (GitHub
// links http(s):// and www. addresses), a team mention (@org/team: the GitHub source leaves these alone, as package
// scopes, so they are made code here), an issue reference (#12, org/repo#12: a reference puts a link to this issue
// in the other one). Code spans come first: inside one nothing is live.
const LIVE =
  /(`+)[^`]*?\1(?!`)|(!?)\[([^\]\n]*)\]\(\s*<?([^()\s<>]*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)|<((?:https?|mailto):[^<>\s]*)>|\b((?:https?:\/\/|www\.)[^\s<>`"]*[^\s<>`".,;:!?)'\]])|(?<![\w.@/`+-])(@[A-Za-z0-9][\w.-]*\/[\w.-]*\w)|(?<![\w/&#])((?:[\w.-]+\/[\w.-]+)?#\d+)\b/g;

/** Text as GitHub Markdown shows it, literally: mentions masked (as the GitHub source masks them), no HTML, no entity, no link. */
function inertText(text: string): string {
  return maskMentions(text)
    .replace(/&/g, '&amp;')
    .replace(/[\\`*_~[\]<>|]/g, '\\$&');
}

/** Code GitHub shows as it is: nothing in a code span is a mention, a link or HTML. */
function codeSpan(text: string): string {
  const value = text.replace(/`/g, 'ˋ');
  return value === '' ? '' : `\`${value}\``;
}

/**
 * A reader's words as a draft quotes them: on one line, at most `maxChars` (MAX_QUOTE_CHARS), and inert. Mentions are masked
 * (`@[user]`; a team's, `@org/team`, shown as code), an image is its description and its address as code, a link to
 * another site is its label and its address as code (a link to the site stays a link), bare addresses and issue
 * references are code, and HTML and entities show as typed. Code the reader wrote stays code.
 */
export function inertQuote(text: string, siteUrl: string, maxChars = MAX_QUOTE_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const kept = flat.length > maxChars ? `${flat.slice(0, maxChars - 1)}…` : flat;
  let out = '';
  let last = 0;
  for (const match of kept.matchAll(LIVE)) {
    const [whole, ticks, bang, label, href, autolink, bare, team, reference] = match;
    out += inertText(kept.slice(last, match.index));
    last = match.index + whole.length;
    if (ticks !== undefined) out += whole;
    else if (href !== undefined) out += linkText({ label: label ?? '', href, isImage: bang === '!', siteUrl });
    else out += codeSpan(autolink ?? bare ?? team ?? reference ?? whole);
  }
  return out + inertText(kept.slice(last));
}

function linkText({ label, href, isImage, siteUrl }: { label: string; href: string; isImage: boolean; siteUrl: string }): string {
  const target = classifyLink({ href, siteUrl });
  if (!isImage && target.kind === 'internal') return `[${inertText(label || target.href)}](${new URL(target.href, siteUrl).href})`;
  const address = href === '' ? '' : ` ${codeSpan(href)}`;
  return `${isImage ? 'image: ' : ''}${inertText(label)}${address}`.trim();
}

export function draftTitle(topic: TTopicCore, kind: 'pull' | 'issue'): string {
  const flat = maskMentions(topic.topic.replace(/\s+/g, ' ').trim());
  const label = flat.length > 90 ? `${flat.slice(0, 89)}…` : flat;
  return kind === 'pull' ? `Docs: answer “${label}”` : `Docs gap: “${label}”`;
}

export function draftBody({
  topic,
  nearest,
  siteUrl,
  days,
  pagePath,
  kind,
}: {
  topic: TTopicCore;
  nearest: TGapNearestSection[];
  siteUrl: string;
  days: number;
  pagePath: string | null;
  kind: 'pull' | 'issue';
}): string {
  const counts = [
    topic.counts.not_covered ? `${topic.counts.not_covered} not covered` : '',
    topic.counts.voted_down ? `${topic.counts.voted_down} voted down` : '',
    topic.counts.maintainer ? `${topic.counts.maintainer} answered by a maintainer` : '',
  ].filter(Boolean);
  const quote = (text: string) => inertQuote(text, siteUrl);
  const lines = [
    kind === 'pull'
      ? `Readers asked this ${topic.count} time(s) in the last ${days} days and the docs did not answer them. This change adds the answer to \`${pagePath}\`; review it before merging.`
      : `Readers asked this ${topic.count} time(s) in the last ${days} days and the docs did not answer them${counts.length ? ` (${counts.join(', ')})` : ''}.`,
    '',
    '### The questions',
    ...topic.questions.map((question) => `- “${quote(question.text)}” (${KIND_LABELS[question.kind]}, ${question.createdAt.slice(0, 10)})`),
  ];
  if (topic.reasons.length > 0) lines.push('', '### What readers said was missing', ...topic.reasons.map((reason) => `- “${quote(reason)}”`));
  if (topic.answers.length > 0) lines.push('', '### What the maintainers answered', ...topic.answers.map((answer) => `- ${quote(answer)}`));
  lines.push('', '### Nearest docs sections');
  if (nearest.length === 0) lines.push('- None: the docs have nothing near this; it likely needs a new page.');
  for (const section of nearest) {
    const url = /^https?:\/\//.test(section.url) ? section.url : `${siteUrl}${section.url}`;
    lines.push(`- [${section.title}${section.heading && section.heading !== section.title ? ` › ${section.heading}` : ''}](${url}) (\`${section.path}\`, ${section.kind})`);
  }
  if (kind === 'issue' && pagePath) lines.push('', `The answer most likely belongs in \`${pagePath}\`.`);
  lines.push('', `_Drafted by Paste Assistant from the maintainers' dashboard (topic ${topic.id})._`);
  return lines.join('\n');
}
