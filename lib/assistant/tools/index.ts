import { z } from 'zod';
import { listDocsAnchorsBySlugs } from '../../db/docs-index';
import type { TTextAnnotation, TToolCall } from '../../db/rows';
import { searchDocsWithModel, type TRerankDeps } from '../../docs/search/model-rerank';
import { searchDocsRanked, type TDocsSearchDeps } from '../../docs/search/search';
import { verifyDocsCitations } from '../../model/citations';
import type { TDocsToolOutput, TToolDefinition } from '../../model/types';

export const GET_RELEVANT_DOCS = 'get_relevant_docs';

// The arguments are the docs-search request body, as in the original: {prompt}.
const ZGetRelevantDocsArgs = z.object({ prompt: z.string().trim().min(1).max(1000) });

export const TOOL_DEFINITIONS: TToolDefinition[] = [
  {
    type: 'function',
    name: GET_RELEVANT_DOCS,
    description:
      'Search this site\'s documentation. Returns the most relevant sections with their title, URL and content, and ' +
      '"evidence": "weak" when none of them matches the question well. Call it before answering any question about ' +
      'the product, its setup, configuration or API. Call it again with your own words when the results are weak or ' +
      'miss part of the question: the names of components, props, settings or error messages, or the one thing a long ' +
      'question is about.',
    parameters: {
      type: 'object',
      properties: {
        prompt: {
          type: 'string',
          description: 'What to look for: the reader\'s question, or search words of your own (names beat sentences).',
        },
      },
      required: ['prompt'],
      additionalProperties: false,
    },
  },
];

/** What the tool tells the model when the results are weak (the relevance floor of lib/docs/search/search.ts). */
export const WEAK_RESULTS_NOTE =
  'These results are weak: none of them matches the question well, so the docs most likely do not cover it. ' +
  'Search once more with other words if the question names something specific; otherwise say plainly that the ' +
  'docs do not cover it, and cite nothing.';

/** What the tool tells the model when the question names something the docs never mention. */
export function notInDocsNote(names: string[]): string {
  return (
    `The docs never mention ${names.join(', ')}. These results are the closest they come: say plainly that the docs ` +
    'do not mention it, and do not present the results as the answer.'
  );
}

/** Sections one get_relevant_docs call returns (scripts/lib/search-cv.ts answers with as many). */
export const RESULTS_PER_CALL = 5;
const CONTENT_CHARS_PER_RESULT = 1500;

/**
 * The site assistant's tools, run by this server: get_relevant_docs is the docs search. `verifyAnswer` checks
 * the docs links of an answer against the index before it is stored (see verifyDocsCitations).
 */
/** `rerank`: set when a model reorders the search's results (DOCS_SEARCH_RERANK=model with a model configured). */
export type TAssistantToolsDeps = TDocsSearchDeps & { siteUrl: string; rerank?: TRerankDeps };

export function createAssistantTools(deps: TAssistantToolsDeps) {
  return {
    definitions: TOOL_DEFINITIONS,
    run: (call: TToolCall, context?: { page?: string }) => runToolCall({ deps, call, page: context?.page }),
    verifyAnswer: async (answer: { text: string; annotations: TTextAnnotation[] }) => {
      const checked = await verifyDocsCitations({
        ...answer,
        siteUrl: deps.siteUrl,
        resolveAnchors: (slugs) => listDocsAnchorsBySlugs({ db: deps.db, slugs }),
      });
      if (checked.dropped + checked.repaired > 0) {
        deps.log.info({ dropped: checked.dropped, repaired: checked.repaired }, 'answer links checked against the docs index');
      }
      return { text: checked.text, annotations: checked.annotations };
    },
  };
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
export async function runToolCall({ deps, call, page }: { deps: TDocsSearchDeps & { rerank?: TRerankDeps }; call: TToolCall; page?: string }): Promise<string> {
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
  const search = { deps, prompt: args.prompt, limit: page ? RESULTS_PER_CALL * 3 : RESULTS_PER_CALL, source: 'assistant' as const };
  const ranked = deps.rerank ? await searchDocsWithModel({ ...search, rerank: deps.rerank }) : await searchDocsRanked(search);
  const results = page ? preferPage(ranked.results, page) : ranked.results;
  const { isWeak, absentNames } = ranked;
  const output: TDocsToolOutput = {
    query: args.prompt,
    evidence: isWeak ? 'weak' : 'strong',
    ...(isWeak ? { note: WEAK_RESULTS_NOTE } : absentNames.length > 0 ? { note: notInDocsNote(absentNames) } : {}),
    ...(absentNames.length > 0 ? { not_in_docs: absentNames } : {}),
    results: results.map((hit) => ({
      title: hit.title,
      heading: hit.heading,
      url: hit.url,
      content: hit.content.slice(0, CONTENT_CHARS_PER_RESULT),
    })),
  };
  return JSON.stringify(output);
}
