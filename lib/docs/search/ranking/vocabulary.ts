import { z } from 'zod';
import type { TDb } from '../../../db/types';
import { listDocsFeedback, listDocsVocabulary, recordDocsFeedback, setDocsVocabularyStatus } from '../../../db/docs-vocabulary';
import type { TVocabularySuggestion, TVocabularyView } from '../../../shared/vocabulary';
import { DEFAULT_PRIVACY, PII_MASK_PATTERN, type TPrivacy } from '../../../privacy/mask';
import { isLiveSection, type TRankIndex } from './build';
import type { TRankVocabulary } from './rank';
import { getRankIndex } from './store';
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

/** A reader opened a search result: recorded (the query masked) when the page is indexed. */
export async function recordSearchOpened({
  deps,
  query,
  path,
}: {
  deps: { db: TDb; privacy?: TPrivacy };
  query: string;
  path: string;
}): Promise<{ recorded: boolean }> {
  const masked = (deps.privacy ?? DEFAULT_PRIVACY).mask(query).text;
  return { recorded: await recordDocsFeedback({ db: deps.db, query: masked, path }) };
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
 * page), counted over the evidence (newest first), most frequent first; decided words are left out.
 */
export function suggestVocabulary({
  index,
  feedback,
  decided,
  limit = 50,
}: {
  index: TRankIndex;
  feedback: { query: string; path: string; source: 'open' | 'vote' }[];
  decided: { word: string; path: string }[];
  limit?: number;
}): TVocabularySuggestion[] {
  const skip = new Set(decided.map((entry) => `${entry.word}\u0000${entry.path}`));
  const paths = new Set(index.sections.filter((_, position) => isLiveSection(index, position)).map((section) => section.path));
  const found = new Map<string, TVocabularySuggestion>();
  for (const item of feedback) {
    if (!paths.has(item.path)) continue;
    for (const { word, stem: wordStem } of candidateWords(item.query)) {
      const key = `${word}\u0000${item.path}`;
      if (skip.has(key) || pageHasStem(index, item.path, wordStem)) continue;
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

