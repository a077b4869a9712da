import type { TRankSectionRow } from '../../../db/docs-index';
import { pageKind, type TPageKind } from '../../../text/page-kind';
import { showsHowIn, splitCode } from '../../../text/section-shape';
import { publicSourceKind } from '../kinds';
import { stem, tokenize } from './text';

// The in-memory ranking index: built from the sections stored in the database (the source of truth) when a
// server first searches and again when the docs index changes (lib/docs/search/ranking/store.ts). Each section is
// indexed with its context, as five fields: its page's title, its heading path, its body's prose, its page's
// context (the page's description and its first paragraph of prose: what the page's subject is and does, which is
// where a reader's description of a component — "a circular loading indicator" — meets its page when no section
// names it), and its code blocks. Code is a field of its own so that a word inside an example (a string in a JSON
// body, a prop in JSX) can count less than the same word in prose: an API reference's example that happens to
// say "Configure Slack notifications" is no guide to configuring them. Every instance builds its own; nothing
// here is written back.
//
// The index keeps no section's text: once counted, the ranker never reads it, and at a hundred times the Paste corpus
// the texts were most of a server's memory. It holds each section's head (TRankSectionHead: what ranking, filters
// and a hit's header read) and, for a change applied in place (delta.ts), the words each section has
// (`sectionWords`); a hit's text, and the text absent.ts checks a phrase in, are read from the database
// (store.ts, list_docs_section_contents).

/**
 * A section as stored (`lib/db/docs-index.ts`); `path` is relative to the docs folder: `components/button/index.mdx`.
 * `kind` (its source's label) and `meta` are carried, not ranked on: a section without them is the folder's.
 */
export type TRankSection = Omit<TRankSectionRow, 'kind' | 'meta'> & Partial<Pick<TRankSectionRow, 'kind' | 'meta'>>;

/**
 * What the index holds of a section: what ranking, filters and a hit's header read. Not its text (`content`), read
 * from the database when a hit needs it, nor what only the build reads (its page's description, its heading path).
 */
export type TRankSectionHead = Pick<TRankSection, 'id' | 'path' | 'slug' | 'title' | 'heading' | 'anchor' | 'kind' | 'meta'>;

/**
 * Each section's head, the sections of a page sharing their page's path, slug, title, kind and meta (their lead's):
 * rows read from the database or a file each carry copies of their own, as many as the page has sections.
 */
export function sectionHeads(sections: readonly TRankSectionHead[]): TRankSectionHead[] {
  const leads = new Map<string, TRankSectionHead>();
  return sections.map((section) => {
    const lead = leads.get(section.path) ?? section;
    if (lead === section) leads.set(section.path, section);
    const { path, slug, title, kind, meta } = lead;
    return { id: section.id, path, slug, title, heading: section.heading, anchor: section.anchor, ...(kind === undefined ? {} : { kind }), ...(meta === undefined ? {} : { meta }) };
  });
}

export const FIELDS = ['title', 'path', 'body', 'context', 'code'] as const;
export type TField = (typeof FIELDS)[number];

/** A value per field, in FIELDS order. */
export type TPerField = [number, number, number, number, number];

/**
 * A term's postings, compact: the sections it occurs in (ascending) and its count in each field of each, FIELDS.length
 * per posting (`tf[at * FIELDS.length + field]`, at most MAX_FIELD_TF). Views into the index's flat arrays
 * (TCompactPostings).
 */
export type TPostingList = { sections: Int32Array; tf: Uint8Array };

/**
 * A word's count in one field of one section is kept up to this: a byte per field and posting, half the index's
 * largest array at a hundred times the Paste corpus. Saturation has long flattened by then (255 and 300 of one word
 * in one field score within a hundredth of each other), and a word said that often is rare (an API reference's code).
 */
export const MAX_FIELD_TF = 0xff;

/** A term's page-level postings: the pages it occurs in (ascending) and its count in each. */
export type TPagePostingList = { pages: Int32Array; tf: Uint32Array };

/**
 * The index's postings as flat typed arrays, by term id (`terms[id]` its stem): what the Maps of TRankIndex are views
 * of, and what persist.ts writes to disk. A few typed arrays instead of a million small objects: at ten times the
 * Paste corpus the object form took 285 MB of heap and most of the build's time.
 */
export type TCompactPostings = {
  terms: string[];
  /** Postings of term `id`: positions offsets[id] … offsets[id + 1] of `sections`, and FIELDS.length times those of `tf`. */
  offsets: Int32Array;
  sections: Int32Array;
  tf: Uint8Array;
  /** Per term id, its idf (BM25's, over sections). */
  idf: Float64Array;
  /** Per section, its own terms (every field but its page's context) with their counts: positions sectionTermOffsets[s] … [s + 1]. */
  sectionTermOffsets: Int32Array;
  sectionTermIds: Int32Array;
  sectionTermCounts: Uint32Array;
  /** Page-level postings of term `id`: positions pageOffsets[id] … pageOffsets[id + 1] of `pagePages` and `pageTf`. */
  pageOffsets: Int32Array;
  pagePages: Int32Array;
  pageTf: Uint32Array;
  /** Per term id, its page-level idf (NaN: on no page). */
  pageIdf: Float64Array;
};

/**
 * `isThread`: the page is a discussion (a GitHub issue, pull request or discussion: its source's kind is `thread` to
 * readers, lib/docs/search/kinds.ts), ranked with the thread weights. `updatedAt`: when its source says it last
 * changed (meta.updatedAt, ms since the epoch), else null (docs pages carry none).
 */
export type TRankPage = {
  path: string;
  kind: TPageKind;
  titleStems: Set<string>;
  titleLength: number;
  sections: number[];
  isThread: boolean;
  updatedAt: number | null;
};

/**
 * Per section, the positions in `words` of the words it has (ascending; those of its title, heading path, prose and
 * code, not its page's context): positions offsets[s] … offsets[s + 1] of `ids`. What a change applied in place
 * (delta.ts) takes off a word's section frequency when the section goes, without the section's text.
 */
export type TSectionWords = { offsets: Int32Array; ids: Int32Array | Uint16Array };

/** Room for `length` positions in a list of `wordCount` words: two bytes each while the positions fit (they halve its memory). */
export function wordPositions(length: number, wordCount: number): Int32Array | Uint16Array {
  return wordCount <= 0x10000 ? new Uint16Array(length) : new Int32Array(length);
}

export type TRankIndex = {
  sections: TRankSectionHead[];
  /**
   * Per section: its page (index into `pages`), field lengths (FIELDS.length per section, flat), and its heading's
   * stems, each once, joined by spaces ('' for none: one string per section, not a Set; the ranker splits the few it
   * scores in full).
   */
  sectionPage: number[];
  fieldLengths: Int32Array;
  headingStems: string[];
  averageLengths: TPerField;
  pages: TRankPage[];
  postings: Map<string, TPostingList>;
  /** Stem → inverse document frequency (BM25's, over sections). */
  idf: Map<string, number>;
  maxIdf: number;
  /** Every word of the docs (lower-cased) with its stem and section frequency, sorted by word: prefix and typo lookups. */
  words: { word: string; stem: string; df: number }[];
  /** Each section's words, as positions in `words`. */
  sectionWords: TSectionWords;
  /** Page and component names (title stems) that are agent nouns, by their verb's stem ("spin" → spinner). */
  namesByVerb: Map<string, string[]>;
  /**
   * A word with one letter deleted → the docs words it comes from (in word order): one-edit typo lookups (symmetric
   * deletion). Words, not positions in `words`, so that a change to the docs (delta.ts) updates the few keys of the
   * words it adds or drops instead of every list.
   */
  wordsByDeletion: Map<string, string[]>;
  /** Per section, 1 when it shows how to do something: it has a code block or numbered steps. */
  showsHow: Uint8Array;
  /**
   * Each page as one document (its sections' words and its context): page-level BM25, which finds the page a
   * reader describes as a whole when no one section says it all.
   */
  pagePostings: Map<string, TPagePostingList>;
  pageLengths: number[];
  averagePageLength: number;
  pageIdf: Map<string, number>;
  /** The latest `updatedAt` of any page (null: none has one): a page's age is counted back from it (rank.ts, recency). */
  newestUpdate: number | null;
  /** The flat arrays the postings, idfs and section terms are views of (sectionTermsOf reads a section's terms). */
  compact: TCompactPostings;
  /** The approved vocabulary it was built with: a change to the docs is applied in place only under the same (delta.ts). */
  learned: TLearnedWord[];
};

/** A section's own terms (every field but its page's context) with their counts, in the order it has them: pseudo-relevance feedback reads them. */
export function sectionTermsOf(index: TRankIndex, section: number): [string, number][] {
  const { terms, sectionTermOffsets, sectionTermIds, sectionTermCounts } = index.compact;
  const out: [string, number][] = [];
  for (let at = sectionTermOffsets[section]!; at < sectionTermOffsets[section + 1]!; at += 1) out.push([terms[sectionTermIds[at]!]!, sectionTermCounts[at]!]);
  return out;
}

function deletions(word: string): string[] {
  const out = new Set<string>();
  for (let at = 0; at < word.length; at += 1) out.add(word.slice(0, at) + word.slice(at + 1));
  return [...out];
}

/** The word and each form with one letter deleted: two words within one edit share one of these. */
export function deletionKeys(word: string): string[] {
  return [word, ...deletions(word)];
}

function countStems(text: string, into: Map<string, number>, words?: Map<string, string>): number {
  const tokens = tokenize(text);
  for (const token of tokens) {
    into.set(token.stem, (into.get(token.stem) ?? 0) + 1);
    words?.set(token.word, token.stem);
  }
  return tokens.length;
}

/** How many words of a page's first paragraph its context keeps: the sentence or two that say what the page is about. */
const INTRO_WORDS = 60;

/**
 * A page's context: its description and the first paragraph of prose of its first sections (code blocks, and
 * paragraphs too short to describe anything, such as a callout's heading, skipped).
 */
export function pageContext(description: string, contents: string[]): string {
  for (const content of contents) {
    const withoutCode = content.replace(/```[\s\S]*?(```|$)/g, '\n\n');
    for (const paragraph of withoutCode.split(/\n\s*\n/)) {
      const words = paragraph.match(/[\p{L}\p{N}][^\s]*/gu) ?? [];
      if (words.length < 8) continue;
      return `${description} ${words.slice(0, INTRO_WORDS).join(' ')}`.trim();
    }
  }
  return description.trim();
}

/** A reader's word a maintainer approved for a page: indexed as if the page's title had it. */
export type TLearnedWord = { word: string; path: string };

/** A term's count in what the section itself says: every field but its page's context. */
export function ownTf(tf: ArrayLike<number>, at = 0): number {
  return tf[at]! + tf[at + 1]! + tf[at + 2]! + tf[at + 4]!;
}

/** BM25's idf of a term in `df` of `count` documents (sections, or pages); with df 1, the ceiling a rare word gets. */
export function bm25Idf(count: number, df: number): number {
  return Math.log(1 + (count - df + 0.5) / (df + 0.5));
}

const FIELD_COUNT = FIELDS.length;

/** Growable columns of numbers, one per term id, flattened once the build is done. */
type TColumns = { of: number[][]; add(id: number): number[] };

function columns(): TColumns {
  const of: number[][] = [];
  return { of, add: (id) => (of[id] ??= []) };
}

/** `lists` (one per term id) laid end to end, with the offset of each: a compressed sparse row. */
function flatten<T extends Int32Array | Uint8Array | Uint32Array>(lists: number[][], termCount: number, per: number, make: (length: number) => T): { offsets: Int32Array; values: T } {
  const offsets = new Int32Array(termCount + 1);
  let total = 0;
  for (let id = 0; id < termCount; id += 1) {
    offsets[id] = total;
    total += (lists[id]?.length ?? 0) / per;
  }
  offsets[termCount] = total;
  const values = make(total * per);
  for (let id = 0; id < termCount; id += 1) {
    const list = lists[id];
    if (list) values.set(list, offsets[id]! * per);
  }
  return { offsets, values };
}

/** The position of `value` in the ascending `list`, or where it would go (binary search). */
export function sortedPosition<T extends number | string>(list: ArrayLike<T>, value: T): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The Maps the ranker reads by stem (postings, idf and their page-level twins), as views of the flat arrays. */
export function postingViews(compact: TCompactPostings): Pick<TRankIndex, 'postings' | 'idf' | 'pagePostings' | 'pageIdf'> {
  const postings = new Map<string, TPostingList>();
  const idf = new Map<string, number>();
  const pagePostings = new Map<string, TPagePostingList>();
  const pageIdf = new Map<string, number>();
  compact.terms.forEach((term, id) => {
    const from = compact.offsets[id]!;
    const to = compact.offsets[id + 1]!;
    if (to > from) {
      postings.set(term, { sections: compact.sections.subarray(from, to), tf: compact.tf.subarray(from * FIELD_COUNT, to * FIELD_COUNT) });
      idf.set(term, compact.idf[id]!);
    }
    const pageFrom = compact.pageOffsets[id]!;
    const pageTo = compact.pageOffsets[id + 1]!;
    if (pageTo > pageFrom) {
      pagePostings.set(term, { pages: compact.pagePages.subarray(pageFrom, pageTo), tf: compact.pageTf.subarray(pageFrom, pageTo) });
      pageIdf.set(term, compact.pageIdf[id]!);
    }
  });
  return { postings, idf, pagePostings, pageIdf };
}

/**
 * What the index derives from its words and pages alone (typo lookups, names by verb): worked out again when an
 * index is loaded from disk rather than stored.
 */
export function derivedLookups(
  words: TRankIndex['words'],
  pages: TRankPage[],
  postings: TRankIndex['postings'],
): Pick<TRankIndex, 'namesByVerb' | 'wordsByDeletion'> {
  return { namesByVerb: namesByVerbOf(pages, postings), wordsByDeletion: wordsByDeletionOf(words) };
}

/** Page and component names (title stems) that are agent nouns, by their verb's stem (TRankIndex['namesByVerb']). */
export function namesByVerbOf(pages: TRankPage[], postings: TRankIndex['postings']): TRankIndex['namesByVerb'] {
  // Names are the words of guide, API and changelog titles (component and page names); a blog post's title is a
  // headline, and its words would make every form of "growing" or "scaled" a name. So is a thread's ("Toast should
  // auto dismiss", "fix(combobox): correct dropdown position on scroll").
  const nameStems = new Set(
    pages
      .filter((page) => page.kind !== 'blog' && !page.isThread)
      .flatMap((page) => [...page.titleStems])
      .filter((name) => name.length >= 4 && /^\p{L}+$/u.test(name)),
  );
  // A name that is an agent noun of a verb (spinner, slider, picker, loader, separator) is found by the verb's forms
  // too: "spinning" stems to spin, and the Porter stemmer leaves spinner whole. English forms such a noun with
  // -er or -or, doubling a final consonant (spin → spinner) or adding -r after an e (slide → slider).
  const namesByVerb = new Map<string, string[]>();
  for (const name of nameStems) {
    const verbs = new Set<string>();
    if (/(er|or)$/.test(name)) {
      const base = name.slice(0, -2);
      verbs.add(base);
      if (/([b-df-hj-np-tv-z])\1$/.test(base)) verbs.add(base.slice(0, -1));
    }
    if (/er$/.test(name)) verbs.add(name.slice(0, -1));
    // Only a verb the docs themselves use ("anch" of anchor, "corn" of corner are no words of theirs).
    for (const verb of verbs) if (verb.length >= 4 && verb !== name && postings.has(verb)) namesByVerb.set(verb, [...(namesByVerb.get(verb) ?? []), name]);
  }
  return namesByVerb;
}

/** Whether typo lookups keep `word`: four letters or more, letters only. */
export function isTypoWord(word: string): boolean {
  return word.length >= 4 && /^\p{L}+$/u.test(word);
}

/** TRankIndex['wordsByDeletion'] of `words` (sorted by word, so each list is in word order). */
export function wordsByDeletionOf(words: TRankIndex['words']): TRankIndex['wordsByDeletion'] {
  const wordsByDeletion = new Map<string, string[]>();
  for (const { word } of words) {
    if (!isTypoWord(word)) continue;
    for (const key of deletionKeys(word)) {
      let list = wordsByDeletion.get(key);
      if (!list) wordsByDeletion.set(key, (list = []));
      list.push(word);
    }
  }
  return wordsByDeletion;
}

/** The page-level index: each page's words summed over its sections, with its context once (`pageOffsets`… of TCompactPostings). */
function pageDocuments(
  pages: TRankPage[],
  termIds: Map<string, number>,
  termCount: number,
  section: { offsets: number[]; ids: number[]; counts: number[] },
  contexts: { counts: Map<string, number>; length: number }[],
): Pick<TCompactPostings, 'pageOffsets' | 'pagePages' | 'pageTf' | 'pageIdf'> & Pick<TRankIndex, 'pageLengths' | 'averagePageLength'> {
  const pagesOf = columns();
  const tfOf = columns();
  const pageLengths: number[] = [];
  const counts = new Float64Array(termCount);
  const touched: number[] = [];
  const add = (id: number, count: number) => {
    if (counts[id] === 0) touched.push(id);
    counts[id] = counts[id]! + count;
  };
  pages.forEach((info, page) => {
    for (const [term, count] of contexts[page]!.counts) add(termIds.get(term)!, count);
    for (const at of info.sections) for (let entry = section.offsets[at]!; entry < section.offsets[at + 1]!; entry += 1) add(section.ids[entry]!, section.counts[entry]!);
    let length = 0;
    for (const id of touched) {
      length += counts[id]!;
      pagesOf.add(id).push(page);
      tfOf.add(id).push(counts[id]!);
      counts[id] = 0;
    }
    touched.length = 0;
    pageLengths.push(length);
  });
  const { offsets: pageOffsets, values: pagePages } = flatten(pagesOf.of, termCount, 1, (length) => new Int32Array(length));
  const { values: pageTf } = flatten(tfOf.of, termCount, 1, (length) => new Uint32Array(length));
  const count = Math.max(pages.length, 1);
  const pageIdf = new Float64Array(termCount).fill(Number.NaN);
  for (let id = 0; id < termCount; id += 1) {
    const df = pageOffsets[id + 1]! - pageOffsets[id]!;
    if (df > 0) pageIdf[id] = bm25Idf(count, df);
  }
  return { pageOffsets, pagePages, pageTf, pageIdf, pageLengths, averagePageLength: Math.max(pageLengths.reduce((sum, length) => sum + length, 0) / count, 1) };
}

export function buildRankIndex(sections: TRankSection[], learned: TLearnedWord[] = []): TRankIndex {
  const paths = new Set(sections.map((section) => section.path));
  const pageByPath = new Map<string, number>();
  const pages: TRankPage[] = [];
  const sectionPage: number[] = [];
  const fieldLengths: number[] = [];
  const headingStems: string[] = [];
  const termIds = new Map<string, number>();
  const terms: string[] = [];
  const termId = (term: string) => {
    let id = termIds.get(term);
    if (id === undefined) {
      id = terms.length;
      termIds.set(term, id);
      terms.push(term);
    }
    return id;
  };
  // Per term id: its sections (ascending) and FIELD_COUNT counts per section.
  const postingSections = columns();
  const postingTf = columns();
  const sectionTerms = { offsets: [0], ids: [] as number[], counts: [] as number[] };
  const wordStems = new Map<string, string>();
  const wordDf = new Map<string, number>();
  // Per word, an id in the order first met; per section, the ids of its words (positions in `words` once sorted).
  const wordIds = new Map<string, number>();
  const sectionWordList = { offsets: [0], ids: [] as number[] };
  const totals: TPerField = [0, 0, 0, 0, 0];
  const sectionShowsHow = new Uint8Array(sections.length);

  sections.forEach((section, index) => {
    let page = pageByPath.get(section.path);
    if (page === undefined) {
      page = pages.length;
      pageByPath.set(section.path, page);
      const titleTokens = tokenize(section.title);
      const updatedAt = Date.parse(section.meta?.updatedAt ?? '');
      pages.push({
        path: section.path,
        kind: pageKind(section.path, paths),
        titleStems: new Set(titleTokens.map((token) => token.stem)),
        titleLength: new Set(titleTokens.map((token) => token.position)).size,
        sections: [],
        isThread: publicSourceKind(section.kind ?? 'folder') === 'thread',
        updatedAt: Number.isFinite(updatedAt) ? updatedAt : null,
      });
    }
    pages[page]!.sections.push(index);
    sectionPage.push(page);
  });
  // Each page's context, counted once and shared by its sections. A thread's description is its source's line about
  // it ("Issue #12 in owner/name, open (not fixed yet), updated 2024-05-01"), the same words on every thread: not what
  // it is about, so its context is its question's first paragraph alone.
  const contexts = pages.map((info) => {
    const first = sections[info.sections[0]!]!;
    const counts = new Map<string, number>();
    const description = info.isThread ? '' : (first.description ?? '');
    const length = countStems(pageContext(description, info.sections.map((at) => sections[at]!.content)), counts);
    return { counts, length };
  });

  // Per section, reused: each of its terms (by id) in the order first met, its slot, and FIELD_COUNT counts per slot.
  const slotOf = new Map<number, number>();
  const slotIds: number[] = [];
  const slotTf: number[] = [];
  const sectionWords = new Map<string, string>();
  const addCount = (id: number, field: number, count: number) => {
    let slot = slotOf.get(id);
    if (slot === undefined) {
      slot = slotIds.length;
      slotOf.set(id, slot);
      slotIds.push(id);
      slotTf.push(0, 0, 0, 0, 0);
    }
    slotTf[slot * FIELD_COUNT + field] = slotTf[slot * FIELD_COUNT + field]! + count;
  };
  const countField = (field: number, text: string): number => {
    const tokens = tokenize(text);
    for (const token of tokens) {
      addCount(termId(token.stem), field, 1);
      sectionWords.set(token.word, token.stem);
    }
    return tokens.length;
  };
  sections.forEach((section, index) => {
    // The heading path holds the section's own heading last; a page's first section often has none.
    const context = contexts[sectionPage[index]!]!;
    sectionWords.clear();
    slotOf.clear();
    slotIds.length = 0;
    slotTf.length = 0;
    const parts = splitCode(section.content);
    const { prose, code } = parts;
    if (showsHowIn(parts)) sectionShowsHow[index] = 1;
    // Fields in FIELDS order, so that a section's terms are in the order they first occur: feedback reads them so.
    const titleLength = countField(0, section.title);
    const pathLength = countField(1, section.heading_path.join(' '));
    const bodyLength = countField(2, prose);
    for (const [term, count] of context.counts) addCount(termId(term), 3, count);
    const lengths: TPerField = [titleLength, pathLength, bodyLength, context.length, countField(4, code)];
    fieldLengths.push(...lengths);
    headingStems.push([...new Set(tokenize(section.heading).map((token) => token.stem))].join(' '));
    lengths.forEach((length, field) => (totals[field] = totals[field]! + length));
    for (let slot = 0; slot < slotIds.length; slot += 1) {
      const id = slotIds[slot]!;
      const at = slot * FIELD_COUNT;
      // Feedback reads what the section itself says: its page's context is shared by all its sections.
      const own = ownTf(slotTf, at);
      if (own > 0) {
        sectionTerms.ids.push(id);
        sectionTerms.counts.push(own);
      }
      postingSections.add(id).push(index);
      const tf = postingTf.add(id);
      for (let field = 0; field < FIELD_COUNT; field += 1) tf.push(Math.min(slotTf[at + field]!, MAX_FIELD_TF));
    }
    sectionTerms.offsets.push(sectionTerms.ids.length);
    for (const [word, wordStem] of sectionWords) {
      wordStems.set(word, wordStem);
      wordDf.set(word, (wordDf.get(word) ?? 0) + 1);
      let wordId = wordIds.get(word);
      if (wordId === undefined) wordIds.set(word, (wordId = wordIds.size));
      sectionWordList.ids.push(wordId);
    }
    sectionWordList.offsets.push(sectionWordList.ids.length);
  });

  // Learned vocabulary: each approved word counts once in the title field of every section of its page, so a
  // reader's own word for a page ranks it as a word of its title would, and rare words weigh more as usual.
  for (const { word, path } of learned) {
    const page = pageByPath.get(path);
    if (page === undefined) continue;
    for (const token of tokenize(word)) {
      const id = termId(token.stem);
      const list = postingSections.add(id);
      const tf = postingTf.add(id);
      for (const section of pages[page]!.sections) {
        const at = sortedPosition(list, section);
        if (list[at] === section) tf[at * FIELD_COUNT] = Math.min(tf[at * FIELD_COUNT]! + 1, MAX_FIELD_TF);
        else {
          list.splice(at, 0, section);
          tf.splice(at * FIELD_COUNT, 0, 1, 0, 0, 0, 0);
        }
      }
    }
  }

  const termCount = terms.length;
  const { offsets, values: postingSectionsFlat } = flatten(postingSections.of, termCount, 1, (length) => new Int32Array(length));
  const { values: tfFlat } = flatten(postingTf.of, termCount, FIELD_COUNT, (length) => new Uint8Array(length));
  const count = Math.max(sections.length, 1);
  const idf = new Float64Array(termCount);
  let maxIdf = 0;
  for (let id = 0; id < termCount; id += 1) {
    // Rarity counts the sections whose own text has the word: a page's context is repeated in each of its sections,
    // and counting it would make a description's words look as common as the page is long. A word only contexts
    // have counts every section it is indexed in.
    let own = 0;
    for (let at = offsets[id]!; at < offsets[id + 1]!; at += 1) if (ownTf(tfFlat, at * FIELD_COUNT) > 0) own += 1;
    const df = own > 0 ? own : offsets[id + 1]! - offsets[id]!;
    const value = bm25Idf(count, df);
    idf[id] = value;
    maxIdf = Math.max(maxIdf, value);
  }
  const words = [...wordStems]
    .filter(([word]) => /^\p{L}/u.test(word))
    .map(([word, wordStem]) => ({ word, stem: wordStem, df: wordDf.get(word) ?? 0 }))
    .sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  const wordsBySection = sectionWordsOf(words, wordIds, sectionWordList);
  const page = pageDocuments(pages, termIds, termCount, sectionTerms, contexts);
  const compact: TCompactPostings = {
    terms,
    offsets,
    sections: postingSectionsFlat,
    tf: tfFlat,
    idf,
    sectionTermOffsets: Int32Array.from(sectionTerms.offsets),
    sectionTermIds: Int32Array.from(sectionTerms.ids),
    sectionTermCounts: Uint32Array.from(sectionTerms.counts),
    pageOffsets: page.pageOffsets,
    pagePages: page.pagePages,
    pageTf: page.pageTf,
    pageIdf: page.pageIdf,
  };
  const views = postingViews(compact);
  let newestUpdate: number | null = null;
  for (const info of pages) if (info.updatedAt !== null && (newestUpdate === null || info.updatedAt > newestUpdate)) newestUpdate = info.updatedAt;
  return {
    ...views,
    ...derivedLookups(words, pages, views.postings),
    pageLengths: page.pageLengths,
    averagePageLength: page.averagePageLength,
    newestUpdate,
    // A head per section, without the text: the rows read from the database are not kept.
    sections: sectionHeads(sections),
    sectionPage,
    fieldLengths: Int32Array.from(fieldLengths),
    headingStems,
    averageLengths: totals.map((total) => Math.max(total / count, 1)) as TPerField,
    pages,
    maxIdf: Math.max(maxIdf, bm25Idf(count, 1)),
    words,
    sectionWords: wordsBySection,
    showsHow: sectionShowsHow,
    compact,
    learned: learned.map(({ word, path }) => ({ word, path })),
  };
}

/** Each section's words (ids in the order first met, by `wordIds`) as positions in the sorted `words`, ascending; words `words` leaves out dropped. */
function sectionWordsOf(words: TRankIndex['words'], wordIds: Map<string, number>, list: { offsets: number[]; ids: number[] }): TSectionWords {
  const position = new Int32Array(wordIds.size).fill(-1);
  words.forEach((entry, at) => (position[wordIds.get(entry.word)!] = at));
  const offsets = new Int32Array(list.offsets.length);
  const ids = wordPositions(list.ids.length, words.length);
  let write = 0;
  for (let section = 0; section + 1 < list.offsets.length; section += 1) {
    const start = write;
    for (let at = list.offsets[section]!; at < list.offsets[section + 1]!; at += 1) {
      const found = position[list.ids[at]!]!;
      if (found >= 0) ids[write++] = found;
    }
    ids.subarray(start, write).sort();
    offsets[section + 1] = write;
  }
  return { offsets, ids: ids.slice(0, write) };
}

/** The stem a reader's word would be indexed under (for callers that map words to index terms). */
export { stem };

/** Per index: each page's first section (its lead: a thread's question), by index path. */
const leadPositions = new WeakMap<TRankIndex, Map<string, number>>();

/** The position in `index.sections` of each page's first section, by index path (computed once per index). */
export function leadSectionPositions(index: TRankIndex): ReadonlyMap<string, number> {
  let leads = leadPositions.get(index);
  if (!leads) {
    leads = new Map();
    for (const [position, section] of index.sections.entries()) if (!leads.has(section.path)) leads.set(section.path, position);
    leadPositions.set(index, leads);
  }
  return leads;
}
