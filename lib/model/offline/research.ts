import type { TTextAnnotation } from '../../db/rows';
import { citedSourceOf } from '../../shared/docs';
import { docsSearchHref } from '../../shared/links';
import { answerMatches, contentTerms } from '../../relevance/answering';
import { guidePageOf } from '../../relevance/page-kind';
import type { TInputItem, TModelResponse, TPassage, TPassagesOutput, TResearchBudget, TToolDefinition } from '../types';
import { composeAnswer, fuseRankings, notCoveredAnswer } from './answer';
import { apiExcerpt } from './api-excerpt';
import { excerpt } from './excerpt';
import { searchQueriesFor } from './queries';
import { feedbackWords } from './respond';
import { offlineLine } from './lines';
import { withLanguageNote } from './language-note';
import { researchCount, researchLine } from './research-lines';
import { detectQuestionLanguage, type TQuestionLanguage } from '../../relevance/language';

// The offline model's research (issue 71): a research run, step by step, from its input items alone (deterministic:
// the same question and docs give the same steps and answer).
//   1. search: the question (as a quick answer searches it) and each component, prop or error it names;
//   2. search more: the titles of the threads met (their words for the same problem), and what the top results share;
//   3. read: the top pages whole, through the read tool (the tool that declares the role "read": the read gate, with the run's access);
//   4. answer: a summary, then up to five sections grouped by page, each saying which part of the question it answers,
//      and the parts nothing read answered. The first section is the one a quick answer leads with, so research
//      never starts worse than the quick answer; the rest come from the further searches and the pages read. When the
//      quick answer's searches found nothing (its not-covered answer), the research answer says first that the docs do
//      not cover it and lists what it found nearest as related reading, not as the answer (uncoveredResearch).
// A step is skipped when the run has too few steps left for it; once a bound has run out (no tools offered) it answers
// from what it holds and says so. Each step's calls are named by their phase (call ids), which is how a later step
// knows what was done, after a restart too.

const QUICK = 'call_research_q_';
const NAMED = 'call_research_named_';
const MORE = 'call_research_more_';
const FEEDBACK = 'call_research_feedback_';
const READ = 'call_research_read_';

/** Components, props and errors the question names that are searched on their own. */
const MAX_NAMED_SEARCHES = 3;
/** Threads whose titles are searched. */
const MAX_THREAD_SEARCHES = 2;
/** Pages read whole. */
const MAX_READS = 3;
/** Sections quoted in the answer, in all. */
export const MAX_RESEARCH_SECTIONS = 5;
/** Parts of the question told apart. */
const MAX_PARTS = 4;
/** A part counts as answered by a section that holds at least this share of its terms. */
const PART_COVERAGE = 0.5;

type TParsed = { callId: string; query: string; results: TPassage[]; isWeak: boolean; absentNames: string[]; isRead: boolean };

/**
 * One step of an offline research run. `tools`: what the step is offered (none once a bound ran out).
 * `budget`: what the run may still spend (lib/model/types.ts TResearchBudget).
 */
export function respondResearchOffline(
  input: TInputItem[],
  tools: TToolDefinition[],
  budget: TResearchBudget,
  { isHandoffOn = false }: { isHandoffOn?: boolean } = {},
): TModelResponse {
  const questionIndex = input.findLastIndex((item) => item.type === 'message' && item.role === 'user');
  const question = input[questionIndex];
  if (!question || question.type !== 'message') return { output: notCoveredAnswer([], 'en', { isHandoffOn }) };
  const after = input.slice(questionIndex + 1);
  const calls = after.flatMap((item) => (item.type === 'function_call' ? [item] : []));
  const outputs = new Map(after.flatMap((item) => (item.type === 'function_call_output' ? [[item.call_id, item.output] as const] : [])));
  const parsed = calls.flatMap((call): TParsed[] => {
    const output = outputs.get(call.call_id);
    return output === undefined ? [] : [parseOutput(call.call_id, output)];
  });
  const searchTool = tools.find((tool) => tool.declares?.role === 'search')?.name ?? null;
  const readTool = tools.find((tool) => tool.declares?.role === 'read')?.name ?? null;
  const done = (prefix: string) => calls.some((call) => call.call_id.startsWith(prefix));
  const previous = input.slice(0, questionIndex).findLast((item) => item.type === 'message' && item.role === 'user');
  const isBound = budget.bound !== null || searchTool === null;

  if (!isBound && !done(QUICK)) {
    const quick = searchQueriesFor(question.content, previous?.type === 'message' ? previous.content : undefined);
    const named = namedThings(question.content).filter((name) => !quick.includes(name)).slice(0, MAX_NAMED_SEARCHES);
    return toolCalls([
      ...quick.map((prompt, index) => ({ id: `${QUICK}${index}`, name: searchTool, args: { prompt } })),
      ...named.map((prompt, index) => ({ id: `${NAMED}${index}`, name: searchTool, args: { prompt } })),
    ]);
  }
  // Searching more leaves a step for the reads: only with three steps of tools left (more, read, and one to spare).
  if (!isBound && !done(MORE) && !done(FEEDBACK) && budget.stepsLeft >= 3) {
    const more = moreSearches(question.content, parsed);
    if (more.length > 0) return toolCalls(more.map(({ args, isFeedback }, index) => ({ id: `${isFeedback ? FEEDBACK : MORE}${index}`, name: searchTool, args })));
  }
  if (!isBound && readTool !== null && !done(READ) && budget.stepsLeft >= 1) {
    const pages = pagesToRead(parsed);
    if (pages.length > 0) return toolCalls(pages.map((url, index) => ({ id: `${READ}${index}`, name: readTool, args: { url } })));
  }
  // The answer's own lines in the question's language (research-lines.ts), as the quick answer's; the quotes stay English.
  const { language } = detectQuestionLanguage(question.content);
  const answer = researchAnswer({ question: question.content, parsed, budget, isBoundHit: budget.bound !== null, isHandoffOn, language });
  return { output: withLanguageNote(answer, question.content) };
}

function toolCalls(calls: { id: string; name: string | null; args: Record<string, unknown> }[]): TModelResponse {
  return {
    output: {
      type: 'tool_calls',
      calls: calls.map((call) => ({ call_id: call.id, name: call.name as string, arguments: JSON.stringify(call.args) })),
    },
  };
}

/**
 * What the question names: `code`, quoted text (an error's words), PascalCase components, camelCase and kebab-case
 * props, and Error names. Each is searched on its own (with the component named beside a prop) to find its page.
 */
export function namedThings(question: string): string[] {
  const found: string[] = [];
  const add = (name: string) => {
    const trimmed = name.trim();
    if (trimmed.length < 3 || trimmed.length > 120) return;
    if (!found.some((other) => other.toLowerCase() === trimmed.toLowerCase())) found.push(trimmed);
  };
  for (const match of question.matchAll(/`([^`\n]+)`/g)) add(match[1] as string);
  for (const match of question.matchAll(/["“]([^"”\n]{6,120})["”]/g)) add(match[1] as string);
  const words = question.replace(/`[^`\n]*`/g, ' ').match(/[A-Za-z][\w.-]*/g) ?? [];
  for (const [index, word] of words.entries()) {
    const bare = word.replace(/[.-]+$/, '');
    const isPascal = /^[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+$/.test(bare) || (/^[A-Z][a-z]{2,}$/.test(bare) && index > 0 && !/[.!?]$/.test(words[index - 1] ?? ''));
    const isCamel = /^[a-z]+(?:[A-Z][a-z0-9]*)+$/.test(bare);
    const isKebab = /^[a-z]+(?:-[a-z]+)+$/.test(bare);
    const isError = /(?:Error|Exception)$/.test(bare) && bare.length > 5;
    if (isPascal || isCamel || isKebab || isError) add(bare);
  }
  const components = found.filter((name) => /^[A-Z][a-z]/.test(name) && !/\s/.test(name));
  // A prop is searched with the component the question names (the prop's table is on the component's page).
  return found.map((name) => (/^[a-z]/.test(name) && !/\s/.test(name) && components[0] ? `${components[0]} ${name}` : name));
}

/** The second round: the threads' titles (their words for the same problem), and what the best results share. */
function moreSearches(question: string, parsed: TParsed[]): { args: Record<string, unknown>; isFeedback: boolean }[] {
  const searched = new Set(parsed.map((output) => output.query.toLowerCase()));
  const fused = fuseRankings(parsed.filter((output) => !output.isRead).map((output) => output.results));
  const searches: { args: Record<string, unknown>; isFeedback: boolean }[] = [];
  const add = (args: Record<string, unknown>, isFeedback = false) => {
    const prompt = String(args.prompt);
    if (prompt.trim() === '' || searched.has(prompt.toLowerCase())) return;
    searched.add(prompt.toLowerCase());
    searches.push({ args, isFeedback });
  };
  // The quick answer's feedback search, the same: the answer's lead is the quick answer's (researchAnswer).
  const feedback = feedbackWords(question, parsed.filter((output) => output.callId.startsWith(QUICK)));
  if (feedback) add({ prompt: `${feedback.subject} ${feedback.words}`, sources: DOCS_KINDS }, true);
  for (const thread of fused.filter((result) => result.kind === 'thread').slice(0, MAX_THREAD_SEARCHES)) add({ prompt: thread.title });
  const shared = sharedTerms(fused.slice(0, 5), question);
  if (shared.length > 0) add({ prompt: `${shared.join(' ')} ${keyWords(question)}`.trim() });
  return searches;
}

const DOCS_KINDS = ['docs', 'page', 'api', 'answer'];

/** The words of the best results' titles and headings that two or more of them use and the question does not. */
function sharedTerms(results: TPassage[], question: string): string[] {
  const asked = new Set(contentTerms(question));
  const counts = new Map<string, { count: number; word: string }>();
  for (const result of results) {
    const words = new Map<string, string>();
    for (const word of `${result.title} ${result.heading}`.match(/[\p{L}][\p{L}\p{N}-]*/gu) ?? []) {
      const [term] = contentTerms(word);
      if (term && !asked.has(term) && !words.has(term)) words.set(term, word);
    }
    for (const [term, word] of words) counts.set(term, { count: (counts.get(term)?.count ?? 0) + 1, word: counts.get(term)?.word ?? word });
  }
  return [...counts.values()].filter((entry) => entry.count >= 2).sort((a, b) => b.count - a.count).slice(0, 3).map((entry) => entry.word);
}

/** The question's words that say what it is about, at most eight. */
function keyWords(question: string): string {
  const seen = new Set<string>();
  const words: string[] = [];
  for (const word of question.match(/[\p{L}\p{N}][\p{L}\p{N}._-]*/gu) ?? []) {
    const [term] = contentTerms(word);
    if (!term || seen.has(term)) continue;
    seen.add(term);
    words.push(word);
    if (words.length === 8) break;
  }
  return words.join(' ');
}

/** The best pages of this site the searches found (not threads: the read tool reads this site's pages), each once. */
function pagesToRead(parsed: TParsed[]): string[] {
  const fused = fuseRankings(parsed.filter((output) => !output.isRead).map((output) => output.results));
  const pages: string[] = [];
  for (const result of fused) {
    if (result.kind === 'thread' || !result.url.startsWith('/')) continue;
    const page = pageOf(result.url);
    if (!pages.includes(page)) pages.push(page);
    if (pages.length === MAX_READS) break;
  }
  return pages;
}

function pageOf(url: string): string {
  return (url.split('#')[0] as string).replace(/\/+$/, '') || url;
}

/**
 * The question's parts: its sentences, and a sentence's clauses joined by "and" / "but" / ";" when each holds words of
 * its own. A part is what one section may answer; the answer says which parts nothing answered.
 */
export function questionParts(question: string): string[] {
  const sentences = question
    .replace(/```[\s\S]*?```/g, ' ')
    .split(/(?<=[?!.])\s+|\n+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => contentTerms(sentence).length > 0);
  const parts = sentences.flatMap((sentence) => {
    const clauses = sentence.split(/\s*(?:;|,?\s+\b(?:and|but|also|while)\b\s+)/i).map((clause) => clause.trim());
    return clauses.length > 1 && clauses.every((clause) => contentTerms(clause).length >= 2) ? clauses : [sentence];
  });
  return parts.slice(0, MAX_PARTS);
}

type TQuoted = { result: TPassage; part: string | null };

/** The answer: a summary, up to five sections by page with the part each answers, and what nothing answered. */
function researchAnswer({
  question,
  parsed,
  budget,
  isBoundHit,
  isHandoffOn,
  language,
}: {
  question: string;
  parsed: TParsed[];
  budget: TResearchBudget;
  isBoundHit: boolean;
  isHandoffOn: boolean;
  language: TQuestionLanguage;
}): Extract<TModelResponse['output'], { type: 'message' }> {
  const searches = parsed.filter((output) => !output.isRead);
  const reads = parsed.filter((output) => output.isRead && output.results.length > 0);
  const searched = searches.map((output) => output.query).filter((query) => query !== '');
  const stopped = isBoundHit ? `\n\n_${boundLine(budget, language)}_` : '';
  const isWeak = searches.every((output) => output.isWeak || output.results.length === 0);
  if (isWeak) {
    const answer = notCoveredAnswer(searched, language, { isHandoffOn });
    return { ...answer, text: `${answer.text}${stopped}`, metadata: { ...answer.metadata, research: true } };
  }
  // The lead: the section a quick answer leads with, from the quick searches (and their feedback search).
  const quickOutputs = searches.filter((output) => output.callId.startsWith(QUICK) || isFeedback(output));
  // What the question names that the docs never mention, as the quick answer reads it (its near miss: no_docs_match).
  const absentNames = [...new Set(quickOutputs.flatMap((output) => output.absentNames))];
  const quick = composeAnswer({
    results: fuseRankings(quickOutputs.map((output) => output.results)),
    searched,
    question,
    absentNames,
    feedback: feedbackWords(question, quickOutputs)?.words ?? '',
    language,
    isHandoffOn,
  });
  const searchResults = fuseRankings(searches.map((output) => output.results));
  const readSections = reads.flatMap((output) => output.results);
  const byUrl = new Map<string, TPassage>();
  for (const result of [...searchResults, ...readSections]) if (!byUrl.has(result.url)) byUrl.set(result.url, result);
  const leads = (quick.annotations ?? []).map((annotation) => byUrl.get(annotation.url)).filter((result): result is TPassage => result !== undefined);
  // The others: every section searched or read, by how much of the question they hold, then the searches' order.
  const pool = [...byUrl.values()].filter((result) => !leads.includes(result));
  const coverage = answerMatches(question, pool);
  const rankOf = new Map(searchResults.map((result, rank) => [result.url, rank]));
  const ranked = pool
    .map((result, index) => ({ result, score: (coverage[index]?.coverage ?? 0) + 0.5 / ((rankOf.get(result.url) ?? 20) + 1) }))
    .sort((a, b) => b.score - a.score)
    .map((entry) => entry.result);
  const parts = questionParts(question);
  const chosen = chooseSections(leads, ranked, parts);
  if (chosen.length === 0) {
    const answer = notCoveredAnswer(searched, language, { isHandoffOn });
    return { ...answer, text: `${answer.text}${stopped}`, metadata: { ...answer.metadata, research: true } };
  }
  const readPages = reads.map((output) => output.query);
  // Nothing answers, decided on the quick answer's own evidence (respond.ts): every one of its searches (the question's
  // words, and a problem's feedback search, made again here) came back weak, below the search's relevance floor
  // (EVIDENCE_FLOOR, lib/docs/search), or empty. The other searches are made from what those found (a thread's title, the words the results share, the
  // question's words beside them) and match those results by construction, and a page read is one of them: neither is
  // evidence that the docs answer the question, and counting them turned "how do I deploy to kubernetes with helm
  // charts?" into an answer from Chart Provider. A research answer is thus not covered exactly when its quick answer was.
  const isUncovered = quickOutputs.every((output) => output.isWeak || output.results.length === 0);
  if (isUncovered) return uncoveredResearch({ chosen, searched, readPages, stopped, language, isHandoffOn });
  return composeResearch({ chosen, parts, searched, readPages, stopped, absentNames, isHandoffOn, language });
}

function isFeedback(output: TParsed): boolean {
  return output.callId.startsWith(FEEDBACK);
}

/**
 * Up to five sections: the quick answer's (`leads`, the first of them first), then, for each part not yet answered, the
 * best section that answers it, then the best of the rest on pages not yet quoted (a page the searches rank high that
 * the quick answer left out is where research adds most); at most two a page, so that the answer spans the pages.
 */
function chooseSections(leads: TPassage[], ranked: TPassage[], parts: string[]): TQuoted[] {
  const candidates = [...leads, ...ranked];
  const unique = candidates.filter((result, index) => candidates.findIndex((other) => other.url === result.url) === index);
  const partOf = (result: TPassage) => bestPart(result, parts);
  const chosen: TQuoted[] = [];
  const perPage = new Map<string, number>();
  const take = (result: TPassage) => {
    const page = guidePageOf(result.url);
    if (chosen.length >= MAX_RESEARCH_SECTIONS || chosen.some((quoted) => quoted.result.url === result.url) || (perPage.get(page) ?? 0) >= 2) return;
    perPage.set(page, (perPage.get(page) ?? 0) + 1);
    chosen.push({ result, part: partOf(result) });
  };
  for (const lead of leads) take(lead);
  for (const part of parts) {
    if (chosen.some((quoted) => quoted.part === part)) continue;
    const answering = unique.slice(0, 20).find((result) => bestPart(result, [part]) === part);
    if (answering) take(answering);
  }
  for (const result of unique.slice(0, 12)) {
    if (!perPage.has(guidePageOf(result.url))) take(result);
  }
  return chosen;
}

/** The part of the question a section answers best (holding at least half of its terms), or null. */
function bestPart(result: TPassage, parts: string[]): string | null {
  let best: { part: string; coverage: number } | null = null;
  for (const part of parts) {
    const [match] = answerMatches(part, [result]);
    const coverage = match?.coverage ?? 0;
    if (coverage >= PART_COVERAGE && (!best || coverage > best.coverage)) best = { part, coverage };
  }
  return best?.part ?? null;
}

function boundLine(budget: TResearchBudget, language: TQuestionLanguage): string {
  if (budget.bound === 'seconds') return researchLine(language, 'boundSeconds', { seconds: budget.maxSeconds });
  if (budget.bound === 'tokens') return researchLine(language, 'boundTokens');
  return researchLine(language, 'boundSteps', { steps: budget.maxSteps });
}

/**
 * The answer when nothing the research found answers the question: it says so first, in the quick answer's words
 * (notCoveredAnswer), and that the research found nothing more; the nearest sections follow as related reading, links
 * and not quotes or citations (they are not the answer), then how to look further, as a not-covered quick answer ends.
 * Its metadata says no_docs_match as the quick answer's does: it counts as not covered on the dashboard, in the grades
 * and in the chat doors, and the reader is offered the hand-off.
 */
function uncoveredResearch({
  chosen,
  searched,
  readPages,
  stopped,
  language,
  isHandoffOn,
}: {
  chosen: TQuoted[];
  searched: string[];
  readPages: string[];
  stopped: string;
  language: TQuestionLanguage;
  isHandoffOn: boolean;
}): Extract<TModelResponse['output'], { type: 'message' }> {
  let text =
    `${offlineLine(language, 'notCovered')} ` +
    researchLine(language, 'nothingAnswers', { searches: researchCount(language, 'searches', searched.length), pages: researchCount(language, 'pages', readPages.length) });
  if (chosen.length > 0) {
    const links = chosen.map(({ result }) => `- [${escapeMarkdown(sectionTitle(result))}](${result.url})`);
    text += `\n\n**${researchLine(language, 'relatedReading')}**\n\n${links.join('\n')}`;
  }
  const query = searched[0] ?? '';
  const search = query === '' ? offlineLine(language, 'youCan') : offlineLine(language, 'searchAgain', { href: docsSearchHref(query) });
  text += `\n\n${search} ${offlineLine(language, isHandoffOn ? 'askAgainOrHandoff' : 'askAgain')}`;
  text += `\n\n_${trailLine(searched, readPages, language)}_${stopped}`;
  return { type: 'message', text, annotations: [], metadata: { offline: true, research: true, no_docs_match: true } };
}

function trailLine(searched: string[], readPages: string[], language: TQuestionLanguage): string {
  const queries = [...new Set(searched)].map((query) => `“${shown(query)}”`).join(', ');
  return readPages.length > 0 ? researchLine(language, 'trailRead', { queries, pages: readPages.join(', ') }) : researchLine(language, 'trail', { queries });
}

/**
 * The answer by page. When the question names something the docs never mention (the quick searches' not_in_docs, as
 * the quick answer reads them), that is said first, in the quick answer's words, and the sections are the closest the
 * docs come: the summary names no "closest answer", and the metadata says no_docs_match and not_in_docs as the quick
 * answer's does.
 */
function composeResearch({
  chosen,
  parts,
  searched,
  readPages,
  stopped,
  absentNames,
  isHandoffOn,
  language,
}: {
  chosen: TQuoted[];
  parts: string[];
  searched: string[];
  readPages: string[];
  stopped: string;
  absentNames: string[];
  isHandoffOn: boolean;
  language: TQuestionLanguage;
}): Extract<TModelResponse['output'], { type: 'message' }> {
  const isNear = absentNames.length > 0;
  const pages: { page: string; title: string; sections: TQuoted[] }[] = [];
  for (const quoted of chosen) {
    const page = guidePageOf(quoted.result.url);
    const group = pages.find((entry) => entry.page === page);
    if (group) group.sections.push(quoted);
    else pages.push({ page, title: quoted.result.title, sections: [quoted] });
  }
  const answered = parts.filter((part) => chosen.some((quoted) => quoted.part === part));
  const unanswered = parts.filter((part) => !answered.includes(part));
  const lead = chosen[0] as TQuoted;
  const more = pages.length - 1;
  const leadName = escapeMarkdown(sectionTitle(lead.result));
  const summary = researchLine(language, 'summary', { searches: researchCount(language, 'searches', searched.length), pages: researchCount(language, 'pages', readPages.length) });
  let text = isNear
    ? `${offlineLine(language, 'notMentioned', { names: absentNames.map(escapeMarkdown).join(` ${offlineLine(language, 'or')} `) })} ` +
      `${offlineLine(language, chosen.length === 1 ? 'closestOne' : 'closestMany')}\n\n${summary}`
    : `${summary} ${researchLine(language, more === 0 ? 'closest' : more === 1 ? 'closestMoreOne' : 'closestMoreMany', { lead: leadName, n: more })}`;
  const annotations: TTextAnnotation[] = [];
  for (const group of pages) {
    text += `\n\n### ${escapeMarkdown(group.title)}`;
    for (const quoted of group.sections) {
      const title = sectionTitle(quoted.result);
      const name = escapeMarkdown(title);
      const start = text.length + '\n\n**'.length;
      const source = citedSourceOf(quoted.result);
      annotations.push({ type: 'url_citation', url: quoted.result.url, title, start_index: start, end_index: start + name.length, ...(source ? { source } : {}) });
      const answers = `_${quoted.part ? researchLine(language, 'answers', { part: shown(quoted.part) }) : researchLine(language, 'related')}_`;
      const quote = (quoted.result.kind === 'api' ? apiExcerpt(quoted.result.content) : null) ?? excerpt(quoted.result.content);
      text += `\n\n**${name}** — ${answers}\n\n${quote}`;
    }
  }
  if (parts.length > 1 || unanswered.length > 0) {
    text +=
      unanswered.length === 0
        ? `\n\n_${researchLine(language, 'allAnswered')}_`
        : `\n\n${researchLine(language, 'notAnswered', { parts: unanswered.map((part) => `“${shown(part)}”`).join(` ${offlineLine(language, 'or')} `) })}`;
  }
  // Only the closest sections: the button under the answer is named, as the quick answer's near miss names it.
  if (isNear && isHandoffOn) text += `\n\n${offlineLine(language, 'handoffIfNot')}`;
  text += `\n\n_${trailLine(searched, readPages, language)}_`;
  text += stopped;
  const metadata: Record<string, unknown> = { offline: true, research: true, ...(isNear ? { no_docs_match: true, not_in_docs: absentNames } : {}) };
  if (unanswered.length > 0) metadata.research_unanswered = unanswered.length;
  return { type: 'message', text, annotations, metadata };
}

const SHOWN_CHARS = 90;
function shown(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= SHOWN_CHARS ? flat : `${flat.slice(0, SHOWN_CHARS).replace(/\s+\S*$/, '')}…`;
}

function sectionTitle(result: TPassage): string {
  return result.heading && result.heading !== result.title ? `${result.title} › ${result.heading}` : result.title;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|]/g, '\\$&');
}

function parseOutput(callId: string, output: string): TParsed {
  const isRead = callId.startsWith(READ);
  const none = { callId, query: '', results: [], isWeak: true, absentNames: [], isRead };
  try {
    const parsed = JSON.parse(output) as TPassagesOutput & { url?: string };
    if (!('results' in parsed) || !Array.isArray(parsed.results)) return none;
    return {
      callId,
      // A read is named by the page it read.
      query: isRead ? (typeof parsed.url === 'string' ? parsed.url : '') : typeof parsed.query === 'string' ? parsed.query : '',
      results: parsed.results,
      isWeak: parsed.evidence === 'weak',
      absentNames: Array.isArray(parsed.not_in_docs) ? parsed.not_in_docs.filter((name) => typeof name === 'string') : [],
      isRead,
    };
  } catch {
    return none;
  }
}
