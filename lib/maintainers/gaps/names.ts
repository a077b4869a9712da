// The names readers' questions use, read across the questions being grouped into topics (./grouping.ts), so that
// one thing asked about in other words is one name: "Microsoft Teams", "MS Teams" and "a Teams channel" all name
// Microsoft Teams. Pure and generic: no list of products or abbreviations, only what the questions themselves say.
// - A name is a run of capitalised words ("Microsoft Teams", "Slack", "MS Teams"); a capitalised word that only opens
//   a sentence ("Can I …", "Connect the bot …") is grammar, not a name, as are "I" and words with digits.
// - An abbreviation (a word in capitals of two to five letters) stands for a word of another question's name when it
//   is that word's first letter followed by later letters of it, in order ("MS" → Microsoft, "GH" → GitHub), or for a
//   whole name of several words whose initials it is ("MT" → Microsoft Teams): when exactly one name of the batch fits.
// - A name of one word that is a word of exactly one name of several words in the batch ("Teams") is that name.

/** A name as it is grouped on: its words, lower-cased, after abbreviations and short forms are resolved. */
export type TQuestionName = { key: string; words: string[] };

const CAPITALISED_RUN = /\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*)*/gu;
const ABBREVIATION = /^\p{Lu}{2,5}$/u;

/** Where a sentence starts: its first word is capitalised by grammar, not because it is a name. */
function isSentenceStart(text: string, at: number): boolean {
  return /(^|[.!?:]\s+|\n\s*|["“(]\s*)$/.test(text.slice(0, at));
}

/** The runs of capitalised words of a question that name something, each as its words (as written). */
export function capitalisedNames(text: string): string[][] {
  const runs: string[][] = [];
  for (const match of text.matchAll(CAPITALISED_RUN)) {
    let words = match[0].split(/\s+/u).filter((word) => word !== 'I' && !/^I['’]/u.test(word));
    // The opening word of a sentence is capitalised by grammar: dropped, and a run of it alone is no name.
    if (isSentenceStart(text, match.index) && match[0].startsWith(words[0] ?? '')) words = words.slice(1);
    if (words.length > 0) runs.push(words);
  }
  return runs;
}

/** Whether `short` is `long`'s first letter followed by later letters of it, in order (an abbreviation of it). */
function abbreviates(short: string, long: string): boolean {
  const [s, l] = [short.toLowerCase(), long.toLowerCase()];
  if (l.length <= s.length || s[0] !== l[0]) return false;
  let at = 1;
  for (const letter of s.slice(1)) {
    at = l.indexOf(letter, at);
    if (at < 0) return false;
    at += 1;
  }
  return true;
}

/**
 * Each question's names, resolved across `texts` (above): the same thing named in other words gets the same key.
 * Returned in the order of `texts`.
 */
export function resolveQuestionNames(texts: readonly string[]): TQuestionName[][] {
  const runsOf = texts.map(capitalisedNames);
  const isAbbreviation = (word: string) => ABBREVIATION.test(word);
  // Names of several words written out in full, and every written-out capitalised word: what short forms may stand for.
  const fullNames = new Map<string, string[]>();
  const fullWords = new Set<string>();
  for (const runs of runsOf) {
    for (const run of runs) {
      for (const word of run) if (!isAbbreviation(word)) fullWords.add(word.toLowerCase());
      if (run.length > 1 && !run.some(isAbbreviation)) fullNames.set(run.join(' ').toLowerCase(), run.map((word) => word.toLowerCase()));
    }
  }
  const only = <T>(list: T[]): T | undefined => (list.length === 1 ? list[0] : undefined);
  const expand = (word: string): string[] => {
    if (!isAbbreviation(word)) return [word.toLowerCase()];
    const byInitials = only([...fullNames.values()].filter((name) => name.map((part) => part[0]).join('') === word.toLowerCase()));
    if (byInitials) return byInitials;
    const byWord = only([...fullWords].filter((full) => abbreviates(word, full)));
    return [byWord ?? word.toLowerCase()];
  };
  return runsOf.map((runs) =>
    runs.map((run) => {
      const words = run.flatMap(expand);
      const key = words.join(' ');
      if (fullNames.has(key)) return { key, words };
      // A short form of a name of several words ("Teams" for Microsoft Teams): its words all in exactly one of them.
      const whole = only([...fullNames.entries()].filter(([, name]) => words.every((word) => name.includes(word))));
      return whole ? { key: whole[0], words: whole[1] } : { key, words };
    }),
  );
}
