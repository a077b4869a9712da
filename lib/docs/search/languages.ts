import { detectQuestionLanguage, searchStopWordsOf, type TQuestionLanguage } from '../../relevance/language';

// What search does for questions not written in English, over English docs (the ranker's tokenizer calls these,
// ranking/text.ts; rank.ts asks for a query's stop words):
// - accents are folded on both sides, docs and questions ("créer" meets "creer", "Größe" meets "grosse"), so a
//   word typed with or without its accents is the same word;
// - the question language's function words ("comment", "le", "wie", "como") are dropped like English stop words,
//   so they neither match docs words by accident ("le", "die", "come") nor count as words the docs lack.
// - words whose ending has a regular English counterpart are searched in that form ("notificaciones" →
//   notifications, "configuração" → configuration, "fonctionnalité" → fonctionnality, close enough for the typo
//   tolerance): the docs' words, not a translation, and only endings that map one to one.
// English questions are untouched: their stop words are the tokenizer's own list, their words are as written.

const NON_ASCII = /[^\u0000-\u007f]/;

/** The word with its accents taken off, case kept (a code identifier's case still splits it); ASCII as it is. */
export function foldAccents(word: string): string {
  return NON_ASCII.test(word) ? word.normalize('NFD').replace(/\p{M}+/gu, '') : word;
}

/** Endings (accents folded) and their English counterparts, longest first, per language. */
const ENGLISH_ENDINGS: Partial<Record<TQuestionLanguage, [RegExp, string][]>> = {
  es: [[/ciones$/, 'tions'], [/cion$/, 'tion'], [/dades$/, 'ties'], [/dad$/, 'ty'], [/mente$/, 'ly'], [/ica(s)?$/, 'ic$1'], [/ico(s)?$/, 'ic$1'], [/iva(s)?$/, 'ive$1'], [/ivo(s)?$/, 'ive$1']],
  pt: [[/coes$/, 'tions'], [/cao$/, 'tion'], [/dades$/, 'ties'], [/dade$/, 'ty'], [/mente$/, 'ly'], [/ica(s)?$/, 'ic$1'], [/ico(s)?$/, 'ic$1'], [/iva(s)?$/, 'ive$1'], [/ivo(s)?$/, 'ive$1']],
  it: [[/zioni$/, 'tions'], [/zione$/, 'tion'], [/mente$/, 'ly'], [/ica$/, 'ic'], [/ico$/, 'ic'], [/iva$/, 'ive'], [/ivo$/, 'ive']],
  fr: [[/ite(s)?$/, 'ity$1'], [/ique(s)?$/, 'ic$1'], [/if(s)?$/, 'ive$1']],
};

export type TQueryLanguage = {
  /** The question language's stop words (accents folded), for the tokenizer; none for English. */
  stopWords: ReadonlySet<string> | undefined;
  /** The query with its words' endings in their English form (above); the query itself for English. */
  text: string;
};

/** How search reads `query`: as written for English; for another language, its stop words and English endings. */
export function queryLanguage(query: string): TQueryLanguage {
  const { language } = detectQuestionLanguage(query);
  if (language === 'en') return { stopWords: undefined, text: query };
  const endings = ENGLISH_ENDINGS[language] ?? [];
  const text = query.replace(/[\p{L}]{6,}/gu, (word) => {
    const folded = foldAccents(word).toLowerCase();
    for (const [ending, english] of endings) if (ending.test(folded)) return folded.replace(ending, english);
    return word;
  });
  return { stopWords: searchStopWordsOf(language), text };
}

/** The stop words of the query's language, accents folded, when it is detected as other than English; else none. */
export function queryStopWords(query: string): ReadonlySet<string> | undefined {
  return queryLanguage(query).stopWords;
}
