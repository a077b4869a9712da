import type { TTextAnnotation } from '../db/rows';
import { isHowToQuestion, showsHow } from '../docs/search/ranking/section-shape';
import { GET_RELEVANT_DOCS } from '../assistant/tools';
import { titleFromQuestion } from '../shared/titles';
import type { TDocsToolOutput, TDocsToolResult, TInputItem, TModelClient, TModelResponse } from './types';

// The built-in model: no network, no keys. It asks for a docs search with the reader's question (and, for a long
// question, a second with its opening sentence), then answers with the best section as an excerpt (a second on the
// same topic), and links to the other matches. Deterministic: the same question and docs give the same answer.

/** A second section is quoted only from this many of the best results (and only on the lead's topic). */
const SECOND_SECTION_WITHIN = 3;
/** Other matches listed as links under Related. */
const MAX_RELATED = 4;

export const OFFLINE_NO_MATCH_TEXT =
  "The docs don't cover this: nothing in them matches your question. Ask again naming the component, prop or " +
  'page you mean, or ask the maintainers, who read every conversation.';

/**
 * `delayMs` (OFFLINE_MODEL_DELAY_MS, for tests and demos) makes each response wait, as a slow model would;
 * `pieceMs` (OFFLINE_MODEL_PIECE_MS) spaces the words of the streamed answer, as a model writing it would.
 */
export function createOfflineModel({ delayMs = 0, pieceMs = 0 }: { delayMs?: number; pieceMs?: number } = {}): TModelClient {
  return {
    name: 'offline',
    mode: 'offline',
    async respond({ input, tools, onDelta, signal }) {
      if (delayMs > 0) await wait(delayMs, signal);
      const response = respondOffline(input, tools.some((tool) => tool.name === GET_RELEVANT_DOCS));
      if (response.output.type === 'message' && onDelta) await emitInPieces(response.output.text, onDelta, signal, pieceMs);
      return response;
    },
    async complete({ prompt, context }) {
      return { text: titleFromQuestion(context ?? prompt) };
    },
  };
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Streams the answer word by word, as a model would, yielding to the event loop (or waiting `pieceMs`)
 * between pieces so that readers of the stream see it grow. The answer is composed at once; only its
 * delivery is in pieces.
 */
export async function emitInPieces(text: string, onDelta: (text: string) => void, signal?: AbortSignal, pieceMs = 0): Promise<void> {
  for (const piece of text.match(/\s*\S+/g) ?? []) {
    if (signal?.aborted) throw signal.reason;
    onDelta(piece);
    if (pieceMs > 0) await wait(pieceMs, signal);
    else await new Promise((resolve) => setImmediate(resolve));
  }
}

/** What the offline model says to a run that does not offer it the docs search (a /v1 assistant's own tools). */
export const OFFLINE_NO_DOCS_TOOL_TEXT =
  'This server runs the offline model, which answers only from the docs, through a get_relevant_docs tool; this ' +
  'run offers no such tool. Configure a model (OPENAI_API_KEY or OPENAI_BASE_URL) for other assistants.';

function respondOffline(input: TInputItem[], hasDocsTool: boolean): TModelResponse {
  const questionIndex = findLastIndex(input, (item) => item.type === 'message' && item.role === 'user');
  const question = input[questionIndex];
  if (!question || question.type !== 'message') {
    return { output: { type: 'message', text: OFFLINE_NO_MATCH_TEXT, metadata: { offline: true, no_docs_match: true } } };
  }
  const afterQuestion = input.slice(questionIndex + 1);
  const outputs = afterQuestion.filter((item) => item.type === 'function_call_output');
  if (outputs.length === 0) {
    if (!hasDocsTool) return { output: { type: 'message', text: OFFLINE_NO_DOCS_TOOL_TEXT, metadata: { offline: true } } };
    const previous = findLast(input.slice(0, questionIndex), (item) => item.type === 'message' && item.role === 'user');
    const prompts = searchQueriesFor(question.content, previous?.type === 'message' ? previous.content : undefined);
    return {
      output: {
        type: 'tool_calls',
        calls: prompts.map((prompt, index) => ({ call_id: `call_offline_${index}`, name: GET_RELEVANT_DOCS, arguments: JSON.stringify({ prompt }) })),
      },
    };
  }
  const parsed = outputs.map((item) => parseOutput(item.output));
  const searched = parsed.map((output) => output.query).filter((query) => query !== '');
  const isWeak = parsed.every((output) => output.isWeak || output.results.length === 0);
  if (isWeak) return { output: notCoveredAnswer(searched) };
  const absentNames = [...new Set(parsed.flatMap((output) => output.absentNames))];
  return { output: composeAnswer({ results: fuseRankings(parsed.map((output) => output.results)), searched, question: question.content, absentNames }) };
}

// A long question is searched twice: whole, and by its opening sentence. Readers write the way they file an
// issue: what is wrong or wanted first ("Tooltip on a disabled button doesn't show tooltip."), then context,
// steps and versions whose words pull the search toward other pages (Button, for that one). The opening alone
// finds the subject; the whole question keeps what only the details say. On the real reader questions
// (evals/paste-real.json) the section an answer leads with moved from 18 to 22 of 36 on a right page; the
// hand-written one-sentence questions are searched once, as before.
const LONG_QUESTION_WORDS = 12;
const MIN_OPENING_WORDS = 2;

/**
 * The question's opening sentence when the question goes on after it: up to the first . ! or ? before a capital
 * (or a digit, quote or code), or the first colon before more words ("Dependency issue: when I install…").
 */
export function openingSentence(question: string): string | undefined {
  const text = question.replace(/\s+/g, ' ').trim();
  if ((text.match(/\S+/g) ?? []).length < LONG_QUESTION_WORDS) return undefined;
  const end = text.search(/(?:[.!?](?=\s+[\p{Lu}\p{N}"“'`(<@])|:(?=\s+\S))/u);
  if (end < 0) return undefined;
  // A sentence keeps its mark; a title's colon is dropped ("Dependency issue: when…" searches "Dependency issue").
  const opening = text.slice(0, text[end] === ':' ? end : end + 1).trim();
  const rest = text.slice(end + 1).trim();
  if (rest === '' || (opening.match(/[\p{L}\p{N}]+/gu) ?? []).length < MIN_OPENING_WORDS) return undefined;
  return opening;
}

/**
 * The searches the offline model asks for: the question (with a follow-up's context), and a long question's
 * opening — unless the question follows up on an earlier one, whose opening ("It still shows the old value.")
 * means nothing without that context.
 */
export function searchQueriesFor(question: string, previousQuestion?: string): string[] {
  const whole = searchQueryFor(question, previousQuestion);
  const opening = whole === question ? openingSentence(question) : undefined;
  return opening && opening !== whole ? [whole, opening] : [whole];
}

/** Reciprocal rank fusion's usual constant: a section's share from one search is 1 / (K + its rank). */
const FUSION_K = 60;

/**
 * One ranking from several searches' results (reciprocal rank fusion): a section found by both searches, or high
 * in either, comes first; ties keep the order in which the sections were first seen. One search's results keep
 * their order.
 */
export function fuseRankings(rankings: TDocsToolResult[][]): TDocsToolResult[] {
  const fused = new Map<string, { result: TDocsToolResult; score: number; seen: number }>();
  for (const ranking of rankings) {
    ranking.forEach((result, rank) => {
      const entry = fused.get(result.url) ?? { result, score: 0, seen: fused.size };
      entry.score += 1 / (FUSION_K + rank + 1);
      fused.set(result.url, entry);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || a.seen - b.seen).map((entry) => entry.result);
}

// Follow-ups. "and how do I make it disappear on its own?" asked after "How do I show a toast?" is about
// toasts: a question that is short, or opens with a pronoun or a joining word, is searched together with the
// key words of the reader's previous question.
const FOLLOW_UP_OPENERS = new Set(['it', 'its', 'this', 'that', 'these', 'those', 'they', 'them', 'their', 'and', 'but', 'also', 'so', 'or', 'then']);
const SHORT_QUESTION_WORDS = 5;
const FOLDED_TERMS = 6;
const COMMON_WORDS = new Set(
  ('a an the and or but so if then than of in on at to for from by with without about into over under as is are was were be been being ' +
    'do does did done have has had can could should would will shall may might must i me my we our you your it its this that these those ' +
    'they them their he she his her what which who whom whose when where why how there here not no yes all any some each every more most ' +
    'other such only own same just also very too again once get got make made use using used want need like way show tell please thanks').split(' '),
);

export function isFollowUp(question: string): boolean {
  const words = question.toLowerCase().match(/[\p{L}\p{N}'’]+/gu) ?? [];
  if (words.length === 0) return false;
  if (words.length <= SHORT_QUESTION_WORDS) return true;
  if (FOLLOW_UP_OPENERS.has(words[0] as string)) return true;
  return /^(what|how) about\b/i.test(question.trim());
}

/** What the offline model searches for: the question, with the previous question's key words for a follow-up. */
export function searchQueryFor(question: string, previousQuestion?: string): string {
  if (!previousQuestion || !isFollowUp(question)) return question;
  const asked = new Set((question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []));
  const keyTerms: string[] = [];
  for (const word of previousQuestion.match(/[\p{L}\p{N}][\p{L}\p{N}._@/-]*/gu) ?? []) {
    const lower = word.toLowerCase();
    if (COMMON_WORDS.has(lower) || lower.length < 3 || asked.has(lower) || keyTerms.some((term) => term.toLowerCase() === lower)) continue;
    keyTerms.push(word);
    if (keyTerms.length === FOLDED_TERMS) break;
  }
  return keyTerms.length === 0 ? question : `${question} ${keyTerms.join(' ')}`;
}

type TParsedOutput = { query: string; results: TDocsToolResult[]; isWeak: boolean; absentNames: string[] };

function parseOutput(output: string): TParsedOutput {
  const none = { query: '', results: [], isWeak: true, absentNames: [] };
  try {
    const parsed = JSON.parse(output) as TDocsToolOutput;
    if (!('results' in parsed) || !Array.isArray(parsed.results)) return none;
    return {
      query: typeof parsed.query === 'string' ? parsed.query : '',
      results: parsed.results,
      isWeak: parsed.evidence === 'weak',
      absentNames: Array.isArray(parsed.not_in_docs) ? parsed.not_in_docs.filter((name) => typeof name === 'string') : [],
    };
  } catch {
    return none;
  }
}

/** The reader can search the docs with the words the assistant used: a link to the docs with the search filled in. */
export function docsSearchHref(query: string): string {
  return `/docs?${new URLSearchParams({ q: query }).toString()}`;
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

function searchedLine(searched: string[]): string {
  const shown = [...new Set(searched)].map((query) => `“${shownQuery(query)}”`);
  return shown.length === 0 ? '' : `\n\n_Searched the docs for ${shown.join(' and ')}._`;
}

function notCoveredAnswer(searched: string[]) {
  const query = searched[searched.length - 1] ?? '';
  const search = query === '' ? '' : ` You can [search the docs](${docsSearchHref(query)}) with other words, or`;
  const text =
    `The docs don't cover this: nothing in them matches your question well enough to answer it.${search || ' You can'} ` +
    `ask again naming the component, prop or page you mean, or ask the maintainers, who read every conversation.` +
    searchedLine(searched);
  return { type: 'message' as const, text, annotations: [], metadata: { offline: true, no_docs_match: true } };
}

/**
 * A component page's tabs: its API and changelog pages beside its guide (api.mdx and changelog.mdx next to
 * index.mdx, published as /docs/components/button/api and …/changelog), as the indexer tells them apart
 * (pageKind in lib/docs/search/ranking/build.ts).
 */
const TAB_PAGES = new Set(['api', 'changelog']);

/** A section's topic: its page (the URL without anchor, query or trailing slash), a tab counting as its guide. */
function topicOf(url: string): string {
  const page = (url.split('#')[0] as string).split('?')[0]?.replace(/\/+$/, '') ?? '';
  const parts = page.split('/');
  return parts.length > 2 && TAB_PAGES.has(parts.at(-1) ?? '') ? parts.slice(0, -1).join('/') : page;
}

/**
 * Two sections are on one topic when they are on the same page, or on a component's guide and its tabs. A page
 * below another is not: the Upgrade Guide under Core is its own subject, and quoting Core after it buried the
 * upgrade steps under an overview.
 */
export function isSameTopic(a: string, b: string): boolean {
  return topicOf(a) === topicOf(b);
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
function opening(quoted: number, absentNames: string[]): string {
  if (absentNames.length > 0) {
    const names = absentNames.map((name) => escapeMarkdown(name)).join(' or ');
    return `The docs don't mention ${names}. ${quoted === 1 ? 'This is the closest section they have' : 'These are the closest sections they have'}; it may not be what you need.`;
  }
  return quoted === 1 ? 'This section of the docs answers your question.' : 'These sections of the docs answer your question.';
}

/**
 * The answer: the lead section, quoted (it is what answers); a second is quoted only when it is on the same topic
 * (same page, or the same component's guide and tabs) and ranked close behind; the rest are listed as Related
 * links, unquoted — quoting every match buried the answer under sections about something else. When the question
 * names something the docs never mention, the answer says so first and calls the sections the closest the docs
 * come, not the answer.
 */
function composeAnswer({ results, searched, question, absentNames }: { results: TDocsToolResult[]; searched: string[]; question: string; absentNames: string[] }) {
  const unique = results.filter((result, index) => results.findIndex((other) => other.url === result.url) === index);
  const lead = leadFor(unique, question);
  if (!lead) return notCoveredAnswer(searched);
  const rest = unique.filter((result) => result !== lead);
  const second = rest.slice(0, SECOND_SECTION_WITHIN - 1).find((result) => isSameTopic(result.url, lead.url));
  const quoted = second ? [lead, second] : [lead];
  const related = rest.filter((result) => result !== second).slice(0, MAX_RELATED);
  let text = opening(quoted.length, absentNames);
  const annotations: TTextAnnotation[] = [];
  for (const result of quoted) {
    // The section's name is the citation (the reader's client lists it under Sources, once); the excerpt follows.
    const title = sectionTitle(result);
    const name = escapeMarkdown(title);
    const start = text.length + '\n\n**'.length;
    annotations.push({ type: 'url_citation', url: result.url, title, start_index: start, end_index: start + name.length });
    text += `\n\n**${name}**\n\n${excerpt(result.content)}`;
  }
  if (related.length > 0) {
    text += `\n\n**Related**\n\n${related.map((result) => `- [${escapeMarkdown(sectionTitle(result))}](${result.url})`).join('\n')}`;
  }
  text += searchedLine(searched);
  // A near miss is no answer: it counts with the questions the docs did not cover (the dashboard's gaps, Slack's flag).
  const metadata = absentNames.length > 0 ? { offline: true, no_docs_match: true, not_in_docs: absentNames } : { offline: true };
  return { type: 'message' as const, text, annotations, metadata };
}

function sectionTitle(result: TDocsToolResult): string {
  return result.heading && result.heading !== result.title ? `${result.title} › ${result.heading}` : result.title;
}

const CODE_EXCERPT_LINES = 16;
const TABLE_EXCERPT_ROWS = 8;
const LIST_EXCERPT_ITEMS = 5;
const LIST_ITEM_CHARS = 220;
const PROSE_BUDGET = 400;
const PROSE_AFTER_BLOCK = 160;
const MAX_BLOCKS = 2;

type TBlock = { kind: 'prose' | 'code' | 'table' | 'list'; text: string };

const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s/;

/** Sections are markdown: paragraphs, fenced code, pipe tables, lists. Split them, keeping fences whole. */
function splitBlocks(content: string): TBlock[] {
  const blocks: TBlock[] = [];
  let lines: string[] = [];
  let isInFence = false;
  const flush = () => {
    const text = lines.join('\n').replace(/^\n+|\s+$/g, '');
    lines = [];
    if (text.trim() === '') return;
    const rows = text.split('\n');
    const kind = text.trimStart().startsWith('```')
      ? 'code'
      : rows.every((line) => line.trimStart().startsWith('|'))
        ? 'table'
        : LIST_ITEM.test(rows[0] as string)
          ? 'list'
          : 'prose';
    blocks.push({ kind, text });
  };
  let isFenceInList = false;
  let isBlankInList = false;
  for (const line of content.split('\n')) {
    const isFence = line.trimStart().startsWith('```');
    // After a blank line in a list, an indented line or another item goes on with the list; anything else ends it.
    if (isBlankInList && line.trim() !== '') {
      isBlankInList = false;
      if (/^\s/.test(line) || LIST_ITEM.test(line)) lines.push('');
      else flush();
    }
    // A fence indented under a list item is part of that item: the list keeps it, re-indented as it was.
    if (!isInFence && isFence && /^\s/.test(line) && lines.length > 0 && LIST_ITEM.test(lines[0] as string)) {
      isInFence = true;
      isFenceInList = true;
      lines.push(line);
      continue;
    }
    if (isInFence && isFenceInList) {
      lines.push(line);
      if (isFence) isInFence = isFenceInList = false;
      continue;
    }
    if (!isInFence && isFence) flush();
    if (!isInFence && !isFence && line.trim() === '') {
      // A blank line inside a list (before an item's indented paragraph, or between loose items) does not end it.
      if (lines.length > 0 && LIST_ITEM.test(lines[0] as string)) isBlankInList = true;
      else flush();
      continue;
    }
    lines.push(line);
    if (isFence) {
      isInFence = !isInFence;
      if (!isInFence) flush();
    }
  }
  flush();
  return blocks;
}

/** A paragraph (or a list's last line) that ends in a colon introduces the block after it: "Set it on the server:". */
const LEAD_IN = /:\s*$/;

/**
 * An excerpt that reads as the docs do: the section's opening prose cut at a sentence, and its first code
 * block, table or list kept as markdown (shortened, never cut open), in the order the section has them. At
 * most two such blocks, and prose after them only while the budget lasts. A lead-in is never left without
 * the block it introduces: that block is kept even when its kind was shown already or the blocks are used up,
 * and the excerpt ends after it.
 */
export function excerpt(content: string): string {
  const parts: string[] = [];
  let prose = 0;
  const kept = new Set<TBlock['kind']>();
  const blocks = splitBlocks(content);
  // Index of the block the last part came from: a lead-in introduces only the block right after it.
  let lastKept = -1;
  for (const [index, block] of blocks.entries()) {
    if (block.kind === 'prose') {
      if (prose >= PROSE_BUDGET) continue;
      const text = block.text.replace(/\s*\n\s*/g, ' ').trim();
      const cut = cutAtSentence(text, PROSE_BUDGET - prose);
      prose = cut.length < text.length ? PROSE_BUDGET : prose + cut.length;
      if (cut !== '') {
        parts.push(cut);
        lastKept = index;
      }
      continue;
    }
    const isIntroduced = lastKept === index - 1 && LEAD_IN.test(parts[parts.length - 1] ?? '');
    if (kept.has(block.kind) && !isIntroduced) continue;
    const isExtra = kept.has(block.kind);
    kept.add(block.kind);
    parts.push(block.kind === 'code' ? shortCode(block.text) : block.kind === 'table' ? shortTable(block.text) : shortList(block.text));
    lastKept = index;
    const next = blocks[index + 1];
    const isLeadingIn = LEAD_IN.test(parts[parts.length - 1] ?? '') && next !== undefined && next.kind !== 'prose';
    if ((isExtra || kept.size >= MAX_BLOCKS) && !isLeadingIn) break;
    // After a block, a little more prose at most (the sentence that explains it).
    prose = Math.max(prose, PROSE_BUDGET - PROSE_AFTER_BLOCK);
  }
  return parts.join('\n\n');
}

/** Whole sentences up to `budget` characters; the first sentence whole when it alone is longer (cut at a word). */
function cutAtSentence(text: string, budget: number): string {
  if (text.length <= budget) return closeInlineCode(text);
  // A sentence ends at . ! or ? before a space and a capital (or a quote, code, a digit): "Theme.Provider" does not.
  const sentences = text.split(/(?<=[.!?]["”’)]?)\s+(?=[\p{Lu}\p{N}"“'`(<*_[])/u).map((sentence) => `${sentence} `);
  let out = '';
  for (const sentence of sentences) {
    if (out.length + sentence.length > budget) break;
    out += sentence;
  }
  if (out.trim() !== '') return closeInlineCode(out.trim());
  if (budget < 80) return '';
  const first = sentences[0] as string;
  const lastSpace = first.slice(0, budget).lastIndexOf(' ');
  return `${closeInlineCode(first.slice(0, lastSpace > budget / 2 ? lastSpace : budget).trimEnd())}…`;
}

/** Never leave inline code open: an odd backtick would swallow the rest of the answer. */
function closeInlineCode(text: string): string {
  return (text.match(/`/g) ?? []).length % 2 === 1 ? text.slice(0, text.lastIndexOf('`')).trimEnd() : text;
}

/** The code's first lines, the fence closed at the indentation it opened with (inside a list item, that keeps it there). */
function shortCode(text: string): string {
  const lines = text.split('\n');
  const indent = (lines[0] as string).match(/^\s*/)?.[0] ?? '';
  const fence = (lines[0] as string).trimStart().match(/^`{3,}/)?.[0] ?? '```';
  const isClosed = lines.length > 1 && (lines[lines.length - 1] as string).trim().startsWith(fence);
  const body = lines.slice(1, isClosed ? -1 : undefined);
  const shown = body.slice(0, CODE_EXCERPT_LINES);
  if (body.length > shown.length) shown.push(`${indent}// …`);
  return [lines[0], ...shown, `${indent}${fence}`].join('\n');
}

function shortTable(text: string): string {
  const rows = text.split('\n').map((row) => row.trim());
  const isSeparator = (row: string) => /^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$/.test(row);
  const header = rows[0] as string;
  const body = rows.slice(1).filter((row) => !isSeparator(row));
  const columns = Math.max(1, header.split('|').length - 2);
  const shown = body.slice(0, TABLE_EXCERPT_ROWS);
  const table = [header, `|${' --- |'.repeat(columns)}`, ...shown].join('\n');
  return body.length > shown.length ? `${table}\n\n(${body.length - shown.length} more rows in the docs)` : table;
}

/** A top-level list item: its line, and what is under it (nested items, more text, a code fence), each as lines. */
type TListItem = { line: string; details: string[][] };

function listItems(text: string): TListItem[] {
  const items: TListItem[] = [];
  let fence: string[] | null = null;
  for (const line of text.split('\n')) {
    if (fence) {
      fence.push(line);
      if (line.trimStart().startsWith('```')) fence = null;
      continue;
    }
    if (line.trim() === '') continue;
    const last = items[items.length - 1];
    if (!last || /^([-*+]|\d+[.)])\s/.test(line)) {
      items.push({ line, details: [] });
      continue;
    }
    const detail = [line];
    last.details.push(detail);
    if (line.trimStart().startsWith('```')) fence = detail;
  }
  return items;
}

/** One line of a list, its indentation and marker kept, a long one ended at a sentence. */
function shortListLine(line: string): string {
  const marker = line.match(/^\s*(?:([-*+]|\d+[.)])\s)?/)?.[0] ?? '';
  const body = line.slice(marker.length);
  return `${marker}${body.length > LIST_ITEM_CHARS ? cutAtSentence(body, LIST_ITEM_CHARS) : body}`;
}

/**
 * The list's first items, each whole: what is under an item (a step's sub-list, its note, its code) is part of
 * the step. "3. Add the bot token scopes:" without the scopes under it answered nothing.
 */
function shortList(text: string): string {
  const items = listItems(text);
  const shown = items.slice(0, LIST_EXCERPT_ITEMS);
  const lines: string[] = [];
  for (const item of shown) {
    lines.push(shortListLine(item.line));
    let previous = item.line;
    for (const detail of item.details) {
      const first = detail[0] as string;
      // A note after a sub-list is the step's own paragraph again: a blank line keeps it out of the last sub-item.
      if (!LIST_ITEM.test(first) && LIST_ITEM.test(previous) && previous !== item.line) lines.push('');
      lines.push(detail.length > 1 ? shortCode(detail.join('\n')) : shortListLine(first));
      previous = first;
    }
  }
  // What was left out is said in words: a bare "- …" after a numbered list read as an empty step.
  if (items.length > shown.length) return `${lines.join('\n')}\n\n(${items.length - shown.length} more in the docs)`;
  return lines.join('\n');
}

/** Section names are plain text in the answer: markdown characters in them are escaped. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|]/g, '\\$&');
}

function findLast<T>(items: T[], predicate: (item: T) => boolean): T | undefined {
  const index = findLastIndex(items, predicate);
  return index < 0 ? undefined : items[index];
}

function findLastIndex<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index -= 1) {
    if (predicate(items[index] as T)) return index;
  }
  return -1;
}
