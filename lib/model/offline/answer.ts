import type { TTextAnnotation } from '../../db/rows';
import { answeredByText, citedSourceOf, dayOf } from '../../shared/docs';
import { docsSearchHref } from '../../shared/links';
import { guidePageOf } from '../../relevance/page-kind';
import { fusionShare } from '../../relevance/rank-fusion';
import { isHowToQuestion, showsHow } from '../../relevance/section-shape';
import type { TDocsToolResult } from '../types';
import { apiExcerpt } from './api-excerpt';
import { excerpt } from './excerpt';
import { offlineLine } from './lines';
import type { TQuestionLanguage } from '../../relevance/language';

// The offline model's answer from the docs searches' results: the lead section quoted, a second on the same
// topic, the rest as Related links, and the searches it made; or, when nothing matched well, that the docs do
// not cover the question, with a link to search them. When a GitHub thread or an approved answer is the best
// source, the answer leads with the maintainers' reply and where the thread stands instead. Deterministic.

/** A second section is quoted only from this many of the best results (and only on the lead's topic). */
const SECOND_SECTION_WITHIN = 3;
/** Other matches listed as links under Related. */
const MAX_RELATED = 4;

/**
 * One ranking from several searches' results (reciprocal rank fusion, lib/relevance/rank-fusion.ts): a section found by
 * both searches, or high in either, comes first; ties keep the order in which the sections were first seen. One
 * search's results keep their order.
 */
export function fuseRankings(rankings: TDocsToolResult[][]): TDocsToolResult[] {
  const fused = new Map<string, { result: TDocsToolResult; score: number; seen: number }>();
  for (const ranking of rankings) {
    ranking.forEach((result, rank) => {
      const entry = fused.get(result.url) ?? { result, score: 0, seen: fused.size };
      entry.score += fusionShare(rank);
      fused.set(result.url, entry);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || a.seen - b.seen).map((entry) => entry.result);
}

/** A searched query is shown whole up to this many characters; a longer one (a whole bug report) is cut at a word. */
const SHOWN_QUERY_CHARS = 100;

function shownQuery(query: string): string {
  const text = query.replace(/\s+/g, ' ').trim();
  if (text.length <= SHOWN_QUERY_CHARS) return text;
  const cut = text.slice(0, SHOWN_QUERY_CHARS);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > SHOWN_QUERY_CHARS / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

function searchedLine(searched: string[], language: TQuestionLanguage): string {
  const shown = [...new Set(searched)].map((query) => `“${shownQuery(query)}”`);
  return shown.length === 0 ? '' : `\n\n_${offlineLine(language, 'searched', { queries: shown.join(` ${offlineLine(language, 'and')} `) })}_`;
}

/**
 * The answer when no search found anything good: the docs don't cover it, and how to look further (in `language`).
 * It sends the reader to the maintainers only when they can be asked (`isHandoffOn`: HANDOFF_TO names a channel).
 */
export function notCoveredAnswer(searched: string[], language: TQuestionLanguage = 'en', { isHandoffOn = false }: { isHandoffOn?: boolean } = {}) {
  const query = searched[searched.length - 1] ?? '';
  const search = query === '' ? offlineLine(language, 'youCan') : offlineLine(language, 'searchAgain', { href: docsSearchHref(query) });
  const text =
    `${offlineLine(language, 'notCovered')} ${search} ${offlineLine(language, isHandoffOn ? 'askAgainOrHandoff' : 'askAgain')}` +
    searchedLine(searched, language);
  return { type: 'message' as const, text, annotations: [], metadata: { offline: true, no_docs_match: true } };
}

/**
 * Two sections are on one topic when they are on the same page, or on a component's guide and its tabs
 * (guidePageOf, lib/relevance/page-kind.ts). A page below another is not: the Upgrade Guide under Core is its own
 * subject, and quoting Core after it buried the upgrade steps under an overview.
 */
export function isSameTopic(a: string, b: string): boolean {
  return guidePageOf(a) === guidePageOf(b);
}

/**
 * The section an answer leads with: the best, unless the question asks how to do something and the best only says
 * what the thing is or when to use it, while a section on the same topic close behind shows how (steps or code).
 */
function leadFor(results: TDocsToolResult[], question: string): TDocsToolResult | undefined {
  const [best] = results;
  if (!best || !isHowToQuestion(question) || showsHow(best.content)) return best;
  return results.slice(1, SECOND_SECTION_WITHIN + 1).find((result) => isSameTopic(result.url, best.url) && showsHow(result.content)) ?? best;
}

/** How the answer opens: it claims to answer only when nothing the question names is missing from the docs. */
function opening(quoted: number, absentNames: string[], language: TQuestionLanguage): string {
  if (absentNames.length > 0) {
    const names = absentNames.map((name) => escapeMarkdown(name)).join(' or ');
    return `${offlineLine(language, 'notMentioned', { names })} ${offlineLine(language, quoted === 1 ? 'closestOne' : 'closestMany')}`;
  }
  return offlineLine(language, quoted === 1 ? 'oneSection' : 'manySections');
}

/**
 * The answer: the lead section, quoted (it is what answers); a second is quoted only when it is on the same topic
 * (same page, or the same component's guide and tabs) and ranked close behind; the rest are listed as Related
 * links, unquoted — quoting every match buried the answer under sections about something else. When the question
 * names something the docs never mention, the answer says so first and calls the sections the closest the docs
 * come, not the answer.
 */
export function composeAnswer({
  results,
  searched,
  question,
  absentNames,
  language = 'en',
  isHandoffOn = false,
}: {
  results: TDocsToolResult[];
  searched: string[];
  question: string;
  absentNames: string[];
  /** The question's language: the answer's own lines are in it (lines.ts); the quotes stay as the docs wrote them. */
  language?: TQuestionLanguage;
  /** Whether a reader can hand the question to the maintainers (HANDOFF_TO set): only then does a not-covered answer say so. */
  isHandoffOn?: boolean;
}) {
  const unique = results.filter((result, index) => results.findIndex((other) => other.url === result.url) === index);
  // Only when a thread or an approved answer is the best source: a docs-led answer is composed as it always was.
  if (unique[0] && isMaintainersKind(unique[0])) return composeMaintainersAnswer({ results: unique, searched, absentNames, language });
  const lead = leadFor(unique, question);
  if (!lead) return notCoveredAnswer(searched, language, { isHandoffOn });
  const rest = unique.filter((result) => result !== lead);
  // Two API operations close together are both quoted: they are the ways the reference offers to do it (a search by
  // words ranks the one named like the question first, not always the one a developer means).
  const second = rest.slice(0, SECOND_SECTION_WITHIN - 1).find((result) => isSameTopic(result.url, lead.url) || (lead.kind === 'api' && result.kind === 'api'));
  const quoted = second ? [lead, second] : [lead];
  const related = rest.filter((result) => result !== second).slice(0, MAX_RELATED);
  let text = opening(quoted.length, absentNames, language);
  const annotations: TTextAnnotation[] = [];
  for (const result of quoted) {
    // The section's name is the citation (the reader's client lists it under Sources, once); the excerpt follows.
    const title = sectionTitle(result);
    const name = escapeMarkdown(title);
    const start = text.length + '\n\n**'.length;
    const source = citedSourceOf(result);
    annotations.push({ type: 'url_citation', url: result.url, title, start_index: start, end_index: start + name.length, ...(source ? { source } : {}) });
    // An API operation is quoted as a developer needs it: method and path, what it does, a ready request.
    const quote = (result.kind === 'api' ? apiExcerpt(result.content) : null) ?? excerpt(result.content);
    text += `\n\n**${name}**\n\n${quote}`;
  }
  if (related.length > 0) {
    text += `\n\n**${offlineLine(language, 'related')}**\n\n${related.map((result) => `- [${escapeMarkdown(sectionTitle(result))}](${result.url})`).join('\n')}`;
  }
  text += searchedLine(searched, language);
  // A near miss is no answer: it counts with the questions the docs did not cover (the dashboard's gaps, Slack's flag).
  const metadata = absentNames.length > 0 ? { offline: true, no_docs_match: true, not_in_docs: absentNames } : { offline: true };
  return { type: 'message' as const, text, annotations, metadata };
}

/** Kinds whose text is the maintainers' knowledge rather than the docs: a GitHub thread, an approved answer. */
function isMaintainersKind(result: TDocsToolResult): boolean {
  return result.kind === 'thread' || result.kind === 'answer';
}

/** A thread's sections holding a maintainer's reply: the GitHub source names them so (lib/docs/sources/github/thread.ts). */
const MAINTAINERS_HEADING = /^(Maintainers' answer|Accepted answer, by the maintainers)\b/;

/** The page a section is on: its URL without the anchor (a thread's page is its html_url). */
function pageOf(url: string): string {
  return url.split('#')[0] ?? url;
}

/** Where the thread stands, in words: an open thread is not fixed, a merged pull request is the fix. */
function threadWhere(lead: TDocsToolResult): string {
  const name = lead.number !== undefined ? `#${lead.number}` : 'a GitHub thread';
  if (lead.state === 'open') return `${name}, still open, not fixed yet`;
  const released = lead.releasedIn ? ` in ${lead.releasedIn}` : '';
  // A merged pull request is the fix itself: it is never said to be fixed by itself (#4102 "fixed by pull request #4102").
  if (lead.state === 'merged') {
    const merged = `${name}, a merged pull request`;
    return lead.releasedIn ? `${merged}, released in ${lead.releasedIn}` : merged;
  }
  // GitHub's state says closed, not why (fixed, not planned or a duplicate): the answer claims a fix only when GitHub
  // links one (a closing pull request or commit, lib/docs/sources/github/links.ts) that is another thread.
  const fixedBy = lead.fixedBy && lead.fixedBy !== name && !lead.fixedBy.endsWith(`#${lead.number}`) ? lead.fixedBy : undefined;
  if (lead.state === 'closed') return fixedBy ? `${name}, closed as fixed${released || ` by ${fixedBy}`}` : `${name}, since closed`;
  return name;
}

/**
 * The answer when a thread (or an approved answer) is the best source: it says so first — the maintainers'
 * explanation, where the thread stands — then quotes the maintainers' reply (the thread's best-ranked section of
 * theirs among the results; the best section itself when none was found, and then it does not claim they answered).
 * The quoted text is GitHub's, not ours: it is set as a quotation so that nothing in it reads as the answer's words.
 */
function composeMaintainersAnswer({
  results,
  searched,
  absentNames,
  language,
}: {
  results: TDocsToolResult[];
  searched: string[];
  absentNames: string[];
  language: TQuestionLanguage;
}) {
  const best = results[0] as TDocsToolResult;
  const samePage = results.filter((result) => pageOf(result.url) === pageOf(best.url));
  const reply = best.kind === 'answer' ? best : samePage.find((result) => MAINTAINERS_HEADING.test(result.heading));
  // With no maintainer's reply, the thread's question leads (its first section, headed by its title), not a reader's comment.
  const question = samePage.find((result) => result.heading === result.title);
  const quoted = reply ?? question ?? best;
  let text =
    best.kind === 'answer'
      ? `${answeredByText(dayOf(best.answeredAt))}: they answered this question before.`
      : reply
        ? `Maintainers answered this in ${threadWhere(best)}.`
        : `“${escapeMarkdown(best.title)}” was asked in ${threadWhere(best)}; no reply from the maintainers was found in it.`;
  const title = sectionTitle(quoted);
  const name = escapeMarkdown(title);
  // The number leads the name in the text; the citation is the name (the source list shows the number beside it).
  const number = best.number !== undefined ? `#${best.number} ` : '';
  const start = text.length + `\n\n**${number}`.length;
  const source = citedSourceOf(quoted);
  const annotations: TTextAnnotation[] = [
    { type: 'url_citation', url: quoted.url, title, start_index: start, end_index: start + name.length, ...(source ? { source } : {}) },
  ];
  text += `\n\n**${number}${name}**\n\n${asQuotation(excerpt(quoted.content))}`;
  // The thread's other sections are the same source: Related lists other sources.
  const related = results.filter((result) => pageOf(result.url) !== pageOf(best.url)).slice(0, MAX_RELATED);
  if (related.length > 0) {
    text += `\n\n**${offlineLine(language, 'related')}**\n\n${related.map((result) => `- [${escapeMarkdown(sectionTitle(result))}](${result.url})`).join('\n')}`;
  }
  text += searchedLine(searched, language);
  const metadata = absentNames.length > 0 ? { offline: true, no_docs_match: true, not_in_docs: absentNames } : { offline: true };
  return { type: 'message' as const, text, annotations, metadata };
}

/** Markdown as a block quotation, line by line (a fence inside stays a fence, inside the quotation). */
function asQuotation(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => (line.trim() === '' ? '>' : `> ${line}`))
    .join('\n');
}

function sectionTitle(result: TDocsToolResult): string {
  return result.heading && result.heading !== result.title ? `${result.title} › ${result.heading}` : result.title;
}

/** Section names are plain text in the answer: markdown characters in them are escaped. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|]/g, '\\$&');
}
