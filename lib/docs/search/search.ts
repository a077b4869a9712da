import { z } from 'zod';
import type { TReaderAccess } from '../../audiences';
import { recordDocsQuery } from '../../db/docs-index';
import type { TDb } from '../../db/types';
import type { TLogger } from '../../log';
import { DEFAULT_PRIVACY, PII_MASK_PATTERN, type TPrivacy } from '../../privacy/mask';
import type { TPublicSourceKind, TThreadState } from '../../shared/docs';
import { embedQuery, type TEmbedder } from '../index/embeddings';
import { docUrl } from '../folder/load';
import { placeRelatedPages, relatedPathsMissing } from './related';
import { resultSource, sourceLabelsOf, ZSourcesFilter } from './kinds';
import { EMPTY_VOCABULARY, type TRankVocabulary } from './ranking/rank';
import { leadSections, namesMissingFromDocs, rankSections } from '../gate';
import { prepareRankIndex, threadBoilerplate } from './ranking/store';
import { hasTemplateLines, stripBoilerplate, type TBoilerplate } from '../../relevance/boilerplate';
import { distinguishingQuery, isProblemQuestion, reportWords } from '../../relevance/problem';
import { namingText } from '../../relevance/naming';
import { withFusedThreads, withThreadSlots } from './thread-slots';
import { synonymsByStem } from './ranking/vocabulary';
import { readSearchSynonyms } from '../site/site-config';
import { contentAttributes, metrics, withSpan } from '../../telemetry';
import { resolveSearchVersion, ZDocsVersion, type TVersionsConfig } from './versions';

// A query may be a bug report or a stack trace pasted whole (an agent's search_docs, the search API): searched by what
// distinguishes it (distinguishingQuery), so its length costs little. Beyond 4,000 characters it is a 400.
export const MAX_QUERY_CHARS = 4000;
export const DEFAULT_RESULT_LIMIT = 8;
export const ZDocsSearchRequest = z.object({
  prompt: z
    .string()
    .trim()
    .min(1, 'prompt must not be empty')
    .max(MAX_QUERY_CHARS, `prompt must be at most ${MAX_QUERY_CHARS} characters`),
  limit: z.number().int().min(1).max(20).optional(),
  /** Only results of these kinds of source (lib/shared/docs.ts, PUBLIC_SOURCE_KINDS); absent: every kind. */
  sources: ZSourcesFilter.optional(),
  /** Only this version of versioned docs (and sections of no version); absent: the current one (./versions.ts). */
  version: ZDocsVersion.optional(),
});
export type TDocsSearchRequest = z.infer<typeof ZDocsSearchRequest>;

export type TDocsSearchResult = {
  /** Relative to DOCS_DIR, e.g. `guides/slack.mdx`. */
  path: string;
  slug: string;
  /** `/docs/<slug>#<anchor>`: the heading the section starts at. */
  url: string;
  title: string;
  heading: string;
  content: string;
  /** Higher is better: cosine similarity when embeddings are on, the full-text score otherwise. */
  similarity: number;
  /** The kind of source it comes from, as readers see it (lib/docs/search/kinds.ts): docs, page, thread, answer, api. */
  kind: TPublicSourceKind | string;
  /** A thread's number and state, when its source records them (absent otherwise). */
  number?: number;
  state?: TThreadState;
  /** How a thread was fixed ("#12", "commit abc1234") and the release the fix shipped in, when its source knows. */
  fixedBy?: string;
  releasedIn?: string;
  /** A maintainers' answer: the day the maintainers answered (YYYY-MM-DD). */
  answeredAt?: string;
  /** The version of the docs it belongs to, when the docs have versions and its page has one. */
  version?: string;
  /** Source code: the file's path in its repository (the URL's anchor, `#L48-L61`, says its lines). */
  file?: string;
};

export type TDocsSearchMode = 'fulltext' | 'hybrid';

/**
 * Whose searches these are. A reader's (the site, the embed, MCP, the chat doors, /v1) are recorded for the
 * maintainers' analytics: top queries, searches with no result (`npm run report`, the dashboard). An operator's (a
 * script: `npm run docs:search`, `npm run eval` in process, the report) never are: trying the search is not a
 * reader's question (issue 67, friction 3.10).
 */
export type TSearchActivity = 'reader' | 'operator';

/** What a search needs: the store, a logger, and the embedder when embeddings are on (null: full text only). */
/** `privacy`: masks the query before it is embedded or recorded (default: masking on). */
/** `config.docsDir`: where site.config.json's `synonyms` are read from (none without it). */
/** `config.docsSources.versions`: DOCS_CURRENT_VERSION and DOCS_VERSION_PATTERN (./versions.ts). */
/** `activity`: whose searches (above); absent: a reader's. */
export type TDocsSearchDeps = {
  db: TDb;
  log: TLogger;
  embedder: TEmbedder | null;
  privacy?: TPrivacy;
  config?: { docsDir: string; docsSources?: { versions?: TVersionsConfig } };
  activity?: TSearchActivity;
};

const synonymCache = new WeakMap<Record<string, string[]>, TRankVocabulary>();

function siteVocabulary(deps: TDocsSearchDeps): TRankVocabulary {
  if (!deps.config) return EMPTY_VOCABULARY;
  const synonyms = readSearchSynonyms({ docsDir: deps.config.docsDir, onProblem: (message) => deps.log.warn(message) });
  if (!synonyms) return EMPTY_VOCABULARY;
  let vocabulary = synonymCache.get(synonyms);
  if (!vocabulary) synonymCache.set(synonyms, (vocabulary = synonymsByStem(synonyms)));
  return vocabulary;
}

export function docsSearchMode(embedder: TEmbedder | null): TDocsSearchMode {
  return embedder ? 'hybrid' : 'fulltext';
}

/**
 * The relevance floor. A search whose best result has less evidence than this (see `evidence` in
 * lib/docs/search/ranking/rank.ts: the section's lexical score over the index's largest idf, times the square root of the
 * share of the question its page matches, where a word the docs never write counts half the rarest word) found only stray
 * words: the assistant says the docs do not cover the question instead of citing them. Decided on questions, on the Paste
 * corpus with the default weights (issue 54, scripts/lib/floor-cv.ts): the floor with the cheapest wrong verdicts over the
 * 42 off-topic questions of evals/off-topic*.json and the 179 questions of the Paste sets (evals/checks/ included:
 * readers ask in plain words), an off-topic question given sources costing two docs questions called weak, in the middle
 * of the widest run of thresholds that reach that cost. 5-fold cross-validated, the held-out questions judged by the
 * floor fitted without them: 38 of 42 off-topic questions "not covered" and 174 of 179 docs questions with sources (36
 * and 173 before a word the docs never write counted in the share, with errors weighed alike; "Explain quantum
 * entanglement simply" is now well under the floor, no longer a hair under it). "What is the capital of France?" stays above
 * (0.63): Paste's docs name France, and "capital" meets the Capitalization guidelines through the stemmer; discounting
 * a stem met only through a derivation cost more docs questions than it saved ("pick" → Picker).
 * `npm run eval:search` prints the fit, its cross-validation and this value's verdicts; tests/corpus/search-quality.test.ts
 * holds them. Refitted when the index of the same pages changes (0.37375 before a long code block was indexed in fenced
 * pieces, 2026-11-29; 0.3731 before a section named by an identifier was also named by its definition, 2026-11-30: the
 * same verdicts).
 */
export const EVIDENCE_FLOOR = 0.37035;

/**
 * With embeddings on, a result the vector search alone found carries no lexical evidence; a cosine similarity
 * this high counts as evidence instead. Model-dependent: a conservative value for general text embedding
 * models (unrelated texts score well below it).
 */
export const VECTOR_SIMILARITY_FLOOR = 0.6;

export type TDocsSearchOutcome = {
  results: TDocsSearchResult[];
  /** True when no result is strong evidence: the docs most likely do not cover the question. */
  isWeak: boolean;
  /** The best result's evidence (0 when nothing matched). */
  evidence: number;
  /** Names the question uses that the docs never mention ("Microsoft Teams"), for the assistant's searches (else []). */
  absentNames: string[];
  /**
   * The question is a bug report pasted as it was filed (template lines and a problem: isBugReport), whose results
   * keep places for threads (./thread-slots.ts): the assistant's tool adds the next best threads after its docs.
   */
  isReport: boolean;
  /** The words searched: the question without its template, a long report by what distinguishes it. */
  searchedQuery: string;
};

/** A bug report's results keep this many places for threads among the first `limit` (the search box's, the API's). */
export const REPORT_THREAD_SLOTS = 2;
/** …chosen among this many ranked results at least. */
const REPORT_CANDIDATES = 30;

/**
 * A bug report pasted as it was filed: the text brings a template's lines (learnt from the synced threads, or a
 * template's prompts: lib/relevance/boilerplate.ts) and, without them, is problem-shaped (lib/relevance/problem.ts).
 * A question asked in a sentence ("the toast doesn't close") is a problem, not a report: its results are as ever.
 */
export function isBugReport(prompt: string, own: string, boilerplate: TBoilerplate): boolean {
  return hasTemplateLines(prompt, boilerplate) && isProblemQuestion(own);
}

/**
 * Records a query for the analytics. A failure is logged: the search has its results either way. The assistant's
 * searches record theirs later, not awaited (`defer`: after the model's next request, as the embedded store runs one
 * query at a time on this thread). The search box's are awaited.
 */
async function recordQuery({ db, log, ...row }: { db: TDb; log: TLogger; query: string; resultCount: number; source: 'site' | 'assistant' }): Promise<void> {
  await recordDocsQuery({ db, ...row }).catch((error: unknown) =>
    log.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not record docs query'),
  );
}

/**
 * Readies what a search reads (the ranking index, up to date with the stored docs) for a search that is likely soon:
 * the assistant's run engine asks for it while the model works on a step that may call the docs search, so that the
 * search does not read the docs' version (or rebuild the index) between the model's tool call and its next request.
 */
export function prepareDocsSearch({ db }: Pick<TDocsSearchDeps, 'db'>): void {
  prepareRankIndex(db);
}

/** Ranked sections for a question; each reader's query is recorded (text, result count, source) for analytics. */
export async function searchDocs(args: {
  deps: TDocsSearchDeps;
  prompt: string;
  limit?: number;
  source: 'site' | 'assistant';
  sources?: readonly TPublicSourceKind[];
  access: TReaderAccess;
  version?: string | null;
}): Promise<TDocsSearchResult[]> {
  return (await searchDocsRanked(args)).results;
}

/** `searchDocs` with a verdict on the evidence: what the assistant's tool and the offline model use. */
export async function searchDocsRanked(args: Parameters<typeof searchDocsRankedUntraced>[0]): Promise<TDocsSearchOutcome> {
  // Every docs search is a span (the assistant's tool, the search box, MCP): what was asked for and what came
  // back, by length, kinds and counts, never the words (lib/telemetry).
  const startedAt = performance.now();
  return withSpan(
    'docs search',
    {
      'pa.search.source': args.source,
      'pa.search.query_length': args.prompt.length,
      'pa.search.kinds': args.sources ? [...args.sources] : undefined,
      'pa.search.version': args.version ?? undefined,
      'pa.search.limit': args.limit,
      ...contentAttributes('pa.search.query', args.prompt),
    },
    async (span) => {
      const outcome = await searchDocsRankedUntraced(args);
      const seconds = (performance.now() - startedAt) / 1000;
      const topKind = outcome.results[0]?.kind;
      span.setAttributes({
        'pa.search.result_count': outcome.results.length,
        ...(topKind ? { 'pa.search.top_kind': topKind } : {}),
        'pa.search.is_weak': outcome.isWeak,
        'pa.search.took_ms': Math.round(seconds * 1000),
      });
      metrics.search({ seconds, topKind, isEmpty: outcome.results.length === 0 });
      return outcome;
    },
  );
}

async function searchDocsRankedUntraced({
  deps,
  prompt,
  limit = DEFAULT_RESULT_LIMIT,
  source,
  sources,
  access,
  version: askedVersion,
  isRecorded = true,
  defer = (task) => setImmediate(task),
  reportThreads = REPORT_THREAD_SLOTS,
}: {
  /** A bug report's places for threads among the results (the assistant's tool asks for more than the search box). */
  reportThreads?: number;
  deps: TDocsSearchDeps;
  prompt: string;
  limit?: number;
  /** Where the query came from, for analytics (not a kind of source). */
  source: 'site' | 'assistant';
  /** False: not a reader's search (the maintainers' gaps search their questions again), left out of the analytics. */
  isRecorded?: boolean;
  /** Where an assistant's search leaves its analytics row (lib/assistant/tools/tool.ts TToolContext.defer). */
  defer?: (task: () => void) => void;
  /** Only results of these kinds (the ranker filters before it chooses); absent: every kind. */
  sources?: readonly TPublicSourceKind[];
  /**
   * What the caller may read (lib/audiences/access.ts readerAccessOf; a run's, as it was asked): the ranker keeps only
   * sections of pages it may see. Required: PUBLIC_ACCESS for a reader with no identity.
   */
  access: TReaderAccess;
  /**
   * The version of versioned docs to search (./versions.ts): its sections and those of no version, never another
   * version's. Absent: the current one. Unknown: a 400 naming the known ones.
   */
  version?: string | null;
}): Promise<TDocsSearchOutcome> {
  const { db, log, embedder } = deps;
  const version = await resolveSearchVersion({ db, config: deps.config?.docsSources?.versions, asked: askedVersion, access });
  // A query is reader text (the search box, MCP, or the model echoing the question): it is embedded and
  // recorded for analytics, so personal data and secrets are masked first.
  prompt = (deps.privacy ?? DEFAULT_PRIVACY).mask(prompt).text;
  // The masks' own words ("[phone number removed]") are not what the reader asked about: searched without them. Nor
  // is a report's template ("### Description", "**To Reproduce**"), learnt from the synced threads' bodies: a
  // report pasted as it would be filed is searched by its own lines (lib/relevance/boilerplate.ts).
  const boilerplate = await threadBoilerplate(db);
  const own = stripBoilerplate(prompt.replace(PII_MASK_PATTERN, ' '), boilerplate).replace(/[^\S\n]+/g, ' ').trim();
  // A long report is searched by what distinguishes it (lib/relevance/problem.ts), not by every word.
  // A report pasted in its template is searched by what its reader wrote (reportWords: no environment listing, log
  // or checklist), as the same problem asked in one line would be.
  const query = distinguishingQuery(reportWords(own)).replace(/\s+/g, ' ').trim() || prompt;
  // A report's results keep places for threads, chosen among more candidates than it asks for.
  const isReport = isBugReport(prompt, own, boilerplate);
  const rankLimit = isReport ? Math.max(limit, REPORT_CANDIDATES) : limit;
  let embedding: number[] | undefined;
  if (embedder) {
    try {
      embedding = await embedQuery(embedder, query);
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'query embedding failed; full-text search only');
    }
  }
  const kinds = sources ? sourceLabelsOf(sources) : undefined;
  const versions = version === undefined ? undefined : [version];
  // A reader never meets a page they may not see: the ranker leaves it out before it chooses.
  let hits = await rankSections({ db, query, limit: rankLimit, embedding, model: embedder?.model, vocabulary: siteVocabulary(deps), kinds, versions, access });
  // The pages a result names as answering it (a duplicate's original, an issue's fix) come right after it.
  const missing = relatedPathsMissing(hits, rankLimit);
  if (missing.length > 0) {
    const leads = await leadSections({ db, paths: missing, kinds, versions, access });
    const byPath = new Map(leads.map((lead) => [lead.path, lead]));
    // Ranked just below the page that named it, with its score: it answers what that page asks.
    hits = placeRelatedPages({
      hits,
      limit: rankLimit,
      leadOf: (path) => byPath.get(path),
      asPlaced: (lead, namedBy) => ({ ...lead, similarity: namedBy.similarity, evidence: namedBy.evidence, query_coverage: namedBy.query_coverage }),
    });
  }
  // A report's title alone names the problem as the thread that settled it often does: its threads count with the
  // report's own (./thread-slots.ts), so that the places kept for threads go to the ones both searches find.
  const title = own.split('\n').find((line) => line.trim() !== '')?.trim();
  if (isReport && title && title !== query) {
    const byTitle = await rankSections({ db, query: title, limit: rankLimit, vocabulary: siteVocabulary(deps), kinds, versions, access });
    const isThreadHit = (hit: (typeof hits)[number]) => resultSource(hit.kind, hit.meta).kind === 'thread';
    hits = withFusedThreads(hits, byTitle, { isThread: isThreadHit, pageOf: (hit) => hit.path });
  }
  const results = hits.map((hit) => ({
    path: hit.path,
    slug: hit.slug,
    url: docUrl(hit.slug, hit.anchor || undefined),
    title: hit.title,
    heading: hit.heading,
    content: hit.content,
    similarity: hit.similarity,
    ...resultSource(hit.kind, hit.meta),
    ...(typeof hit.meta?.version === 'string' ? { version: hit.meta.version } : {}),
  }));
  if (isReport) {
    const chosen = new Set(withThreadSlots(results, limit, reportThreads));
    hits = hits.filter((_, at) => chosen.has(results[at]!));
    results.splice(0, results.length, ...results.filter((result) => chosen.has(result)));
  }
  const evidence = Math.max(0, ...hits.map((hit) => hit.evidence ?? 0));
  const hasVectorEvidence = embedding !== undefined && hits.some((hit) => hit.similarity >= VECTOR_SIMILARITY_FLOOR);
  if (isRecorded && deps.activity !== 'operator') {
    const row = { db, log, query: prompt, resultCount: results.length, source };
    // The assistant's search is on the way to the model's next request: its query is recorded afterwards.
    if (source === 'site') await recordQuery(row);
    else defer(() => void recordQuery(row));
  }
  // Only an answer says what the docs do not mention; the search box shows results, and skips the work. Only the words
  // in which the reader names what they ask about (lib/relevance/naming.ts): never a code block, a snippet, a quoted
  // sample value, a pasted report's steps or fields, nor its template's lines. Its lines kept: a heading's line break
  // ends a name ("Description" above "When I…" is no "Description When I").
  const naming = stripBoilerplate(namingText(prompt.replace(PII_MASK_PATTERN, ' ')), boilerplate);
  const absentNames = source === 'assistant' && naming.trim() !== '' ? await namesMissingFromDocs({ db, query: naming, access }) : [];
  return { results, isWeak: results.length === 0 || (evidence < EVIDENCE_FLOOR && !hasVectorEvidence), evidence, absentNames, isReport, searchedQuery: query };
}
