import { isSetupHeading, isSetupQuestion } from '../../relevance/setup-intent';
import type { TTextAnnotation } from '../../db/rows';
import { answeredByText, citedSourceOf, dayOf } from '../../shared/docs';
import { docsSearchHref } from '../../shared/links';
import { guidePageOf } from '../../relevance/page-kind';
import { fusionShare } from '../../relevance/rank-fusion';
import { isHowToQuestion, showsHow } from '../../relevance/section-shape';
import { answerMatches, contentTerms, isYesNoQuestion, sentencesOf, type TAnswerMatch } from '../../relevance/answering';
import { isProblemQuestion, LONG_REPORT_WORDS } from '../../relevance/problem';
import type { TPassage } from '../types';
import { apiExcerpt } from './api-excerpt';
import { codeQuote } from './code-excerpt';
import { excerpt } from './excerpt';
import { offlineLine } from './lines';
import type { TQuestionLanguage } from '../../relevance/language';
import { choiceLabel, CHOICES_METADATA_KEY, choicesFor, type TChoice } from '../../shared/choices';
import { escapeRegExp } from '../../shared/text';

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
export function fuseRankings(rankings: TPassage[][]): TPassage[] {
  const fused = new Map<string, { result: TPassage; score: number; seen: number }>();
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

/** The fused results an answer chooses its lead and its other quoted sections from. */
const CANDIDATES = 8;
/**
 * How the lead and the other quoted sections are chosen, fitted on the tuning questions (scripts/eval-answers.ts):
 * - rankPrior: how much the search's order counts beside the section's text (answerMatches,
 *   lib/relevance/answering.ts): a candidate at rank r (0-based) gets rankPrior / (r + 1);
 * - showsHow: what a how-to question's section that shows how (steps or code) gets more;
 * - nearlyAsStrong: another section is quoted beside the lead when its score is at least this share of the lead's;
 * - strongCoverage: the lead's name says it may not answer all of the question unless its heading and one sentence
 *   hold this share of it;
 * - otherPage: a section on another page than those quoted is quoted when its score is at least this share of the
 *   lead's: the largest share at which a right page is among the cited pages most often on the tuning questions
 *   (0.6: 0.806, 0.5: 0.851, 0.45: 0.896, 0.4 and below: 0.910 on the Paste tuning sets; scripts/eval-answers.ts).
 */
export const ANSWER_CHOICE = { rankPrior: 0.8, showsHow: 0.15, nearlyAsStrong: 0.6, strongCoverage: 0.6, otherPage: 0.4, choiceMargin: 0.9 };
const MAX_QUOTED = 3;
/** A question longer than this (in words) says enough to be about one thing: it is offered no choice. */
const CHOICE_MAX_WORDS = 20;
/** A yes/no question is answered "no" by a sentence that forbids it and holds at least this share of the question's terms the docs use. */
const NO_COVERAGE = 0.6;

type TScored = { result: TPassage; rank: number; score: number; match: TAnswerMatch };

/** The candidates with their scores: the text's match to the question, the search's order, and a how-to's steps. */
function scoreCandidates(results: TPassage[], question: string, feedback: string): TScored[] {
  const candidates = results.slice(0, CANDIDATES);
  const asked = answerMatches(question, candidates);
  // The feedback words are a thread's title: a thread is judged by the question alone, or it would match itself.
  const matches = feedback === '' ? asked : answerMatches(`${question}\n${feedback}`, candidates);
  const isHowTo = isHowToQuestion(question);
  return candidates.map((result, rank) => {
    const match = (isMaintainersKind(result) ? asked[rank] : matches[rank]) as TAnswerMatch;
    const score = match.coverage + ANSWER_CHOICE.rankPrior / (rank + 1) + (isHowTo && showsHow(result.content) ? ANSWER_CHOICE.showsHow : 0);
    return { result, rank, score, match };
  });
}

/** The best-scored, the earlier on a tie (sort is stable). */
function byScore(scored: TScored[]): TScored[] {
  return [...scored].sort((a, b) => b.score - a.score);
}

/**
 * The "no" a yes/no question gets: the candidate whose best sentence forbids what the question asks ("Do not use a
 * Tooltip on a disabled Button") and holds most of it, with the sentence after it when it says why.
 */
function noVerdict(scored: TScored[], question: string): { entry: TScored; quote: string } | null {
  if (!isYesNoQuestion(question)) return null;
  const forbidding = byScore(scored.filter((entry) => !isMaintainersKind(entry.result) && entry.match.prohibitionShare >= NO_COVERAGE));
  const entry = forbidding[0];
  if (!entry) return null;
  const sentences = sentencesOf(entry.result.content);
  const at = sentences.indexOf(entry.match.prohibition);
  const next = at >= 0 ? sentences[at + 1] : undefined;
  // The next sentence says why when it is short and in the same breath (not a new item or a heading-like line).
  const why = next && next.length <= 200 && /[.!]$/.test(next) && !/^[A-Z][^.!?]*:$/.test(next) ? ` ${next}` : '';
  return { entry, quote: `${entry.match.prohibition}${why}` };
}

/**
 * The best-scored candidate, except that a question that brings no problem (how to do something, what to use) is led
 * by the docs when a thread above them holds no more of the question than the best docs section does: the thread was
 * ahead by the search's order alone, and a thread is one reader's case where the docs say how it works. A thread that
 * holds more of the question (it names the reader's browser, error or case) still leads. An approved answer is the
 * maintainers' word for every reader, and leads when it is the best.
 */
function leadCandidate(scored: TScored[], isProblem: boolean): TScored {
  const ranked = byScore(scored);
  const best = ranked[0] as TScored;
  if (best.result.kind !== 'thread' || isProblem) return best;
  const docs = ranked.find((entry) => !isMaintainersKind(entry.result));
  return docs && docs.match.coverage >= best.match.coverage - 1e-9 ? docs : best;
}

/**
 * The lead: the page is the best-scored section's (the search's order counts there: it ranks pages well), and the
 * section on that topic is the one whose text holds the most of the question, its heading counting twice (a
 * section headed with what is asked is about it), not the page's introduction that the search ranked first. A tie
 * keeps the search's order.
 */
function sectionThatAnswers(scored: TScored[], isProblem: boolean, isSetup: boolean): TScored {
  const best = leadCandidate(scored, isProblem);
  const onTopic = scored.filter((entry) => isSameTopic(entry.result.url, best.result.url));
  // A setup question whose search put the page's setup section first on the page ("Slack setup › Configure the
  // server" for "How do I connect the assistant to Slack?") is answered by it: the sections that write the page's
  // subject on every line ("Replies from Slack") hold more of the question's words, not more of its answer.
  const searchFirst = onTopic.reduce<TScored | undefined>((first, entry) => (first === undefined || entry.rank < first.rank ? entry : first), undefined);
  if (isSetup && searchFirst && isSetupHeading(searchFirst.result.heading)) return searchFirst;
  const textScore = (entry: TScored) => entry.match.coverage + entry.match.headingCoverage + (entry.score - entry.match.coverage - ANSWER_CHOICE.rankPrior / (entry.rank + 1));
  return onTopic.reduce((lead, entry) => (textScore(entry) > textScore(lead) + 1e-9 ? entry : lead), onTopic[0] ?? best);
}

/**
 * The sections quoted after the lead: first those on other pages (other topics, isSameTopic) nearly as strong
 * (`nearly`), or on another page and at least ANSWER_CHOICE.otherPage of the lead's score; then the lead's page's own
 * nearly-as-strong sections, up to MAX_QUOTED in all. The search ranks pages less surely than it finds them (a right
 * page is in its top 3 far more often than first), so a second page close behind the lead is worth quoting; the
 * opening then says these are the sections closest to the question unless the lead answers it (opening()).
 * `others` is every other docs section, best-scored first; `nearly` those of them at least nearlyAsStrong.
 */
function sectionsBeside(leadEntry: TScored, nearly: TScored[], others: TScored[]): TScored[] {
  const chosen: TScored[] = [];
  const topics = [leadEntry.result.url];
  const otherFloor = leadEntry.score * ANSWER_CHOICE.otherPage;
  // A section whose text one already quoted has (a partial two pages show, a paragraph copied) is not quoted twice:
  // it is left for Related, which links its page.
  const texts = new Set([sameText(leadEntry.result.content)]);
  const isNew = (entry: TScored) => !texts.has(sameText(entry.result.content));
  const choose = (entry: TScored) => {
    chosen.push(entry);
    texts.add(sameText(entry.result.content));
  };
  for (const entry of others) {
    if (chosen.length === MAX_QUOTED - 1) break;
    if (topics.some((url) => isSameTopic(url, entry.result.url)) || !isNew(entry)) continue;
    if (!nearly.includes(entry) && entry.score < otherFloor) continue;
    choose(entry);
    topics.push(entry.result.url);
  }
  for (const entry of nearly) if (chosen.length < MAX_QUOTED - 1 && !chosen.includes(entry) && isNew(entry)) choose(entry);
  return chosen;
}

/** A section's text as compared for sameness: its words, lower-cased, whatever the spacing and punctuation. */
function sameText(content: string): string {
  return content.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * What comes before the sections (issue 69: the answer starts with what answers, not with a line about it): nothing,
 * unless the question names something the docs never mention, which is said first, the sections then being the closest
 * the docs come. Whether the lead answers is said after its name, in a few words, and only when it may not
 * (lowConfidenceNote).
 */
function opening(quoted: number, absentNames: string[], language: TQuestionLanguage): string {
  if (absentNames.length === 0) return '';
  const names = absentNames.map((name) => escapeMarkdown(name)).join(' or ');
  return `${offlineLine(language, 'notMentioned', { names })} ${offlineLine(language, quoted === 1 ? 'closestOne' : 'closestMany')}`;
}

/**
 * The answer: the section whose text answers the question leads (its heading and one sentence hold most of what the
 * question asks, weighed with the search's order: lib/relevance/answering.ts), quoted; up to two more sections nearly
 * as strong are quoted after it; the rest are listed as Related links, unquoted. It says the sections answer the
 * question only when the lead holds most of it, and otherwise that they are what the docs have closest. A yes/no
 * question whose section says not to ("Do not…", "never", "avoid") is answered no, with that sentence. A problem
 * (lib/relevance/problem.ts) with a thread among the results shows the thread beside the docs, its number and where
 * it stands; the thread leads when it is the stronger match (for a question that brings no problem, only when it holds
 * more of the question than the docs do: leadCandidate), the best docs section that shares the question's words
 * quoted after it. When the question names something the docs never mention, the answer says so first and calls the
 * sections the closest the docs come, not the answer.
 */
export function composeAnswer({
  results,
  searched,
  question,
  absentNames,
  feedback = '',
  language = 'en',
  isHandoffOn = false,
  asked = question,
}: {
  results: TPassage[];
  searched: string[];
  question: string;
  /** The reader's own words (without a quote's), which a clarifying choice asks again (choicesBetween). */
  asked?: string;
  absentNames: string[];
  /** Words a problem's thread adds to the question (respond.ts feedbackQuery): the sections are matched against both. */
  feedback?: string;
  /** The question's language: the answer's own lines are in it (lines.ts); the quotes stay as the docs wrote them. */
  language?: TQuestionLanguage;
  /** Whether a reader can hand the question to the maintainers (HANDOFF_TO set): only then does a not-covered answer say so. */
  isHandoffOn?: boolean;
}) {
  const unique = results.filter((result, index) => results.findIndex((other) => other.url === result.url) === index);
  if (unique.length === 0) return notCoveredAnswer(searched, language, { isHandoffOn });
  const scored = scoreCandidates(unique, question, feedback);
  const verdict = noVerdict(scored, question);
  const leadEntry = verdict?.entry ?? sectionThatAnswers(scored, isProblemQuestion(question), isSetupQuestion(question));
  // A thread or an approved answer that is the stronger match leads, with the maintainers' reply and where it stands.
  if (isMaintainersKind(leadEntry.result)) {
    const reordered = [leadEntry.result, ...unique.filter((result) => result !== leadEntry.result)];
    // The best docs section that holds any of the question is quoted after the thread: the docs say how it should
    // work, and the reader gets the page as well as one reader's case (on paste-real's tuned half with threads, a right
    // page cited 11 → 15 of 19, held out unchanged; scripts/eval-answers.ts).
    const docs = byScore(scored.filter((entry) => !isMaintainersKind(entry.result))).find((entry) => entry.match.coverage > 0);
    // A long report's next best thread is named after the lead's: the lead may be a neighbour of the report's own.
    const also = isLongReport(question) ? problemThreads(scored, unique, question).find((thread) => pageOf(thread.url) !== pageOf(leadEntry.result.url)) : undefined;
    return composeMaintainersAnswer({ results: reordered, searched, absentNames, language, docs: docs?.result, also, isHandoffOn });
  }
  const lead = leadEntry.result;
  const floor = leadEntry.score * ANSWER_CHOICE.nearlyAsStrong;
  const others = byScore(scored.filter((entry) => entry !== leadEntry && !isMaintainersKind(entry.result)));
  // Two API operations close together are both quoted: they are the ways the reference offers to do it.
  const nearly = others.filter((entry) => entry.score >= floor || (lead.kind === 'api' && entry.result.kind === 'api' && entry.rank < SECOND_SECTION_WITHIN));
  const beside = sectionsBeside(leadEntry, nearly, others);
  const quoted = [lead, ...beside.map((entry) => entry.result)];
  // A problem's best thread is shown beside the docs, not under Related: it is where the same problem was reported.
  const threads = problemThreads(scored, unique, question);
  const threadPages = new Set(threads.map((thread) => pageOf(thread.url)));
  const related = unique.filter((result) => !quoted.includes(result) && !threadPages.has(pageOf(result.url))).slice(0, MAX_RELATED);
  const isStrong = verdict !== null || leadEntry.match.coverage >= ANSWER_CHOICE.strongCoverage;
  let text = verdict ? `${offlineLine(language, 'answerNo')}\n\n${asQuotation(verdict.quote)}` : opening(quoted.length, absentNames, language);
  // The lead's name says, in a few words, that it may not answer all of the question when it holds little of it (and
  // no name the question uses is missing: that was said first).
  const lowConfidence = !isStrong && absentNames.length === 0 ? ` ${offlineLine(language, 'lowConfidence')}` : '';
  const annotations: TTextAnnotation[] = [];
  for (const [at, result] of quoted.entries()) {
    // The section's name is the citation (the reader's client lists it under Sources, once); the excerpt follows.
    const title = sectionTitle(result);
    const name = escapeMarkdown(title);
    const gap = text === '' ? '' : '\n\n';
    const start = text.length + `${gap}**`.length;
    const source = citedSourceOf(result);
    // Source code is quoted by the few lines that hold the question's words, cited to them (`path:line`, a link that
    // opens those lines): the citation opens them too.
    const code = result.kind === 'code' ? codeQuote(result, question) : null;
    annotations.push({ type: 'url_citation', url: code?.url ?? result.url, title, start_index: start, end_index: start + name.length, ...(source ? { source } : {}) });
    // An API operation is quoted as a developer needs it: method and path, what it does, a ready request.
    const quote = code ? codeQuoteText(code) : ((result.kind === 'api' ? apiExcerpt(result.content) : null) ?? excerpt(result.content));
    text += `${gap}**${name}**${at === 0 ? lowConfidence : ''}\n\n${quote}`;
    // Right after the lead: where the same problem was reported is the next thing a reader with a problem needs.
    if (at === 0 && threads.length > 0) text = withThreadLines(text, annotations, threads, language);
  }
  if (related.length > 0) {
    text += `\n\n**${offlineLine(language, 'related')}**\n\n${related.map((result) => `- [${escapeMarkdown(sectionTitle(result))}](${result.url})`).join('\n')}`;
  }
  // Only the closest sections: the button under the answer is named where the reader has it, as a not-covered answer does.
  if (absentNames.length > 0 && isHandoffOn) text += `\n\n${offlineLine(language, 'handoffIfNot')}`;
  // Pages about different things nearly equally: the answer is from the best, and each is offered as a choice.
  const choices = verdict === null && absentNames.length === 0 ? choicesBetween(leadEntry, scored, asked) : [];
  if (choices.length > 0) {
    const names = choices.map((choice) => `**${escapeMarkdown(choice.label)}**`);
    text += `\n\n${offlineLine(language, 'choices', { names: `${names.slice(0, -1).join(', ')} ${offlineLine(language, 'or')} ${names[names.length - 1]}`, lead: escapeMarkdown(choices[0]?.label ?? '') })}`;
  }
  text += searchedLine(searched, language);
  // A near miss is no answer: it counts with the questions the docs did not cover (the dashboard's gaps, Slack's flag).
  const metadata = absentNames.length > 0 ? { offline: true, no_docs_match: true, not_in_docs: absentNames } : { offline: true };
  return { type: 'message' as const, text, annotations, metadata: choices.length > 0 ? { ...metadata, [CHOICES_METADATA_KEY]: choices } : metadata };
}

/**
 * The clarifying choices (issue 71 item 4): when the best docs candidates on other topics (isSameTopic: another
 * component's page) score within ANSWER_CHOICE.choiceMargin of the lead, the question is as much about each, and each
 * page is offered, the lead's first (the answer is from it). A vague question ("make a popup") is held by each page
 * alike, so the search's order and the text's match decide, as for the lead. None when one topic stands ahead, or
 * the question is a problem or longer than CHOICE_MAX_WORDS. The margin is measured on the eval sets (scripts/eval-answers.ts: how often a
 * choice is offered, on questions that each have one right page).
 */
function choicesBetween(leadEntry: TScored, scored: TScored[], asked: string): TChoice[] {
  // A problem or a pasted report is about the reader's own case, not a word with several meanings.
  if (isProblemQuestion(asked) || (asked.match(/\S+/g) ?? []).length > CHOICE_MAX_WORDS) return [];
  const floor = leadEntry.score * ANSWER_CHOICE.choiceMargin;
  const topics: TScored[] = [leadEntry];
  for (const entry of byScore(scored)) {
    if (isMaintainersKind(entry.result) || entry.score < floor) continue;
    if (topics.some((topic) => isSameTopic(topic.result.url, entry.result.url))) continue;
    topics.push(entry);
  }
  if (topics.length >= 2) return choicesFor(topics.map((entry) => choiceLabel(entry.result.title)), asked);
  const alternatives = leadEntry.result.alternatives ?? [];
  return alternatives.length > 0 && isKindOfLead(leadEntry.result, asked) ? choicesFor([choiceLabel(leadEntry.result.title), ...alternatives], asked) : [];
}

/**
 * Whether a question names a kind of thing rather than the lead's page ("how do I make a popup?" led by Tooltip):
 * no word of the lead's page name is in it, and the lead's first sentence says its page is one, in the question's
 * word ("The Tooltip component is a popup…"). The pages the docs compare the lead with (its `alternatives`) are
 * then as likely to be meant.
 */
function isKindOfLead(lead: TPassage, asked: string): boolean {
  const askedTerms = new Set(contentTerms(asked));
  // A question that says more than the kind ("a popup with a hint when you hover") has told which one it means.
  if (askedTerms.size > KIND_QUESTION_MAX_TERMS) return false;
  if (contentTerms(choiceLabel(lead.title)).some((term) => askedTerms.has(term))) return false;
  const first = (sentencesOf(lead.content)[0] ?? '').toLowerCase();
  const words = [...new Set(asked.toLowerCase().match(/\p{L}[\p{L}\p{N}-]{2,}/gu) ?? [])].filter((word) => contentTerms(word).length > 0);
  // "is a popup", "are popups", "is an accessible popup": the word names what the page is, a word or two after.
  return words.some((word) => new RegExp(`\\b(?:is|are)\\s+(?:an?\\s+|the\\s+)?(?:[\\p{L}-]+\\s+){0,2}?${escapeRegExp(word)}s?\\b`, 'u').test(first));
}

/** A question naming a kind has at most this many content words ("make a popup": make, popup; "popup dialog form": 3). */
const KIND_QUESTION_MAX_TERMS = 3;


/** A report this long (in words) names its two best threads, not one: its own is often the search's second thread. */
const REPORT_THREADS_NAMED = 2;

/** A pasted report rather than a question: problem-shaped and longer than a question (lib/relevance/problem.ts). */
function isLongReport(question: string): boolean {
  return isProblemQuestion(question) && (question.match(/\S+/g) ?? []).length > LONG_REPORT_WORDS;
}

/**
 * A problem's threads to show beside the docs: the best-placed thread among the answer's candidates, else among all
 * the results (a report's threads come after its docs sections: lib/docs/search/thread-slots.ts), one per page; a long
 * report's two best. None for a question that is no problem.
 */
function problemThreads(scored: TScored[], unique: TPassage[], question: string): TPassage[] {
  if (!isProblemQuestion(question)) return [];
  const pages = new Set<string>();
  const threads: TPassage[] = [];
  for (const result of [...scored.map((entry) => entry.result), ...unique]) {
    if (result.kind !== 'thread' || pages.has(pageOf(result.url))) continue;
    pages.add(pageOf(result.url));
    threads.push(result);
  }
  return threads.slice(0, isLongReport(question) ? REPORT_THREADS_NAMED : 1);
}

/** `text` with where the same problem was reported: each thread's number and where it stands, then its title, cited. */
function withThreadLines(text: string, annotations: TTextAnnotation[], threads: TPassage[], language: TQuestionLanguage): string {
  let out = `${text}\n\n${offlineLine(language, 'reportedIn', { where: threads.map(threadWhere).join('; ') })}`;
  for (const thread of threads) {
    const title = escapeMarkdown(thread.title);
    const number = thread.number !== undefined ? `#${thread.number} ` : '';
    const start = out.length + `\n\n**${number}`.length;
    const source = citedSourceOf(thread);
    annotations.push({ type: 'url_citation', url: thread.url, title: thread.title, start_index: start, end_index: start + title.length, ...(source ? { source } : {}) });
    out += `\n\n**${number}${title}**`;
  }
  return out;
}

/** Kinds whose text is the maintainers' knowledge rather than the docs: a GitHub thread, an approved answer. */
function isMaintainersKind(result: TPassage): boolean {
  return result.kind === 'thread' || result.kind === 'answer';
}

/** A thread's sections holding a maintainer's reply: the GitHub source names them so (lib/docs/sources/github/thread.ts). */
const MAINTAINERS_HEADING = /^(Maintainers' answer|Accepted answer, by the maintainers)\b/;

/** The page a section is on: its URL without the anchor (a thread's page is its html_url). */
function pageOf(url: string): string {
  return url.split('#')[0] ?? url;
}

/** Where the thread stands, in words: an open thread is not fixed, a merged pull request is the fix. */
function threadWhere(lead: TPassage): string {
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
  docs,
  also,
  isHandoffOn = false,
}: {
  /** The best docs section that holds any of the question: quoted after the thread, with its citation. */
  docs?: TPassage;
  /** Another thread that may have settled the same problem: named after the quote. */
  also?: TPassage;
  results: TPassage[];
  searched: string[];
  absentNames: string[];
  language: TQuestionLanguage;
  /** The reader has "Ask the maintainers" under the answer: a near miss names it. */
  isHandoffOn?: boolean;
}) {
  const best = results[0] as TPassage;
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
  if (docs) {
    const docsTitle = sectionTitle(docs);
    const docsName = escapeMarkdown(docsTitle);
    const docsStart = text.length + '\n\n**'.length;
    const docsSource = citedSourceOf(docs);
    annotations.push({ type: 'url_citation', url: docs.url, title: docsTitle, start_index: docsStart, end_index: docsStart + docsName.length, ...(docsSource ? { source: docsSource } : {}) });
    text += `\n\n**${docsName}**\n\n${(docs.kind === 'api' ? apiExcerpt(docs.content) : null) ?? excerpt(docs.content)}`;
  }
  if (also) text = withThreadLines(text, annotations, [also], language);
  // The thread's other sections are the same source: Related lists other sources.
  const related = results.filter((result) => pageOf(result.url) !== pageOf(best.url) && result !== docs && (!also || pageOf(result.url) !== pageOf(also.url))).slice(0, MAX_RELATED);
  if (related.length > 0) {
    text += `\n\n**${offlineLine(language, 'related')}**\n\n${related.map((result) => `- [${escapeMarkdown(sectionTitle(result))}](${result.url})`).join('\n')}`;
  }
  if (absentNames.length > 0 && isHandoffOn) text += `\n\n${offlineLine(language, 'handoffIfNot')}`;
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

function sectionTitle(result: TPassage): string {
  return result.heading && result.heading !== result.title ? `${result.title} › ${result.heading}` : result.title;
}

/** A code quote in an answer: where it is (`path:line`, linked to its lines), then its lines. */
function codeQuoteText(code: { cite: string; url: string; text: string }): string {
  return `[\`${code.cite.replace(/`/g, '')}\`](${code.url})\n\n${code.text}`;
}

/** Section names are plain text in the answer: markdown characters in them are escaped. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|]/g, '\\$&');
}
