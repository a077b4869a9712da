import type { TTextAnnotation } from '../../db/rows';
import { GET_RELEVANT_DOCS, type TDocsToolOutput, type TDocsToolResult } from '../tools';
import { titleFromQuestion } from '../titles';
import type { TInputItem, TModelClient, TModelResponse } from './types';

// The built-in model: no network, no keys. It asks for a docs search with the reader's question, then answers
// with the best sections as excerpts and links. Deterministic: the same question and docs give the same answer.

const MAX_SECTIONS = 3;
const EXCERPT_CHARS = 240;

export const OFFLINE_NO_MATCH_TEXT =
  'The docs don\'t cover that yet. Try different words (the name of a page, setting or route helps), ' +
  'or ask the maintainers, who read every conversation.';

/**
 * `delayMs` (OFFLINE_MODEL_DELAY_MS, for tests and demos) makes each response wait, as a slow model would;
 * `pieceMs` (OFFLINE_MODEL_PIECE_MS) spaces the words of the streamed answer, as a model writing it would.
 */
export function createOfflineModel({ delayMs = 0, pieceMs = 0 }: { delayMs?: number; pieceMs?: number } = {}): TModelClient {
  return {
    name: 'offline',
    mode: 'offline',
    async respond({ input, onDelta, signal }) {
      if (delayMs > 0) await wait(delayMs, signal);
      const response = respondOffline(input);
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

function respondOffline(input: TInputItem[]): TModelResponse {
  const questionIndex = findLastIndex(input, (item) => item.type === 'message' && item.role === 'user');
  const question = input[questionIndex];
  if (!question || question.type !== 'message') {
    return { output: { type: 'message', text: OFFLINE_NO_MATCH_TEXT, metadata: { offline: true, no_docs_match: true } } };
  }
  const afterQuestion = input.slice(questionIndex + 1);
  const outputs = afterQuestion.filter((item) => item.type === 'function_call_output');
  if (outputs.length === 0) {
    return {
      output: {
        type: 'tool_calls',
        calls: [{ call_id: 'call_offline_0', name: GET_RELEVANT_DOCS, arguments: JSON.stringify({ prompt: question.content }) }],
      },
    };
  }
  const results = outputs.flatMap((item) => parseResults(item.output));
  return { output: composeAnswer(results) };
}

function parseResults(output: string): TDocsToolResult[] {
  try {
    const parsed = JSON.parse(output) as TDocsToolOutput;
    return 'results' in parsed && Array.isArray(parsed.results) ? parsed.results : [];
  } catch {
    return [];
  }
}

function composeAnswer(results: TDocsToolResult[]) {
  const unique = results.filter((result, index) => results.findIndex((other) => other.url === result.url) === index);
  const top = unique.slice(0, MAX_SECTIONS);
  if (top.length === 0) {
    return { type: 'message' as const, text: OFFLINE_NO_MATCH_TEXT, metadata: { offline: true, no_docs_match: true } };
  }
  let text = top.length === 1 ? 'This section of the docs matches your question:\n\n' : 'These sections of the docs match your question:\n\n';
  const annotations: TTextAnnotation[] = [];
  top.forEach((result, index) => {
    const title = result.heading && result.heading !== result.title ? `${result.title} › ${result.heading}` : result.title;
    const prefix = `${index + 1}. `;
    const link = `[${escapeLinkText(title)}](${result.url})`;
    const start = text.length + prefix.length;
    annotations.push({ type: 'url_citation', url: result.url, title, start_index: start, end_index: start + link.length });
    const body = excerpt(result.content).replace(/\n/g, '\n   ');
    text += `${prefix}${link}\n   ${body}\n\n`;
  });
  return { type: 'message' as const, text: text.trimEnd(), annotations, metadata: { offline: true } };
}

const CODE_EXCERPT_LINES = 8;

type TBlock = { kind: 'prose' | 'code' | 'table'; text: string };

/** Sections are Markdown-ish: paragraphs, fenced code, pipe tables. Split them, keeping fences whole. */
function splitBlocks(content: string): TBlock[] {
  const blocks: TBlock[] = [];
  let lines: string[] = [];
  let isInFence = false;
  const flush = () => {
    const text = lines.join('\n').trim();
    lines = [];
    if (text === '') return;
    const kind = text.startsWith('```') ? 'code' : text.split('\n').every((line) => line.trimStart().startsWith('|')) ? 'table' : 'prose';
    blocks.push({ kind, text });
  };
  for (const line of content.split('\n')) {
    const isFence = line.trimStart().startsWith('```');
    if (!isInFence && isFence) flush();
    if (!isInFence && !isFence && line.trim() === '') {
      flush();
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

/**
 * A short excerpt: the section's prose, cut at a word; a section that is only code shows the start of its
 * code block instead (flattened code and tables read as noise).
 */
function excerpt(content: string): string {
  const blocks = splitBlocks(content);
  const prose = blocks.filter((block) => block.kind === 'prose').map((block) => block.text);
  const code = blocks.find((block) => block.kind === 'code');
  if (prose.length === 0 && code) {
    const lines = code.text.split('\n');
    const body = lines.slice(1, lines[lines.length - 1]?.trim().startsWith('```') ? -1 : undefined);
    const shown = body.slice(0, CODE_EXCERPT_LINES);
    if (body.length > shown.length) shown.push('…');
    return [lines[0], ...shown, '```'].join('\n');
  }
  const flat = (prose.length > 0 ? prose.join(' ') : content).replace(/\s+/g, ' ').trim();
  if (flat.length <= EXCERPT_CHARS) return flat;
  const lastSpace = flat.slice(0, EXCERPT_CHARS).lastIndexOf(' ');
  let cut = flat.slice(0, lastSpace > EXCERPT_CHARS / 2 ? lastSpace : EXCERPT_CHARS);
  // Never leave inline code open: an odd backtick would swallow the rest of the answer.
  if ((cut.match(/`/g) ?? []).length % 2 === 1) cut = cut.slice(0, cut.lastIndexOf('`')).trimEnd();
  return `${cut}…`;
}

function escapeLinkText(text: string): string {
  return text.replace(/[[\]]/g, '\\$&');
}

function findLastIndex<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index -= 1) {
    if (predicate(items[index] as T)) return index;
  }
  return -1;
}
