import { z } from 'zod';
import type { TReaderAccess } from '../../../audiences';
import type { TDb } from '../../../db/types';
import { takeRateLimits } from '../../../db/limits';
import { listDocsFeedback, listDocsVocabulary, recordDocsFeedback, setDocsVocabularyStatus, type TDocsFeedback } from '../../../db/docs-vocabulary';
import type { TVocabularySuggestion, TVocabularyView } from '../../../shared/vocabulary';
import { DEFAULT_PRIVACY, PII_MASK_PATTERN, type TPrivacy } from '../../../privacy/mask';
import { signValue } from '../../../session';
import { isLiveSection, type TRankIndex } from './build';
import type { TRankVocabulary } from './rank';
import { getRankIndex, isPageVisible } from './store';
import { isFillerWord, tokenize } from './text';

// A vocabulary learned from use. When a reader opens a search result, or votes up an answer, their words led to
// that page. Words of theirs that the page does not have are what the docs lack: "kebab" for the Icon page,
// "spinning" for Spinner. They are suggested to maintainers on the dashboard; an approved word is indexed as if
// the page's title had it (build.ts), so the next reader who uses it finds the page. Nothing is learned without a
// maintainer's approval: readers' text is data, never trusted. Sites name their own terms in site.config.json
// (`synonyms`), which need no approval.

export const ZDocsSearchOpened = z
  .object({
    query: z.string().trim().min(1).max(500),
    /** The opened result's page, as search results give it (`path`). */
    path: z.string().trim().min(1).max(500),
  })
  .strict();

// Evidence counts readers, not requests. A reader is the session the request carried, or, without one, its address
// (a request without a cookie gets a new session each time: counted by session, one script would be as many readers
// as requests). Stored and counted as a keyed hash (HMAC with the session secret), never the session or the address.
// What one reader gives is capped: one opened result per page every OPENED_WINDOW_SECONDS, and an address at most
// OPENED_PER_HOUR an hour (however many sessions it holds), in the site's rate-limit buckets as page reads are
// (lib/docs/site/page-read-throttle.ts); and a reader counts once per word and page in the suggestions
// (suggestVocabulary). A refused or unseen one is answered `{recorded: false}` with 200, as page reads are.
const OPENED_WINDOW_SECONDS = 30 * 60;
export const OPENED_PER_HOUR = 60;

/** Who opened a result: the session the request carried (null without one) and the address the limits key. */
export type TSearchOpener = { sessionId: string | null; clientIp: string };

/**
 * A reader opened a search result: recorded (the query masked, the reader as a keyed hash) when the page is one the
 * caller may see (isPageVisible: a page it may not see is answered as one that does not exist) and the reader is
 * within the caps above.
 */
export async function recordSearchOpened({
  deps,
  query,
  path,
  opener,
  access,
}: {
  deps: { db: TDb; sessionSecret: string; privacy?: TPrivacy };
  query: string;
  path: string;
  opener: TSearchOpener;
  /** What the caller may read (lib/audiences/access.ts readerAccessOf): a page it may not see is answered as missing. */
  access: TReaderAccess;
}): Promise<{ recorded: boolean }> {
  if (!(await isPageVisible({ db: deps.db, path, access }))) return { recorded: false };
  const reader = keyedHash(deps.sessionSecret, opener.sessionId === null ? `address\n${opener.clientIp}` : `session\n${opener.sessionId}`);
  const allowance = await takeRateLimits({
    db: deps.db,
    buckets: [
      { key: `opened:${keyedHash(deps.sessionSecret, `page\n${reader}\n${path}`)}`, name: 'opened_page', capacity: 1, per_seconds: OPENED_WINDOW_SECONDS },
      { key: `opened:${keyedHash(deps.sessionSecret, `client\n${opener.clientIp}`)}`, name: 'client_opened', capacity: OPENED_PER_HOUR, per_seconds: 3600 },
    ],
  });
  if (!allowance.allowed) return { recorded: false };
  const masked = (deps.privacy ?? DEFAULT_PRIVACY).mask(query).text;
  return { recorded: await recordDocsFeedback({ db: deps.db, query: masked, path, reader }) };
}

/** A keyed hash, shortened: it only needs to be distinct, and says nothing of the session or address it stands for. */
function keyedHash(secret: string, value: string): string {
  return signValue(secret, value).slice(0, 32);
}

/** The words of a query that could name a page: not stop words, filler, masks or numbers. */
function candidateWords(query: string): { word: string; stem: string }[] {
  return tokenize(query.replace(PII_MASK_PATTERN, ' '))
    .filter((token) => !token.isCode && token.word.length >= 3 && /^\p{L}+$/u.test(token.word) && !isFillerWord(token.word))
    .map((token) => ({ word: token.word, stem: token.stem }));
}

function pageHasStem(index: TRankIndex, path: string, wordStem: string): boolean {
  const list = index.postings.get(wordStem);
  return list !== undefined && list.sections.some((section) => index.sections[section]!.path === path && isLiveSection(index, section));
}

/**
 * Suggestions from the evidence: each reader word the page does not already have (its stem occurs nowhere on the
 * page), counted over the evidence (newest first) by distinct readers — a reader who gave the same word for the same
 * page a hundred times counts once, and gives one example — most readers first; decided words are left out.
 */
export function suggestVocabulary({
  index,
  feedback,
  decided,
  limit = 50,
}: {
  index: TRankIndex;
  feedback: TDocsFeedback[];
  decided: { word: string; path: string }[];
  limit?: number;
}): TVocabularySuggestion[] {
  const skip = new Set(decided.map((entry) => `${entry.word}\u0000${entry.path}`));
  const paths = new Set(index.sections.filter((_, position) => isLiveSection(index, position)).map((section) => section.path));
  const found = new Map<string, TVocabularySuggestion>();
  const readersOf = new Map<string, Set<string>>();
  for (const item of feedback) {
    if (!paths.has(item.path)) continue;
    for (const { word, stem: wordStem } of candidateWords(item.query)) {
      const key = `${word}\u0000${item.path}`;
      if (skip.has(key) || pageHasStem(index, item.path, wordStem)) continue;
      const readers = readersOf.get(key) ?? new Set<string>();
      if (readers.has(item.reader)) continue;
      readers.add(item.reader);
      readersOf.set(key, readers);
      const entry = found.get(key) ?? { word, path: item.path, count: 0, sources: [], examples: [] };
      entry.count += 1;
      if (!entry.sources.includes(item.source)) entry.sources.push(item.source);
      if (entry.examples.length < 3 && !entry.examples.includes(item.query)) entry.examples.push(item.query);
      found.set(key, entry);
    }
  }
  // Ties keep the evidence's order, newest first (the sort is stable): a word readers just used is not buried.
  return [...found.values()].sort((a, b) => b.count - a.count).slice(0, limit);
}

const FEEDBACK_READ = 2000;

/** What the maintainers' dashboard shows: suggestions to decide on, and the decisions so far. */
export async function listVocabularyForMaintainers({ db }: { db: TDb }): Promise<TVocabularyView> {
  const [{ index }, feedback, decided] = await Promise.all([getRankIndex(db), listDocsFeedback({ db, limit: FEEDBACK_READ }), listDocsVocabulary({ db })]);
  return {
    suggestions: suggestVocabulary({ index, feedback, decided }),
    approved: decided.filter((entry) => entry.status === 'approved'),
    rejected: decided.filter((entry) => entry.status === 'rejected'),
  };
}

export const ZVocabularyDecision = z
  .object({
    word: z
      .string()
      .trim()
      .toLowerCase()
      .min(2)
      .max(60)
      .regex(/^[\p{L}\p{N}][\p{L}\p{N} '-]*$/u, 'a word or a short phrase'),
    path: z.string().trim().min(1).max(500),
    status: z.enum(['approved', 'rejected']).nullable(),
  })
  .strict();
export type TVocabularyDecision = z.infer<typeof ZVocabularyDecision>;

/** A maintainer's decision; the ranker picks an approval up at the next search (the index version changes). */
export async function decideVocabulary({ db, decision }: { db: TDb; decision: TVocabularyDecision }) {
  const saved = await setDocsVocabularyStatus({ db, ...decision });
  return saved ?? { word: decision.word, path: decision.path, status: null };
}

/** site.config.json `synonyms` ({"modal": ["dialog"]}: each key and its values mean the same) as stems, both ways. */
export function synonymsByStem(synonyms: Record<string, string[]> | undefined): TRankVocabulary {
  const map = new Map<string, Set<string>>();
  for (const [key, values] of Object.entries(synonyms ?? {})) {
    const words = [key, ...values];
    const stems = words.map((word) => tokenize(word).map((token) => token.stem));
    for (const [at, own] of stems.entries()) {
      for (const ownStem of own) {
        const set = map.get(ownStem) ?? new Set<string>();
        for (const [other, otherStems] of stems.entries()) if (other !== at) for (const value of otherStems) if (value !== ownStem) set.add(value);
        map.set(ownStem, set);
      }
    }
  }
  return { synonyms: new Map([...map].map(([key, set]) => [key, [...set]])) };
}

