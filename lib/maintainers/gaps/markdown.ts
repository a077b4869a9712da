import { inertQuote, inertTitle } from '../../github/markdown';
import type { TGapNearestSection } from '../../shared/docs-gaps';
import type { TTopicCore } from './topics';

// The words of a draft: an issue (offline: no model to write the fix) listing the readers' questions, what they
// said was missing, the maintainers' answers and the nearest docs sections; a pull request's description, the same
// list above the change. Links to sections are absolute (SITE_URL): they are read on GitHub.
//
// A draft is posted under the maintainers' name, so readers' words in it, its title included, are quoted inertly
// (lib/github/markdown.ts): GitHub must not notify anyone they name, show an image they link, offer a link they
// wrote or cross-reference an issue they cite. A nearest section's title is quoted so too: a GitHub thread's title is
// someone's words.

const KIND_LABELS = { not_covered: 'the docs did not cover it', voted_down: 'answer voted down', maintainer: 'answered by a maintainer' } as const;

export function draftTitle(topic: TTopicCore, kind: 'pull' | 'issue'): string {
  const label = inertTitle(topic.topic, 90);
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
  const quote = (text: string) => inertQuote(text);
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
    lines.push(`- [${inertQuote(section.title, 200)}${section.heading && section.heading !== section.title ? ` › ${inertQuote(section.heading, 200)}` : ''}](${url}) (\`${section.path}\`, ${section.kind})`);
  }
  if (kind === 'issue' && pagePath) lines.push('', `The answer most likely belongs in \`${pagePath}\`.`);
  lines.push('', `_Drafted by Paste Assistant from the maintainers' dashboard (topic \`${topic.id}\`)._`);
  return lines.join('\n');
}
