import type { TDb } from '../../db/types';
import type { TReaderAccess } from '../../audiences';
import { readVisibleIndex } from '../gate';
import { deletionKeys, type TRankIndex } from './ranking/build';
import { liveSectionCount } from './ranking/overlay';
import { englishSpelling } from './english';
import { isStopWord } from './ranking/text';

// Typo tolerance for short words, around the search. The ranker corrects longer words one edit away itself
// (lib/docs/search/ranking/rank.ts); short ones need more care: "tost" is one edit from "test", "toast", "post" and
// "most". In a reader's query, each short word the docs do not have is
// replaced by the most frequent docs word one edit away (insertion, deletion, substitution or transposition of
// neighbours), and the corrected query is searched instead when it finds something. The reader is told which
// query was searched.
// A word the docs have, or that starts a word they have (still being typed), is never corrected; nor is an
// acronym ("CRM") or a word spelt right in English (lib/docs/search/english.ts). A reader's plain word the docs do not
// use ("spins", "slides", "chip") replaced by a docs word one letter away ("spans", "sides", "ship") lost what
// the reader said, while the ranker still matches its stem or its own near words.
//
// The docs' words come from the in-memory ranking index (the same words the ranker matches), not from a query:
// this runs before every search of the search box, and a database round trip per search cost as much as the
// ranking itself on the embedded store. The search box that runs it: ./search-box.ts.

/** Words this long or shorter are corrected here; the ranker corrects longer ones itself. */
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

/** Docs words a short word's typo could be (one letter longer or shorter at most), by their one-deletion keys. */
const shortWordKeys = new WeakMap<TRankIndex, Map<string, number[]>>();

function keysOfShortWords(index: TRankIndex): Map<string, number[]> {
  let keys = shortWordKeys.get(index);
  if (keys) return keys;
  keys = new Map();
  index.words.forEach((entry, position) => {
    if (entry.word.length < MIN_SHORT_WORD - 1 || entry.word.length > MAX_SHORT_WORD + 1 || !/^\p{L}+$/u.test(entry.word)) return;
    for (const key of deletionKeys(entry.word)) {
      let list = keys!.get(key);
      if (!list) keys!.set(key, (list = []));
      list.push(position);
    }
  });
  shortWordKeys.set(index, keys);
  return keys;
}

/** Whether the docs have `word`, or a word starting with it (one still being typed). */
function isKnownWord(index: TRankIndex, word: string, kept: Uint8Array | null): boolean {
  // The index leaves English stop words out; they are words all the same, never typos.
  if (isStopWord(word)) return true;
  let low = 0;
  let high = index.words.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (index.words[middle]!.word < word) low = middle + 1;
    else high = middle;
  }
  for (let at = low; at < index.words.length && index.words[at]!.word.startsWith(word); at += 1) {
    if (isVisibleStem(index, index.words[at]!.stem, kept)) return true;
  }
  return false;
}

/**
 * Whether a stem occurs in a section the reader may see (`kept`: rank.ts keptSections for their access; null: every
 * section). A word only hidden pages have is no docs word for them: never offered as a correction (lib/audiences).
 */
function isVisibleStem(index: TRankIndex, stem: string, kept: Uint8Array | null): boolean {
  if (!kept) return true;
  const list = index.postings.get(stem);
  if (!list) return false;
  for (let at = 0; at < list.sections.length; at += 1) if (kept[list.sections[at]!] === 1) return true;
  return false;
}

/**
 * The docs word one edit away from `word` that the most sections have (by its stem), or undefined. Two words
 * one edit apart share a form with one letter deleted (or one is the other with a letter deleted).
 */
function nearestDocsWord(index: TRankIndex, word: string, kept: Uint8Array | null): string | undefined {
  const keys = keysOfShortWords(index);
  const candidates = new Set(deletionKeys(word).flatMap((key) => keys.get(key) ?? []));
  let best: { word: string; sections: number } | undefined;
  for (const position of candidates) {
    const entry = index.words[position]!;
    if (!isWithinOneEdit(word, entry.word) || !isVisibleStem(index, entry.stem, kept)) continue;
    const sections = liveSectionCount(index, entry.stem);
    if (!best || sections > best.sections || (sections === best.sections && entry.word.localeCompare(best.word) < 0)) best = { word: entry.word, sections };
  }
  return best?.word;
}

/** The query with its short unknown words corrected, or null when there is nothing to correct. */
export async function correctShortTypos({ db, query, access }: { db: TDb; query: string; access: TReaderAccess }): Promise<string | null> {
  // A word in capitals is an acronym the reader means as written ("CRM"), not a typo.
  const written = (query.match(/[\p{L}\p{N}_-]+/gu) ?? []).filter((word) => !/^\p{Lu}+$/u.test(word));
  const words = [...new Set(written.map((word) => word.toLowerCase()))].filter(
    (word) => word.length >= MIN_SHORT_WORD && word.length <= MAX_SHORT_WORD && /^\p{L}+$/u.test(word),
  );
  if (words.length === 0) return null;
  const { index, kept } = await readVisibleIndex({ db, access });
  // Corrected in the reader's own text, so that the query shown back keeps their capitals.
  let corrected = query;
  let hasChanged = false;
  const unknown = words.filter((word) => !isKnownWord(index, word, kept));
  if (unknown.length === 0) return null;
  const isEnglishWord = await englishSpelling();
  for (const word of unknown) {
    if (isEnglishWord(word)) continue;
    const best = nearestDocsWord(index, word, kept);
    if (!best) continue;
    // Every place the reader wrote it, in any case: one written in capitals elsewhere ("SLAK") stays an acronym.
    corrected = corrected.replace(new RegExp(`(?<![\\p{L}\\p{N}_-])${word}(?![\\p{L}\\p{N}_-])`, 'giu'), (found) => {
      if (/^\p{Lu}+$/u.test(found)) return found;
      return found[0] === found[0]!.toLowerCase() ? best : best[0]!.toUpperCase() + best.slice(1);
    });
    hasChanged = true;
  }
  return hasChanged ? corrected : null;
}
