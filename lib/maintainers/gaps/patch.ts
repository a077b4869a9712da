import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { applyPatch, createTwoFilesPatch } from 'diff';
import type { TModelClient } from '../../model/types';
import type { TGapNearestSection } from '../../shared/docs-gaps';
import type { TTopicCore } from './topics';

// A drafted docs change, with a model: the docs page that should hold the topic's answer (the nearest page of
// DOCS_DIR's docs, else a new page named after the topic), a new section the model writes from the readers'
// questions, what they said was missing, the maintainers' answers and the nearest sections (threads and answers
// included), added at the page's end, and the unified diff of that change (jsdiff), relative to DOCS_DIR, so that
// `patch -p1` in DOCS_DIR applies it. The diff is applied back to the page before it is kept: a draft whose diff
// does not apply is never made.

const MAX_PAGE_CHARS = 12_000;
const MAX_CONTEXT_CHARS = 6000;

export type TPatchDeps = { model: TModelClient; config: { docsDir: string } };
export type TDocsPatch = { pagePath: string; isNewPage: boolean; before: string; after: string; diff: string; section: string };

/** A page path inside DOCS_DIR, or null: a path that leaves the folder is never read nor written. */
export function pageInDocs(docsDir: string, pagePath: string): string | null {
  const root = path.resolve(docsDir);
  const full = path.resolve(root, pagePath);
  return full.startsWith(`${root}${path.sep}`) ? full : null;
}

export function slugOf(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/g, '') || 'docs-gap'
  );
}

/** The page of DOCS_DIR that should hold the answer: the nearest docs page that is a file there, else a new one. */
export function choosePage(docsDir: string, topic: string, nearest: TGapNearestSection[]): { pagePath: string; isNewPage: boolean } {
  for (const section of nearest) {
    if (section.kind !== 'docs' || !/\.mdx?$/.test(section.path)) continue;
    const full = pageInDocs(docsDir, section.path);
    if (full && existsSync(full)) return { pagePath: section.path, isNewPage: false };
  }
  return { pagePath: `${slugOf(topic)}.mdx`, isNewPage: true };
}

export function buildDraftPrompt({ topic, page, nearest }: { topic: TTopicCore; page: { pagePath: string; isNewPage: boolean; before: string }; nearest: (TGapNearestSection & { content?: string })[] }): { prompt: string; context: string } {
  const lines = [
    `Readers of our docs asked the questions below, and the docs did not answer them. Write ONE new Markdown section for the docs page ${page.pagePath}${page.isNewPage ? ' (a new page)' : ''} that answers them.`,
    'Start with a "## " heading. Use only facts from the maintainers\' answers, the current page and the related sections given here; where a fact is missing, write "TODO (maintainers):" and what is missing instead of inventing it. Reply with the section only.',
    '',
    'Questions:',
    ...topic.questions.map((question) => `- ${question.text}`),
  ];
  if (topic.reasons.length > 0) lines.push('', 'What readers said was missing:', ...topic.reasons.map((reason) => `- ${reason}`));
  if (topic.answers.length > 0) lines.push('', "The maintainers' answers:", ...topic.answers.map((answer) => `- ${answer.replace(/\s+/g, ' ')}`));
  const context = [
    page.isNewPage ? '' : `Current page (${page.pagePath}):\n${page.before.slice(0, MAX_PAGE_CHARS)}`,
    ...nearest.filter((section) => section.content).map((section) => `Related section: ${section.title} › ${section.heading} (${section.kind})\n${section.content}`),
  ]
    .filter(Boolean)
    .join('\n\n')
    .slice(0, MAX_PAGE_CHARS + MAX_CONTEXT_CHARS);
  return { prompt: lines.join('\n'), context };
}

/** The model's reply as a section: fences and a preamble dropped, a heading made when it wrote none. */
export function sectionFromReply(reply: string, topic: string): string {
  let text = reply.trim();
  // A Markdown fence around the section (after a preamble, maybe), up to the last fence: code fences inside stay.
  const fenced = /```(?:md|mdx|markdown)[ \t]*\n([\s\S]*)\n```/i.exec(text) ?? /^```[ \t]*\n([\s\S]*)\n```$/.exec(text);
  if (fenced) text = fenced[1]!.trim();
  const heading = text.search(/^#{2,3} /m);
  if (heading > 0) text = text.slice(heading);
  if (!/^#{2,3} /.test(text)) text = `## ${topic}\n\n${text}`;
  return `${text.trim()}\n`;
}

/** The change, its diff, and the proof that the diff applies to the page as it is in DOCS_DIR. */
export function buildPatch({ docsDir, pagePath, isNewPage, section, title }: { docsDir: string; pagePath: string; isNewPage: boolean; section: string; title: string }): TDocsPatch {
  const full = pageInDocs(docsDir, pagePath);
  if (!full) throw new Error(`the page ${pagePath} is outside DOCS_DIR`);
  const before = isNewPage ? '' : readFileSync(full, 'utf8');
  const after = isNewPage
    ? `---\ntitle: ${JSON.stringify(title)}\n---\n\n${section}`
    : `${before.replace(/\s*$/, '')}\n\n${section}`;
  const diff = createTwoFilesPatch(isNewPage ? '/dev/null' : `a/${pagePath}`, `b/${pagePath}`, before, after, undefined, undefined, { context: 3 });
  if (applyPatch(before, diff) !== after) throw new Error(`the drafted diff does not apply to ${pagePath}`);
  return { pagePath, isNewPage, before, after, diff, section };
}

export async function draftPatch({ deps, topic, nearest, signal }: { deps: TPatchDeps; topic: TTopicCore; nearest: (TGapNearestSection & { content?: string })[]; signal?: AbortSignal }): Promise<TDocsPatch> {
  const page = choosePage(deps.config.docsDir, topic.topic, nearest);
  const full = pageInDocs(deps.config.docsDir, page.pagePath);
  const before = !page.isNewPage && full ? readFileSync(full, 'utf8') : '';
  const { prompt, context } = buildDraftPrompt({ topic, page: { ...page, before }, nearest });
  const reply = await deps.model.complete({ prompt, context, signal });
  const section = sectionFromReply(reply.text, topic.topic);
  return buildPatch({ docsDir: deps.config.docsDir, ...page, section, title: topic.topic });
}
