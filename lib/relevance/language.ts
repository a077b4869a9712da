import { deu, eng, fra, ita, nld, por, spa } from 'stopword';
import { detectAll } from 'tinyld';

// The language a reader wrote a question in, for the answer's language (the model's instructions, the offline
// model's note) and for search (the question language's stop words, lib/docs/search/languages.ts). tinyld
// (n-gram profiles) ranks the candidate languages; a short question is taken for a language other than English
// only when it also uses one of that language's function words that English does not have ("un", "wie",
// "como"): a bare name like "Button variant" has no function words, and tinyld alone guesses Italian for it.
// English is the answer whenever the evidence is thin, since the docs are in English.

/** The languages told apart, ISO 639-1. Others are read as English. */
export const QUESTION_LANGUAGES = ['en', 'fr', 'es', 'de', 'pt', 'it', 'nl'] as const;
export type TQuestionLanguage = (typeof QUESTION_LANGUAGES)[number];

/** Function words per language (the `stopword` package's lists), accents folded, for detection and search. */
const FUNCTION_WORD_LISTS: Record<TQuestionLanguage, readonly string[]> = { en: eng, fr: fra, es: spa, de: deu, pt: por, it: ita, nl: nld };

/** Letters without their accents, lower-cased ("Créer" → creer). */
export function foldDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

function perLanguage<T>(make: (language: TQuestionLanguage) => T): Record<TQuestionLanguage, T> {
  const table = {} as Record<TQuestionLanguage, T>;
  for (const language of QUESTION_LANGUAGES) table[language] = make(language);
  return table;
}

const FOLDED_FUNCTION_WORDS = perLanguage((language): ReadonlySet<string> => new Set(FUNCTION_WORD_LISTS[language].map(foldDiacritics)));

/**
 * Words questions are made of that the `stopword` lists leave out (they are lists for running text, not questions):
 * interrogatives and the modal verbs around a request ("comment", "pourquoi", "puedo", "posso"). Search drops them
 * with the lists; detection reads only the lists, as it was measured (tests/unit/language.test.ts).
 */
const QUESTION_WORDS: Record<TQuestionLanguage, string> = {
  en: '',
  fr: 'comment pourquoi quel quelle quels quelles quoi combien quand puis peut peux dois faut veux voudrais estce',
  es: 'como que cual cuales donde cuando puedo puede debo quiero hay hacer',
  de: 'wie was warum wo welche welcher welches kann muss mochte will gibt',
  pt: 'como qual quais onde quando porque posso pode devo quero existe fazer',
  it: 'come perche quale quali dove quando posso puo devo voglio esiste fare',
  nl: 'hoe wat waarom waar welke wanneer kan moet wil kun',
};

const SEARCH_STOP_WORDS = perLanguage(
  (language): ReadonlySet<string> => new Set([...FOLDED_FUNCTION_WORDS[language], ...QUESTION_WORDS[language].split(' ').filter(Boolean)]),
);

/** The words search drops from a question in `language` (accents folded): its function words and question words. */
export function searchStopWordsOf(language: TQuestionLanguage): ReadonlySet<string> {
  return SEARCH_STOP_WORDS[language];
}

/** Words that are function words of `language` and not English ones: what tells that language apart. */
const DISTINCTIVE_WORDS = perLanguage(
  (language): ReadonlySet<string> => new Set([...FOLDED_FUNCTION_WORDS[language]].filter((word) => !FOLDED_FUNCTION_WORDS.en.has(word))),
);

/**
 * The question's prose: code (fenced, inline, identifiers like useToaster or @scope/pkg) and URLs taken out, as
 * they are names in any language.
 */
function proseOf(text: string): string {
  return text
    .replace(/```[\s\S]*?(```|$)/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/\bhttps?:\/\/\S+/g, ' ')
    .replace(/\S*(?:[a-z][A-Z]|[._/@<>{}()=]\w)\S*/g, ' ');
}

export type TDetectedLanguage = { language: TQuestionLanguage; isConfident: boolean };

/** The question's language: English unless the text says otherwise (above). `isConfident`: the detector ran and agreed, not a default. */
export function detectQuestionLanguage(text: string): TDetectedLanguage {
  const prose = proseOf(text).slice(0, 2000);
  const words = (foldDiacritics(prose).match(/\p{L}+/gu) ?? []) as string[];
  if (words.length === 0) return { language: 'en', isConfident: false };
  // One function word of its own in a short question, or a tenth of the words in a long one.
  const needed = Math.max(1, Math.floor(words.length / 10));
  const hasEnough = (language: TQuestionLanguage) => words.filter((word) => DISTINCTIVE_WORDS[language].has(word)).length >= needed;
  // No other language has the evidence: English, without running the detector (most questions, and every search).
  const candidates = QUESTION_LANGUAGES.filter((language) => language !== 'en' && hasEnough(language));
  if (candidates.length === 0) return { language: 'en', isConfident: false };
  const ranked = detectAll(prose, { only: [...QUESTION_LANGUAGES] });
  for (const { lang } of ranked.slice(0, 2)) {
    if (lang === 'en') return { language: 'en', isConfident: true };
    const language = candidates.find((candidate) => candidate === lang);
    if (language) return { language, isConfident: true };
  }
  return { language: 'en', isConfident: false };
}

/** Names of the languages in English, for the model's instructions. */
export const LANGUAGE_NAMES: Record<TQuestionLanguage, string> = {
  en: 'English',
  fr: 'French',
  es: 'Spanish',
  de: 'German',
  pt: 'Portuguese',
  it: 'Italian',
  nl: 'Dutch',
};
