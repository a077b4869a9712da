import { detectQuestionLanguage, searchStopWordsOf } from '../../text/language';

// What search does for questions not written in English, over English docs (the ranker's tokenizer calls these,
// ranking/text.ts; rank.ts asks for a query's stop words):
// - accents are folded on both sides, docs and questions ("créer" meets "creer", "Größe" meets "grosse"), so a
//   word typed with or without its accents is the same word;
// - the question language's function words ("comment", "le", "wie", "como") are dropped like English stop words,
//   so they neither match docs words by accident ("le", "die", "come") nor count as words the docs lack.
// English questions are untouched: their stop words are the tokenizer's own list.

const NON_ASCII = /[^\u0000-\u007f]/;

/** The word with its accents taken off, case kept (a code identifier's case still splits it); ASCII as it is. */
export function foldAccents(word: string): string {
  return NON_ASCII.test(word) ? word.normalize('NFD').replace(/\p{M}+/gu, '') : word;
}

/** The stop words of the query's language, accents folded, when it is detected as other than English; else none. */
export function queryStopWords(query: string): ReadonlySet<string> | undefined {
  const { language } = detectQuestionLanguage(query);
  return language === 'en' ? undefined : searchStopWordsOf(language);
}
