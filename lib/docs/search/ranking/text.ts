import { stem } from '../../../relevance/stem';
import { foldAccents } from '../languages';

// The words of docs text and of queries, as the in-memory ranker compares them: lower-cased, split on anything
// that is not a letter or a digit, code identifiers also kept whole and split into their parts
// (`useToaster` → usetoaster, use, toaster; `destructive_secondary` → destructive_secondary, destructive,
// secondary), accents folded (languages.ts), English stop words dropped (and a question's own language's, when it is
// another: `extraStopWords`), each word stemmed (Porter: lib/relevance/stem.ts, the one stemmer) so that inflections meet.

/** English function words: they say nothing about what a text is about (PostgreSQL's english stop list, abridged). */
const STOP_WORDS = new Set(
  ('a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'did do does doing down during each few for from further had has have having he her here hers herself him himself his ' +
    'how i if in into is it its itself me more most my myself no nor not of off on once only or other our ours ourselves out ' +
    'over own same she so some such than that the their theirs them themselves then there these they this those through to ' +
    'too under until up very was we were what when where which while who whom why will with you your yours yourself yourselves ' +
    's t d ll m o re ve y i\'m it\'s')
    .split(' '),
);

/**
 * Words readers wrap around a question that say nothing about what it is about ("I would like to", "trying",
 * "properly"). A general list of conversational English, not drawn from any evaluation set; it was the SQL
 * ranking's `docs_filler_words` and is kept word for word.
 */
const FILLER_WORDS = new Set(
  ('would like want wanted need needs trying try tried get getting got way ways looking look thing things something anything ' +
    'anyone someone know think seems seem also just really please thanks thank hi hello hey question questions issue issues ' +
    'problem problems help able currently actually still even properly correctly right wrong little lot lots says say said won ' +
    'doesn don isn can cannot could should expected expect supposed example possible possibly maybe else working work works ' +
    'happen happens instead tell good best better etc via new recently latest version versions time times much many since ' +
    'whether okay ok').split(' '),
);

export type TToken = {
  /** The word as written, lower-cased. */
  word: string;
  stem: string;
  /** Its place among the text's words (a code identifier's parts share their identifier's place). */
  position: number;
  /** Part of a code identifier (camelCase, dotted, snake_case, @scope/package). */
  isCode: boolean;
};

const WORD = /[\p{L}\p{N}][\p{L}\p{N}_.@/-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu;

function isCodeWord(raw: string): boolean {
  return /[a-z][A-Z]/.test(raw) || /[\p{L}\p{N}][._/@][\p{L}\p{N}]/u.test(raw) || raw.startsWith('@');
}

/** A word of ASCII letters, lower-case but perhaps its first: no code identifier, nothing to split. */
const PLAIN_WORD = /^[A-Za-z][a-z]*$/;

/** The text's words (stop words dropped, and `extraStopWords`, accents folded), in order. */
export function tokenize(text: string, extraStopWords?: ReadonlySet<string>): TToken[] {
  const tokens: TToken[] = [];
  let position = 0;
  for (const match of text.matchAll(WORD)) {
    const raw = foldAccents(match[0]);
    // Most words are plain ("button", "Button"): one word, not code, the same as the general case below gives.
    if (PLAIN_WORD.test(raw)) {
      const word = raw.toLowerCase();
      if (!STOP_WORDS.has(word) && !extraStopWords?.has(word) && word.length <= 40) tokens.push({ word, stem: stem(word), position, isCode: false });
      position += 1;
      continue;
    }
    const isCode = isCodeWord(raw);
    const parts = raw
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((part) => part.length > 0);
    const whole = raw.toLowerCase().replace(/[^\p{L}\p{N}_]+/gu, '');
    const words = parts.length > 1 || (parts[0] ?? '') !== whole ? [whole, ...parts] : parts;
    for (const word of new Set(words)) {
      if (word.length === 0 || STOP_WORDS.has(word) || extraStopWords?.has(word) || word.length > 40) continue;
      tokens.push({ word, stem: stem(word), position, isCode });
    }
    position += 1;
  }
  return tokens;
}

export function isFillerWord(word: string): boolean {
  return FILLER_WORDS.has(word);
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}
