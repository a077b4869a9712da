import { contentForModel } from './quote';
import type { TInputItem, TPassagesOutput, TToolDefinition } from './types';

// What of the conversation goes to the model: the thread's history within a token budget (oldest turns dropped
// first, whole turns only), and the current question with this run's tool calls and outputs always, each tool
// output capped in size. Tokens are estimated (about four characters each) — no tokenizer ships with the app,
// and the budget is a cost guard, not the model's hard limit.

export const MAX_TOOL_OUTPUT_CHARS = 8_000;
const CHARS_PER_TOKEN = 4;
const TOKENS_PER_ITEM = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function estimateItemTokens(item: TInputItem): number {
  switch (item.type) {
    case 'message':
      return TOKENS_PER_ITEM + estimateTokens(contentForModel(item));
    case 'function_call':
      return TOKENS_PER_ITEM + estimateTokens(item.name) + estimateTokens(item.arguments);
    case 'function_call_output':
      return TOKENS_PER_ITEM + estimateTokens(item.output);
  }
}

export type TFittedInput = { items: TInputItem[]; droppedTurns: number; estimatedTokens: number };

/**
 * Keeps the current turn (the last user message and everything after it) whole, then as many of the previous
 * turns as fit in `budgetTokens`, newest first. A turn starts at a user message, so an answer is never sent
 * without its question.
 */
export function fitInputToBudget({
  input,
  instructions,
  tools,
  budgetTokens,
}: {
  input: TInputItem[];
  instructions: string;
  tools: TToolDefinition[];
  budgetTokens: number;
}): TFittedInput {
  const items = input.map((item) =>
    item.type === 'function_call_output' ? { ...item, output: capToolOutput(item.output) } : item,
  );
  let currentStart = -1;
  for (let index = items.length - 1; index >= 0; index -= 1) {
    const item = items[index] as TInputItem;
    if (item.type === 'message' && item.role === 'user') {
      currentStart = index;
      break;
    }
  }
  if (currentStart <= 0) {
    return { items, droppedTurns: 0, estimatedTokens: sumTokens(items) + fixedTokens(instructions, tools) };
  }

  const current = items.slice(currentStart);
  const turns: TInputItem[][] = [];
  for (const item of items.slice(0, currentStart)) {
    const startsTurn = item.type === 'message' && item.role === 'user';
    const last = turns[turns.length - 1];
    if (startsTurn || !last) turns.push([item]);
    else last.push(item);
  }

  let used = fixedTokens(instructions, tools) + sumTokens(current);
  const kept: TInputItem[][] = [];
  for (let index = turns.length - 1; index >= 0; index -= 1) {
    const turn = turns[index] as TInputItem[];
    const cost = sumTokens(turn);
    if (used + cost > budgetTokens) break;
    used += cost;
    kept.unshift(turn);
  }
  return { items: [...kept.flat(), ...current], droppedTurns: turns.length - kept.length, estimatedTokens: used };
}

function fixedTokens(instructions: string, tools: TToolDefinition[]): number {
  // What the adapters send of each tool (its declaration stays here).
  const sent = tools.map(({ type, name, description, parameters }) => ({ type, name, description, parameters }));
  return estimateTokens(instructions) + estimateTokens(JSON.stringify(sent));
}

function sumTokens(items: TInputItem[]): number {
  return items.reduce((total, item) => total + estimateItemTokens(item), 0);
}

/**
 * Caps a tool output at `maxChars`. An output in the passages envelope (TPassagesOutput: a search's, a page read)
 * keeps every section's title, heading and URL and shortens their content evenly, so it stays valid JSON and every
 * result stays citable; anything else is cut.
 */
export function capToolOutput(output: string, maxChars = MAX_TOOL_OUTPUT_CHARS): string {
  if (output.length <= maxChars) return output;
  let parsed: TPassagesOutput | undefined;
  try {
    parsed = JSON.parse(output) as TPassagesOutput;
  } catch {
    parsed = undefined;
  }
  if (parsed && 'results' in parsed && Array.isArray(parsed.results) && parsed.results.length > 0) {
    const { results } = parsed;
    const skeleton = JSON.stringify({ ...parsed, results: results.map((result) => ({ ...result, content: '' })) }).length;
    const perResult = Math.floor((maxChars - skeleton) / results.length) - 1;
    if (perResult > 0) {
      const capped = JSON.stringify({
        ...parsed,
        results: results.map((result) => ({ ...result, content: cutText(result.content, perResult) })),
      });
      if (capped.length <= maxChars) return capped;
    }
  }
  return cutText(output, maxChars);
}

function cutText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  // JSON escaping can make the serialized content longer than the text; leave room for it.
  return `${text.slice(0, Math.max(0, Math.floor(maxChars * 0.9) - 1))}…`;
}
