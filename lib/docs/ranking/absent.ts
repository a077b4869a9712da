import { deletionKeys, type TRankIndex } from './build';
import { stem } from './text';

// Names a question uses that the docs never do. "Can the assistant answer in a Microsoft Teams channel as well as
// Slack?" finds two Slack sections, and an answer that quotes them as "the sections that answer your question"
// claims what the docs do not say: nothing in them mentions Microsoft. A name here is what a reader capitalises
// mid-sentence (a product, a company, a browser: "Microsoft Teams", "Safari") or writes as code (`useToaster`,
// `Next.js`): words that name one thing, so that the docs either mention it or do not. A plain word a reader
// chose where the docs use another ("connect" for "set up") is no name, and is left to the ranking.

/** A run of capitalised words, or one code-like word (camelCase, dotted, with @ or /). */
const NAME = /(?:\b\p{Lu}[\p{L}\p{N}]*(?:[.'’-][\p{L}\p{N}]+)*(?:\s+\p{Lu}[\p{L}\p{N}]*(?:[.'’-][\p{L}\p{N}]+)*)*)|(?:@?\b[\p{L}\p{N}]+(?:[./][\p{L}\p{N}]+)+\b)|(?:\b\p{Ll}+\p{Lu}[\p{L}\p{N}]*\b)/gu;

/** Where a sentence starts: its first word is capitalised by grammar, not because it is a name. */
function isSentenceStart(text: string, at: number): boolean {
  return /(^|[.!?:]\s+|\n\s*|["“(]\s*)$/.test(text.slice(0, at));
}

/** A word the docs have, as written or as a stem, or within one edit of one of theirs (a typo of a name they use). */
function docsHave(index: TRankIndex, word: string): boolean {
  const lower = word.toLowerCase();
  if (index.postings.has(lower) || index.postings.has(stem(lower))) return true;
  if (lower.length < 5) return false;
  return deletionKeys(lower).some((key) => index.wordsByDeletion.has(key));
}

/**
 * The names the question uses that the docs never mention, as the reader wrote them ("Microsoft Teams"): a name
 * counts as absent when one of its words is nowhere in the docs. A capitalised word that only opens a sentence is
 * not taken for a name ("Tooltips flicker" asks about tooltips) unless a capitalised word follows it.
 */
export function namesNotInDocs(index: TRankIndex, question: string): string[] {
  const names: string[] = [];
  for (const match of question.matchAll(NAME)) {
    let name = match[0];
    let at = match.index;
    if (isSentenceStart(question, at) && /^\p{Lu}/u.test(name)) {
      const rest = name.match(/^\S+\s+(.*)$/su);
      if (!rest) continue;
      at += name.length - (rest[1] as string).length;
      name = rest[1] as string;
    }
    if (name === 'I' || /^I['’]/.test(name)) continue;
    const words = name.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 1);
    if (words.length === 0) continue;
    if (words.some((word) => !docsHave(index, word)) && !names.includes(name)) names.push(name);
  }
  return names;
}
