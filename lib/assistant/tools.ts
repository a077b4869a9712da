import { z } from 'zod';
import type { TToolCall } from '../db/rows';
import { searchDocs, type TDocsSearchDeps } from '../docs/search';
import type { TToolDefinition } from './model/types';

export const GET_RELEVANT_DOCS = 'get_relevant_docs';

// The arguments are the docs-search request body, as in the original: {prompt}.
const ZGetRelevantDocsArgs = z.object({ prompt: z.string().trim().min(1).max(1000) });

export const TOOL_DEFINITIONS: TToolDefinition[] = [
  {
    type: 'function',
    name: GET_RELEVANT_DOCS,
    description:
      'Search this site\'s documentation. Returns the most relevant sections with their title, URL and content. ' +
      'Call it before answering any question about the product, its setup, configuration or API.',
    parameters: {
      type: 'object',
      properties: { prompt: { type: 'string', description: 'What to look for, in the reader\'s words.' } },
      required: ['prompt'],
      additionalProperties: false,
    },
  },
];

export type TDocsToolResult = { title: string; heading: string; url: string; content: string };
export type TDocsToolOutput = { query: string; results: TDocsToolResult[] } | { error: string };

const RESULTS_PER_CALL = 5;
const CONTENT_CHARS_PER_RESULT = 1500;

/** The site assistant's tools, run by this server: get_relevant_docs is the docs search. */
export function createAssistantTools(deps: TDocsSearchDeps) {
  return { definitions: TOOL_DEFINITIONS, run: (call: TToolCall, context?: { page?: string }) => runToolCall({ deps, call, page: context?.page }) };
}

/** Sections of this page may take at most this many of a search's results, ahead of the others. */
const PAGE_PREFERRED_RESULTS = 3;

/**
 * A question asked about a page ("Ask about this page", a selection on it): its sections that matched come
 * first (up to PAGE_PREFERRED_RESULTS, in their ranked order), then the rest of the ranking. Sections of other
 * pages that matched still make the list: the answer may be elsewhere.
 */
export function preferPage<T extends { url: string }>(hits: T[], page: string, limit = RESULTS_PER_CALL): T[] {
  const isOnPage = (hit: T) => hit.url.split('#')[0] === page;
  const onPage = hits.filter(isOnPage).slice(0, PAGE_PREFERRED_RESULTS);
  return [...onPage, ...hits.filter((hit) => !onPage.includes(hit))].slice(0, limit);
}

/** Runs one tool call. Bad arguments or an unknown tool become an output that says so, for the model to recover. */
export async function runToolCall({ deps, call, page }: { deps: TDocsSearchDeps; call: TToolCall; page?: string }): Promise<string> {
  if (call.function.name !== GET_RELEVANT_DOCS) {
    return JSON.stringify({ error: `Unknown tool "${call.function.name}". The only tool is ${GET_RELEVANT_DOCS}.` });
  }
  let args: z.infer<typeof ZGetRelevantDocsArgs>;
  try {
    args = ZGetRelevantDocsArgs.parse(JSON.parse(call.function.arguments));
  } catch {
    return JSON.stringify({
      error: `Invalid arguments for ${GET_RELEVANT_DOCS}: expected JSON like {"prompt": "what to look for"}.`,
    });
  }
  const hits = page
    ? preferPage(await searchDocs({ deps, prompt: args.prompt, limit: RESULTS_PER_CALL * 3, source: 'assistant' }), page)
    : await searchDocs({ deps, prompt: args.prompt, limit: RESULTS_PER_CALL, source: 'assistant' });
  const output: TDocsToolOutput = {
    query: args.prompt,
    results: hits.map((hit) => ({
      title: hit.title,
      heading: hit.heading,
      url: hit.url,
      content: hit.content.slice(0, CONTENT_CHARS_PER_RESULT),
    })),
  };
  return JSON.stringify(output);
}
