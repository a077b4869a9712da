import { stem } from '../../../relevance/stem';
import type { TRankIndex } from './build';

// What a question is about, when the docs name it everywhere (issue 69, item 1). A product's docs write its main
// nouns on nearly every page ("Slack" in docs with a Slack integration), so by the docs' own statistics the word weighs
// little, and a page that merely has the question's generic verb ("connect": "OpenID Connect", "direct connection")
// outranks the page about the noun. The reader says which word is a name by writing it as one: capitalised inside a
// sentence ("How do I connect the assistant to Slack?"). Such a word is a page's subject when that page's title alone
// has it and the docs write it on at least half their pages: where its page-level idf (log N / df) falls under log 2,
// and the docs' statistics stop telling its page apart. A rarer word weighs by its own idf; a word two titles have
// names no one page. Readers' questions that describe a thing in plain words name no subject, and rank as before.

/**
 * A question word's weight with a subject, beside its rarity in the docs: × half / (half + its count in general
 * English) (english-frequency.ts). The one value of englishHalf's grid at which the Slack question above leads with its
 * guide; used only for questions that name a subject, so the fits over the Paste, Vite and pnpm sets (where no question
 * does) never see it.
 */
export const SUBJECT_ENGLISH_HALF = 30;

/** A word written as a name: capitalised, not the first of its sentence, not "I". */
const NAME_INSIDE_SENTENCE = /(?<=[\p{L}\p{N},;:)"'”’]\s+)\p{Lu}\p{Ll}+/gu;

const subjectPageByIndex = new WeakMap<TRankIndex, Map<string, number>>();

/** The docs pages (not threads, not source files) whose subject the question names by a name written inside a sentence. */
export function subjectPagesOf(index: TRankIndex, query: string): Set<number> {
  const pages = new Set<number>();
  for (const [name] of query.matchAll(NAME_INSIDE_SENTENCE)) {
    const page = subjectPageOf(index, stem(name.toLowerCase()));
    if (page >= 0) pages.add(page);
  }
  return pages;
}

/** The one docs page whose title alone has the stem, when the docs write it on at least half their pages; else -1. */
function subjectPageOf(index: TRankIndex, wordStem: string): number {
  let known = subjectPageByIndex.get(index);
  if (!known) {
    known = new Map();
    subjectPageByIndex.set(index, known);
  }
  let subject = known.get(wordStem);
  if (subject === undefined) {
    subject = findSubjectPage(index, wordStem);
    known.set(wordStem, subject);
  }
  return subject;
}

function findSubjectPage(index: TRankIndex, wordStem: string): number {
  const isDocsPage = (page: number) => !index.pages[page]!.isThread && !index.pages[page]!.isCode;
  let titled = -1;
  let docsPages = 0;
  for (let page = 0; page < index.pages.length; page += 1) {
    if (!isDocsPage(page)) continue;
    docsPages += 1;
    if (!index.pages[page]!.titleStems.has(wordStem)) continue;
    if (titled >= 0) return -1;
    titled = page;
  }
  if (titled < 0) return -1;
  let written = 0;
  for (const page of index.pagePostings.get(wordStem)?.pages ?? []) if (isDocsPage(page)) written += 1;
  return written * 2 >= docsPages ? titled : -1;
}
