import { z } from 'zod';
import { searchDocsWithModel, type TRerankDeps } from '../../docs/search/model-rerank';
import { KNOWN_SOURCES_TEXT, ZSourcesFilter } from '../../docs/search/kinds';
import { searchDocsRanked, type TDocsSearchDeps } from '../../docs/search/search';
import { PUBLIC_SOURCE_KINDS } from '../../shared/docs';
import type { TPassagesOutput, TToolDefinition } from '../../model/types';
import { isAppError } from '../../errors';
import { isProblemQuestion } from '../../relevance/problem';
import { withReservedThreads, withThreadSlots } from '../../docs/search/thread-slots';
import { comparedPages } from '../../docs/gate';
import { resultContent } from './result-content';
import { defineTool, type TTool } from './tool';

// get_relevant_docs: the docs search as a tool. The model asks with words of its own (or the reader's); the
// output is the ranked sections, cut to size, in the passages envelope (lib/model/types.ts, TPassagesOutput), with a
// note when the results are weak or the question names something the docs never mention. It declares the role
// 'search': the offline model answers a question through it.

/** Its name, as the model calls it (and as a /v1 client names its own, lib/assistant/engine/model-io.ts). */
export const GET_RELEVANT_DOCS = 'get_relevant_docs';

/** `rerank`: set when a model reorders the search's results (DOCS_SEARCH_RERANK=model with a model configured). */
export type TGetRelevantDocsDeps = TDocsSearchDeps & { rerank?: TRerankDeps };

// The arguments are the docs-search request body, as in the original: {prompt}, and the kinds of source to
// search (`sources`). Any strings fit: an unknown kind is answered in the tool's output, naming the known ones,
// which tells the model more than "the arguments do not fit".
// `version`: the version of versioned docs; the conversation's own (run metadata `version`) wins over it, so that
// an answer never mixes versions. An unknown one is answered in the output too, naming the known ones.
const ZGetRelevantDocsArgs = z.object({
  // A whole bug report, as a reader pasted it (up to a message's length): searched by what distinguishes it.
  prompt: z.string().trim().min(1).max(8000),
  sources: z.array(z.string().max(100)).max(20).nullish(),
  version: z.string().trim().max(100).nullish(),
});

export const GET_RELEVANT_DOCS_DEFINITION: TToolDefinition = {
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
      // Required and nullable: the Responses API's strict mode (lib/model/responses.ts) needs every property listed.
      sources: {
        type: ['array', 'null'],
        items: { type: 'string', enum: [...PUBLIC_SOURCE_KINDS] },
        description: `Only results of these kinds of source (${KNOWN_SOURCES_TEXT}); null to search every kind.`,
      },
      version: {
        type: ['string', 'null'],
        description:
          'The version of the docs to search (e.g. "1.x"), when the docs have versions; null for the conversation\'s ' +
          'version, else the current one. A conversation started on a versioned page always searches that version.',
      },
    },
    required: ['prompt', 'sources', 'version'],
    additionalProperties: false,
  },
  declares: { output: 'passages', role: 'search' },
};

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

/** The kinds whose pages the docs compare by their headings: the docs' own and crawled pages (not threads, answers, code). */
const isPageOfDocs = (kind: string) => kind === 'docs' || kind === 'page';

/** Sections one get_relevant_docs call returns (scripts/lib/search-cv.ts answers with as many). */
export const RESULTS_PER_CALL = 5;
export const CONTENT_CHARS_PER_RESULT = 1500;

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

/**
 * A problem-shaped question's results keep this many places for threads (their best section each), beside the docs'.
 * One: with two, a real reader's problem whose answer is in the docs (evals/paste-real.json) lost its right page.
 */
export const THREAD_SLOTS = 1;

/**
 * A bug report pasted as it was filed (the search's `isReport`) gets this many threads among its results, the ones
 * past the first RESULTS_PER_CALL added after the docs sections, never instead of them: a report is settled by the
 * thread that reported it before, and the search's best thread for a long report is often its second or third.
 */
export const REPORT_THREADS = 3;

/** The tool over these dependencies: a search (reranked by the model when `rerank` is set) per call. */
export function createGetRelevantDocsTool(deps: TGetRelevantDocsDeps): TTool {
  return defineTool({
    definition: GET_RELEVANT_DOCS_DEFINITION,
    schema: ZGetRelevantDocsArgs,
    argumentsExample: '{"prompt": "what to look for"}',
    run: async (args, { page, version: conversationVersion, defer, access }) => {
      const sources = args.sources == null ? undefined : ZSourcesFilter.safeParse(args.sources);
      if (sources && !sources.success) {
        const error: TPassagesOutput = { error: sources.error.issues[0]?.message ?? `sources must be kinds among ${KNOWN_SOURCES_TEXT}` };
        return JSON.stringify(error);
      }
      const isProblem = !page && isProblemQuestion(args.prompt);
      const search = {
        deps,
        prompt: args.prompt,
        limit: page || isProblem ? RESULTS_PER_CALL * 3 : RESULTS_PER_CALL,
        source: 'assistant' as const,
        sources: sources?.data,
        version: conversationVersion ?? (args.version || undefined),
        defer,
        access,
        reportThreads: REPORT_THREADS,
      };
      // Next hop: the docs search (lib/docs/search/search.ts), through the model's rerank when it is on.
      let ranked: Awaited<ReturnType<typeof searchDocsRanked>>;
      try {
        ranked = deps.rerank ? await searchDocsWithModel({ ...search, rerank: deps.rerank }) : await searchDocsRanked(search);
      } catch (error) {
        // An unknown version: the message names the known ones, which tells the model what to ask instead.
        if (isAppError(error) && error.param === 'version') return JSON.stringify({ error: error.message } satisfies TPassagesOutput);
        throw error;
      }
      const results = page
        ? preferPage(ranked.results, page)
        : ranked.isReport
          ? withReservedThreads(ranked.results, RESULTS_PER_CALL, REPORT_THREADS)
          : isProblem
            ? withThreadSlots(ranked.results, RESULTS_PER_CALL, THREAD_SLOTS)
            : ranked.results;
      const { isWeak, absentNames } = ranked;
      // What the docs compare each page with ("Popover vs. Modal"): the choices a vague question may mean.
      const alternatives = await comparedPages({ db: deps.db, access, paths: results.filter((hit) => isPageOfDocs(hit.kind)).map((hit) => hit.path) });
      // A report is told back by the words it was searched by, not its template ("### Description…").
      const query = ranked.isReport ? ranked.searchedQuery : args.prompt;
      const output: TPassagesOutput = {
        query,
        evidence: isWeak ? 'weak' : 'strong',
        ...(isWeak ? { note: WEAK_RESULTS_NOTE } : absentNames.length > 0 ? { note: notInDocsNote(absentNames) } : {}),
        ...(absentNames.length > 0 ? { not_in_docs: absentNames } : {}),
        results: results.map((hit) => {
          // A long source section is given by the lines that hold the query, its URL anchored to them.
          const { content, url } = resultContent(hit, query, CONTENT_CHARS_PER_RESULT);
          return {
            title: hit.title,
            heading: hit.heading,
            url,
            content,
            kind: hit.kind,
            ...(hit.number !== undefined ? { number: hit.number } : {}),
            ...(hit.state !== undefined ? { state: hit.state } : {}),
            ...(hit.fixedBy !== undefined ? { fixedBy: hit.fixedBy } : {}),
            ...(hit.releasedIn !== undefined ? { releasedIn: hit.releasedIn } : {}),
            ...(hit.answeredAt !== undefined ? { answeredAt: hit.answeredAt } : {}),
            ...(hit.version !== undefined ? { version: hit.version } : {}),
            ...(hit.file !== undefined ? { file: hit.file, cite: `${hit.file}:${/#L(\d+)/.exec(url)?.[1] ?? 1}` } : {}),
            ...(isPageOfDocs(hit.kind) && alternatives.has(hit.path) ? { alternatives: alternatives.get(hit.path) } : {}),
          };
        }),
      };
      return JSON.stringify(output);
    },
  });
}
