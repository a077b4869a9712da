import { sectionTermsOf, type TRankIndex } from '@/lib/docs/search/ranking/build';

/**
 * Everything a ranking index says, keyed by stem rather than by term id (ids are an index's own numbering: a delta
 * gives a new term the next one, a full build the id of its first occurrence). Two indexes with equal shapes rank
 * every question alike: what the ranker and its neighbours read is all here.
 */
export function rankIndexShape(index: TRankIndex): unknown {
  const byStem = <T>(map: Map<string, T>, value: (entry: T) => unknown) =>
    [...map].map(([stem, entry]) => [stem, value(entry)] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    sections: index.sections,
    sectionPage: index.sectionPage,
    fieldLengths: Array.from(index.fieldLengths),
    headingStems: index.headingStems,
    averageLengths: index.averageLengths,
    pages: index.pages.map((page) => ({ ...page, titleStems: [...page.titleStems].sort() })),
    postings: byStem(index.postings, (list) => [Array.from(list.sections), Array.from(list.tf)]),
    idf: byStem(index.idf, (value) => value),
    maxIdf: index.maxIdf,
    words: index.words,
    namesByVerb: byStem(index.namesByVerb, (names) => [...names].sort()),
    wordsByDeletion: byStem(index.wordsByDeletion, (positions) => positions),
    showsHow: Array.from(index.showsHow),
    pagePostings: byStem(index.pagePostings, (list) => [Array.from(list.pages), Array.from(list.tf)]),
    pageLengths: index.pageLengths,
    averagePageLength: index.averagePageLength,
    pageIdf: byStem(index.pageIdf, (value) => value),
    newestUpdate: index.newestUpdate,
    sectionTerms: index.sections.map((_, at) => sectionTermsOf(index, at)),
    // Each section's words as words (the positions are into `words`, which a change moves).
    sectionWords: index.sections.map((_, at) =>
      Array.from(index.sectionWords.ids.subarray(index.sectionWords.offsets[at], index.sectionWords.offsets[at + 1]), (position) => index.words[position]!.word),
    ),
    learned: index.learned,
  };
}
