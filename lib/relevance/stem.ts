import { stemmer } from 'stemmer';

// The one stemmer: a word's stem as the docs ranker (lib/docs/search/ranking/text.ts) indexes and matches words, and as
// readers' questions are grouped into topics (lib/maintainers/similarity.ts), so that "buttons"/"button" and
// "theming"/"themes" meet the same way in both.

const stemCache = new Map<string, string>();

/**
 * Porter undoubles a final consonant after it removes -ed or -ing ("adding" → ad, "mapped" → map) but leaves a bare
 * word's double consonant ("add" → add): "add a toast" never met "Adding a Toast". Undoubled here too, but for l, s
 * and z, which Porter keeps double after a suffix as well ("scrolling" → scroll).
 */
const DOUBLE_END = /([b-df-hj-kmnp-rtv-y])\1$/;

/** A lower-case word's stem (Porter, final double consonants undone); a word of fewer than three letters, or with digits or marks, is its own stem. */
export function stem(word: string): string {
  let cached = stemCache.get(word);
  if (cached === undefined) {
    cached = /^\p{L}+$/u.test(word) && word.length > 2 ? stemmer(word).replace(DOUBLE_END, '$1') : word;
    if (stemCache.size < 200_000) stemCache.set(word, cached);
  }
  return cached;
}

/**
 * A word's plain singular for matching names ("numbers" → number, "queues" → queue, "entities" → entity), roughly: a
 * word of four letters or more ending in s, not in -ss, -us or -is. Not a stem: it stays a word a reader writes.
 */
export const singular = (word: string) => (word.length > 3 && /s$/.test(word) && !/(ss|us|is)$/.test(word) ? word.replace(/ies$/, 'y').replace(/s$/, '') : word);
