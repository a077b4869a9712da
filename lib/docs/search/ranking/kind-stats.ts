import { bm25Idf, FIELDS, isLiveSection, ownTf, type TPerField, type TRankIndex } from './build';

// Corpus statistics per kind of section: the docs' sections (every source but discussions) and the threads' (GitHub
// issues, pull requests, discussions). BM25 reads how rare a word is and how long a field usually is; counted over
// docs and threads together, the threads' words moved the docs' statistics (a thread says "button", "error",
// "version" in every other comment), and a docs question ranked its docs sections differently with threads synced
// than without: on paste-real, cross-validated recall@5 fell from 33.3 to 32.3 of 37. So a docs section is scored by
// the docs' own statistics (word rarity among the docs, their field and page lengths), and so are the question's
// weights (how much each of its words counts toward a page's share, a word no docs section writes, the relevance
// floor's scale) and which of its words are common (rank.ts COMMON_SHARE). A thread keeps the whole index's, which
// the thread weights were fitted with: measured, threads scored among threads alone lost the one thread question
// search finds, and threads' statistics scaled to the whole index's lost paste-real questions. With no threads (or
// only threads) indexed, or too few of either (MIN_KIND_SECTIONS), every statistic is the index's own: nothing changes.
//
// Worked out from the index when first asked (an index is never changed once built: store.ts builds, delta.ts and
// overlay.ts make new ones), kept per index; a term's counts when first asked, from its postings.

/**
 * Pages scored by the whole index's statistics, apart from the docs': threads, and source files (the code kind, issue
 * 70), whose identifiers and words in thousands of sections moved the docs' word rarities as the threads' did.
 */
export function isApartFromDocs(page: { isThread: boolean; isCode?: boolean }): boolean {
  return page.isThread || page.isCode === true;
}

export const DOCS = 0;
export const THREADS = 1;

export type TKindStats = {
  /** Per section: its kind (THREADS when its page is a thread). */
  kindOf: Uint8Array;
  /**
   * Per section: the kind whose average field lengths (`averageLengths`) its BM25 length normalisation reads. Its own
   * kind's, but a source file's: the docs'. A source file's section is ranked in one list with the docs' sections, and
   * measured against the whole index's lengths (its symbols' code and prose are several times a docs section's, and
   * half the index) it counted as of a usual length: a long symbol that says "case" in a dozen `switch` branches
   * outranked the style guide's "Sentence case" (paste-docs lost a question of 48 with the Paste source on). Measured
   * by the docs' yardstick, a symbol is as long as it is beside the docs it is ranked with. Its word rarities stay the
   * whole index's, as a thread's.
   */
  lengthKindOf: Uint8Array;
  /** Whether both kinds have MIN_KIND_SECTIONS live sections or more: else every statistic is the index's own. */
  isSplit: boolean;
  /** Per kind (the docs', the whole index's for threads): BM25's largest idf, a word in one section. */
  maxIdf: [number, number];
  /** Per kind (the docs', the whole index's for threads): each field's average length. */
  averageLengths: [TPerField, TPerField];
  /** Per kind (the docs', the whole index's for threads): the average page length (page-level BM25). */
  averagePageLength: [number, number];
  /** Per kind: the term's idf among the docs' sections, and the whole index's for threads (undefined: none has it). */
  idf: (stem: string) => readonly [number | undefined, number | undefined];
  /** Per kind: the term's page-level idf among the docs' pages, and the whole index's for threads (undefined: none has it). */
  pageIdf: (stem: string) => readonly [number | undefined, number | undefined];
  /**
   * The share of a kind's sections the term's postings are, the larger of the two kinds': how common a word is for the
   * ranker's common-terms cut (rank.ts COMMON_SHARE), so that the threads do not make a docs word rarer or commoner
   * than it is in the docs. Unsplit: its postings over every section.
   */
  postingShare: (stem: string) => number;
};

/**
 * The docs have statistics of their own only when docs and threads both have this many live sections: a few threads
 * move the docs' statistics little, and BM25's idf over a few dozen docs sections says little. The Paste docs have
 * 2,469 sections, their 272 threads 574.
 */
export const MIN_KIND_SECTIONS = 200;

const byIndex = new WeakMap<TRankIndex, TKindStats>();

/** The statistics per kind of `index`, worked out once. */
export function kindStats(index: TRankIndex): TKindStats {
  let stats = byIndex.get(index);
  if (!stats) byIndex.set(index, (stats = countKinds(index)));
  return stats;
}

function countKinds(index: TRankIndex): TKindStats {
  const { sections, pages, sectionPage, fieldLengths } = index;
  const kindOf = new Uint8Array(sections.length);
  const counts = [0, 0];
  const totals: [number[], number[]] = [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0]];
  for (let section = 0; section < sections.length; section += 1) {
    if (!isLiveSection(index, section)) continue;
    const kind = isApartFromDocs(pages[sectionPage[section]!]!) ? THREADS : DOCS;
    kindOf[section] = kind;
    counts[kind] = counts[kind]! + 1;
    const kindTotals = totals[kind];
    for (let field = 0; field < FIELDS.length; field += 1) kindTotals[field] = kindTotals[field]! + fieldLengths[section * FIELDS.length + field]!;
  }
  const isSplit = counts[DOCS]! >= MIN_KIND_SECTIONS && counts[THREADS]! >= MIN_KIND_SECTIONS;
  const lengthKindOf = kindOf.map((kind, section) => (kind === THREADS && pages[sectionPage[section]!]!.isCode ? DOCS : kind));
  if (!isSplit) {
    const own = (stem: string) => [index.idf.get(stem), index.idf.get(stem)] as const;
    const ownPage = (stem: string) => [index.pageIdf.get(stem), index.pageIdf.get(stem)] as const;
    const postingShare = (stem: string) => (index.postings.get(stem)?.sections.length ?? 0) / Math.max(sections.length, 1);
    return { kindOf, lengthKindOf, isSplit, maxIdf: [index.maxIdf, index.maxIdf], averageLengths: [index.averageLengths, index.averageLengths], averagePageLength: [index.averagePageLength, index.averagePageLength], idf: own, pageIdf: ownPage, postingShare };
  }
  const deadPages = index.overlay?.deadPages;
  const pageCounts = [0, 0];
  const pageTotals = [0, 0];
  pages.forEach((page, at) => {
    if (deadPages !== undefined && at < deadPages.length && deadPages[at] === 1) return;
    const kind = isApartFromDocs(page) ? THREADS : DOCS;
    pageCounts[kind] = pageCounts[kind]! + 1;
    pageTotals[kind] = pageTotals[kind]! + index.pageLengths[at]!;
  });
  const average = (total: number, count: number) => Math.max(total / Math.max(count, 1), 1);
  const terms = new Map<string, TTermCounts>();
  const termOf = (stem: string) => {
    let found = terms.get(stem);
    if (!found) terms.set(stem, (found = termCounts(index, kindOf, stem)));
    return found;
  };
  const pageIdfs = new Map<string, readonly [number | undefined, number | undefined]>();
  return {
    kindOf,
    lengthKindOf,
    isSplit,
    maxIdf: [bm25Idf(counts[DOCS]!, 1), index.maxIdf],
    averageLengths: [totals[DOCS].map((total) => average(total, counts[DOCS]!)) as TPerField, index.averageLengths],
    averagePageLength: [average(pageTotals[DOCS]!, pageCounts[DOCS]!), index.averagePageLength],
    idf: (stem) => {
      const { own, all } = termOf(stem);
      return [all[DOCS] === 0 ? undefined : bm25Idf(counts[DOCS]!, own[DOCS]! > 0 ? own[DOCS]! : all[DOCS]!), index.idf.get(stem)];
    },
    pageIdf: (stem) => {
      let found = pageIdfs.get(stem);
      if (!found) pageIdfs.set(stem, (found = [docsPageIdf(index, pageCounts[DOCS]!, stem), index.pageIdf.get(stem)]));
      return found;
    },
    postingShare: (stem) => {
      const { all } = termOf(stem);
      return Math.max(all[DOCS]! / counts[DOCS]!, all[THREADS]! / counts[THREADS]!);
    },
  };
}

/** A term's live postings per kind: those whose section's own text has it (`own`), and all (`all`, its page's context too). */
type TTermCounts = { own: [number, number]; all: [number, number] };

function termCounts(index: TRankIndex, kindOf: Uint8Array, stem: string): TTermCounts {
  const counts: TTermCounts = { own: [0, 0], all: [0, 0] };
  const list = index.postings.get(stem);
  if (!list) return counts;
  for (let at = 0; at < list.sections.length; at += 1) {
    const section = list.sections[at]!;
    if (!isLiveSection(index, section)) continue;
    const kind = kindOf[section] === THREADS ? THREADS : DOCS;
    counts.all[kind] += 1;
    if (ownTf(list.tf, at * FIELDS.length) > 0) counts.own[kind] += 1;
  }
  return counts;
}

/** The term's page-level idf among the docs' pages (undefined: none has it). */
function docsPageIdf(index: TRankIndex, docsPages: number, stem: string): number | undefined {
  const list = index.pagePostings.get(stem);
  let df = 0;
  for (const page of list?.pages ?? []) if (!isApartFromDocs(index.pages[page]!)) df += 1;
  return df === 0 ? undefined : bm25Idf(docsPages, df);
}
