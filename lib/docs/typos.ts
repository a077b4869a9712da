import { listDocsTermsNearWords } from '../db/docs';
import type { TDb } from '../db/types';
import { searchDocs, type TDocsSearchDeps, type TDocsSearchResult } from './search';

// Typo tolerance for short words, around the search (the ranking SQL is left as it is). The index already
// corrects typos by trigram similarity, which works for longer words but not for short ones: "tost" and "test"
// share two trigrams of eight. When a reader's query finds nothing, each short word the docs do not have is
// replaced by the most frequent docs word one edit away (insertion, deletion, substitution or transposition of
// neighbours), and the corrected query is searched instead. The reader is told which query was searched.
// A word the docs have, or that starts a word they have (still being typed), is never corrected.

/** Words this long or shorter are corrected here; longer ones are left to the trigram matching. */
export const MAX_SHORT_WORD = 6;
const MIN_SHORT_WORD = 3;

/** Whether `a` becomes `b` by one insertion, deletion, substitution or swap of adjacent letters (or none). */
export function isWithinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  const restA = a.slice(start);
  const restB = b.slice(start);
  if (a.length === b.length) {
    if (restA.slice(1) === restB.slice(1)) return true;
    return restA.length >= 2 && restA[0] === restB[1] && restA[1] === restB[0] && restA.slice(2) === restB.slice(2);
  }
  return a.length > b.length ? restA.slice(1) === restB : restB.slice(1) === restA;
}

/** The query with its short unknown words corrected, or null when there is nothing to correct. */
export async function correctShortTypos({ db, query }: { db: TDb; query: string }): Promise<string | null> {
  const words = [...new Set(query.toLowerCase().match(/[\p{L}\p{N}_-]+/gu) ?? [])].filter(
    (word) => word.length >= MIN_SHORT_WORD && word.length <= MAX_SHORT_WORD && /^\p{L}+$/u.test(word),
  );
  if (words.length === 0) return null;
  // One lookup for every word: this runs before each search of the search box.
  const unknown = await listDocsTermsNearWords({ db, words });
  let corrected = query.toLowerCase();
  let hasChanged = false;
  for (const word of words) {
    const near = Object.hasOwn(unknown, word) ? unknown[word] : undefined;
    if (!near) continue;
    const best = near
      .filter((term) => isWithinOneEdit(word, term.word))
      .sort((a, b) => b.ndoc - a.ndoc || a.word.localeCompare(b.word))[0];
    if (!best) continue;
    corrected = corrected.replace(new RegExp(`(?<![\\p{L}\\p{N}_-])${word}(?![\\p{L}\\p{N}_-])`, 'gu'), best.word);
    hasChanged = true;
  }
  return hasChanged ? corrected : null;
}

/**
 * The site's search box. A query with a short word the docs do not have is searched with that word corrected
 * (when some docs word is one edit away and the corrected query finds something): weak matches of a typo,
 * found by trigrams or stems of other words, would otherwise hide what the reader meant.
 */
export async function searchDocsForReader({
  deps,
  prompt,
  limit,
}: {
  deps: TDocsSearchDeps;
  prompt: string;
  limit?: number;
}): Promise<{ data: TDocsSearchResult[]; corrected?: string }> {
  const corrected = await correctShortTypos({ db: deps.db, query: prompt });
  if (corrected !== null) {
    const data = await searchDocs({ deps, prompt: corrected, limit, source: 'site' });
    if (data.length > 0) return { data, corrected };
  }
  return { data: await searchDocs({ deps, prompt, limit, source: 'site' }) };
}
