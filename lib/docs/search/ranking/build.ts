import type { TRankSectionRow } from '../../../db/docs-index';
import { pageKind, type TPageKind } from '../../../relevance/page-kind';
import { showsHowIn, splitCode } from '../../../relevance/section-shape';
import { publicSourceKind } from '../kinds';
import { type Growable, growableInt32, growableUint32, growableUint8 } from './growable';
import { stem } from '../../../relevance/stem';
import { definitionOf } from './definition';
import { tokenize } from './text';

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
    return headOf(lead, section);
  });
}

/** A section's head, with its page's fields from its page's lead (`lead`: the page's first section). */
function headOf(lead: TRankSectionHead, section: TRankSectionHead): TRankSectionHead {
  const { path, slug, title, kind, meta } = lead;
  return { id: section.id, path, slug, title, heading: section.heading, anchor: section.anchor, ...(kind === undefined ? {} : { kind }), ...(meta === undefined ? {} : { meta }) };
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
  /**
   * The page is a source file (the code kind, issue 70): ranked × codePrior, and scored, as threads are, by the whole
   * index's statistics rather than the docs' (kind-stats.ts), so that indexing a repository's code moves no docs word's rarity.
   */
  isCode: boolean;
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
  /**
   * Set on an index that is a compact base with the changes since it laid over it (overlay.ts): its sections are the
   * base's, those no longer stored left in place as tombstones (`dead`), then the segment's. Absent on a built index.
   */
  overlay?: TRankOverlay;
};

/**
 * What an overlaid index (overlay.ts) is made of: the compact index it lays the changes over, which of the base's
 * sections and pages are no longer stored (1: a tombstone, never matched, never counted), and the segment: the index
 * of the sections stored since the base, built on its own, whose positions follow the base's.
 */
export type TRankOverlay = {
  base: TRankIndex;
  dead: Uint8Array;
  deadPages: Uint8Array;
  deadCount: number;
  segment: TRankIndex;
};

/** Whether the section at `position` is stored: always on a built index; not a tombstone of an overlaid one. */
export function isLiveSection(index: TRankIndex, position: number): boolean {
  return index.overlay === undefined || position >= index.overlay.dead.length || index.overlay.dead[position] === 0;
}

/** A section's own terms (every field but its page's context) with their counts, in the order it has them: pseudo-relevance feedback reads them. */
export function sectionTermsOf(index: TRankIndex, section: number): [string, number][] {
  const overlay = index.overlay;
  if (overlay) {
    const baseCount = overlay.base.sections.length;
    return section < baseCount ? sectionTermsOf(overlay.base, section) : sectionTermsOf(overlay.segment, section - baseCount);
  }
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

/** The words of a section's first paragraph of prose long enough to describe anything (code blocks skipped), or null. */
function introParagraph(content: string): string[] | null {
  const withoutCode = content.replace(/```[\s\S]*?(```|$)/g, '\n\n');
  for (const paragraph of withoutCode.split(/\n\s*\n/)) {
    const words = paragraph.match(/[\p{L}\p{N}][^\s]*/gu) ?? [];
    if (words.length >= 8) return words;
  }
  return null;
}

const contextOf = (description: string, intro: string[] | null) => (intro ? `${description} ${intro.slice(0, INTRO_WORDS).join(' ')}` : description).trim();

/**
 * A page's context: its description and the first paragraph of prose of its first sections (code blocks, and
 * paragraphs too short to describe anything, such as a callout's heading, skipped).
 */
export function pageContext(description: string, contents: string[]): string {
  for (const content of contents) {
    const intro = introParagraph(content);
    if (intro) return contextOf(description, intro);
  }
  return contextOf(description, null);
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

/**
 * Postings counted in document order (sections, or pages, ascending): each one's term id and its `per` counts, and
 * where each document's start (`starts`: one more than there are documents). A build counts into these growable
 * typed arrays rather than into a list per term: at a hundred times the Paste corpus, plain lists of every posting
 * grew the V8 heap by hundreds of megabytes, which V8 keeps for the life of the process.
 */
type TPostingLog<T extends Uint8Array | Uint32Array> = { terms: Growable<Int32Array>; counts: Growable<T>; starts: Growable<Int32Array> };

/** Offsets that start at 0: each document's end is pushed after it. */
function startingAtZero(): Growable<Int32Array> {
  const offsets = growableInt32();
  offsets.push(0);
  return offsets;
}

function postingLog<T extends Uint8Array | Uint32Array>(counts: Growable<T>): TPostingLog<T> {
  return { terms: growableInt32(), counts, starts: startingAtZero() };
}

/**
 * `log` regrouped by term (a compressed sparse row: term `id`'s postings at offsets[id] … offsets[id + 1]), documents
 * ascending within each term. `extra`: per document, postings to add for terms it has none of (term id → its counts).
 */
function byTerm<T extends Uint8Array | Uint32Array>(
  log: TPostingLog<T>,
  termCount: number,
  per: number,
  make: (length: number) => T,
  extra: ReadonlyMap<number, Map<number, number[]>> = new Map(),
): { offsets: Int32Array; documents: Int32Array; counts: T } {
  const terms = log.terms.values;
  const counts = log.counts.values;
  const starts = log.starts.values;
  const offsets = new Int32Array(termCount + 1);
  for (let at = 0; at < log.terms.length; at += 1) offsets[terms[at]! + 1] = offsets[terms[at]! + 1]! + 1;
  for (const added of extra.values()) for (const id of added.keys()) offsets[id + 1] = offsets[id + 1]! + 1;
  for (let id = 0; id < termCount; id += 1) offsets[id + 1] = offsets[id + 1]! + offsets[id]!;
  const next = offsets.slice(0, termCount);
  const documents = new Int32Array(offsets[termCount]!);
  const out = make(offsets[termCount]! * per);
  for (let document = 0; document + 1 < log.starts.length; document += 1) {
    for (let at = starts[document]!; at < starts[document + 1]!; at += 1) {
      const to = next[terms[at]!]!;
      next[terms[at]!] = to + 1;
      documents[to] = document;
      for (let value = 0; value < per; value += 1) out[to * per + value] = counts[at * per + value]!;
    }
    for (const [id, values] of extra.get(document) ?? []) {
      const to = next[id]!;
      next[id] = to + 1;
      documents[to] = document;
      out.set(values, to * per);
    }
  }
  return { offsets, documents, counts: out };
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
  return namesByVerbFrom(new Set(pages.flatMap(nameStemsOf)), postings);
}

/**
 * The names a page gives (TRankIndex['namesByVerb']): the words of guide, API and changelog titles (component and page
 * names); a blog post's title is a headline, and its words would make every form of "growing" or "scaled" a name. So
 * is a thread's ("Toast should auto dismiss", "fix(combobox): correct dropdown position on scroll").
 */
export function nameStemsOf(page: TRankPage): string[] {
  if (page.kind === 'blog' || page.isThread) return [];
  return [...page.titleStems].filter((name) => name.length >= 4 && /^\p{L}+$/u.test(name));
}

/** namesByVerbOf of the names (nameStemsOf) of the pages, in the order the pages first give them. */
export function namesByVerbFrom(nameStems: Iterable<string>, postings: TRankIndex['postings']): TRankIndex['namesByVerb'] {
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

/** A page's context (pageContext) counted: its stems in the order first met with their counts, and how many words it has. */
type TContext = {
  /** Its stems until its page's first section is counted, which gives them their term ids (`ids`) in the order a build meets them. */
  stems: string[] | null;
  ids: Int32Array | null;
  counts: Int32Array;
  length: number;
};

function countedContext(text: string): TContext {
  const counts = new Map<string, number>();
  const length = countStems(text, counts);
  return { stems: [...counts.keys()], ids: null, counts: Int32Array.from(counts.values()), length };
}

/** The page-level index: each page's words summed over its sections, with its context once (`pageOffsets`… of TCompactPostings). */
function pageDocuments(
  pages: TRankPage[],
  termCount: number,
  section: { offsets: Int32Array; ids: Int32Array; counts: Uint32Array },
  contexts: TContext[],
): Pick<TCompactPostings, 'pageOffsets' | 'pagePages' | 'pageTf' | 'pageIdf'> & Pick<TRankIndex, 'pageLengths' | 'averagePageLength'> {
  const log = postingLog(growableUint32());
  const pageLengths: number[] = [];
  const counts = new Float64Array(termCount);
  const touched: number[] = [];
  const add = (id: number, count: number) => {
    if (counts[id] === 0) touched.push(id);
    counts[id] = counts[id]! + count;
  };
  pages.forEach((info, page) => {
    const context = contexts[page]!;
    for (let at = 0; at < context.counts.length; at += 1) add(context.ids![at]!, context.counts[at]!);
    for (const at of info.sections) for (let entry = section.offsets[at]!; entry < section.offsets[at + 1]!; entry += 1) add(section.ids[entry]!, section.counts[entry]!);
    let length = 0;
    for (const id of touched) {
      length += counts[id]!;
      log.terms.push(id);
      log.counts.push(counts[id]!);
      counts[id] = 0;
    }
    touched.length = 0;
    log.starts.push(log.terms.length);
    pageLengths.push(length);
  });
  const { offsets: pageOffsets, documents: pagePages, counts: pageTf } = byTerm(log, termCount, 1, (length) => new Uint32Array(length));
  const count = Math.max(pages.length, 1);
  const pageIdf = new Float64Array(termCount).fill(Number.NaN);
  for (let id = 0; id < termCount; id += 1) {
    const df = pageOffsets[id + 1]! - pageOffsets[id]!;
    if (df > 0) pageIdf[id] = bm25Idf(count, df);
  }
  return { pageOffsets, pagePages, pageTf, pageIdf, pageLengths, averagePageLength: Math.max(pageLengths.reduce((sum, length) => sum + length, 0) / count, 1) };
}

/**
 * Builds an index from sections given a batch at a time (store.ts reads them from the database a page of rows at a
 * time), so that no more of their text is held than a batch and the sections waiting for their page's context: a
 * section is counted with its page's context (pageContext), known once a section of the page has a paragraph long
 * enough, or once the page's last section arrived (`page_last_id`), or when the build finishes. Sections are counted
 * in the order given, whatever the batches, so the index is the one buildRankIndex gives for all of them at once.
 */
export type TRankIndexBuilder = { add(sections: Iterable<TRankSection>): void; finish(): TRankIndex };

/** What a build has counted so far: every list grows as sections are counted, in their order. */
type TCounts = ReturnType<typeof emptyCounts>;

function emptyCounts() {
  const termIds = new Map<string, number>();
  const terms: string[] = [];
  return {
    termIds,
    terms,
    termId(term: string): number {
      let id = termIds.get(term);
      if (id === undefined) {
        id = terms.length;
        termIds.set(term, id);
        terms.push(term);
      }
      return id;
    },
    /** Per section, each of its terms (every field) with FIELD_COUNT counts, at most MAX_FIELD_TF each. */
    postings: postingLog(growableUint8()),
    /** Per section (offsets), its own terms (every field but its page's context) with their counts. */
    sectionTerms: { offsets: startingAtZero(), ids: growableInt32(), counts: growableUint32() },
    fieldLengths: growableInt32(),
    showsHow: growableUint8(),
    headingStems: [] as string[],
    totals: [0, 0, 0, 0, 0] as TPerField,
    wordStems: new Map<string, string>(),
    wordDf: new Map<string, number>(),
    // Per word, an id in the order first met; per section, the ids of its words (positions in `words` once sorted).
    wordIds: new Map<string, number>(),
    sectionWordList: { offsets: startingAtZero(), ids: growableInt32() },
  };
}

/** Counts one section (the next in order) with its page's context into `into`. */
function countSection(into: TCounts, section: TRankSection, context: TContext): void {
  // Per section: each of its terms (by id) in the order first met, its slot, and FIELD_COUNT counts per slot.
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
      addCount(into.termId(token.stem), field, 1);
      sectionWords.set(token.word, token.stem);
    }
    return tokens.length;
  };
  const parts = splitCode(section.content);
  const { prose, code } = parts;
  into.showsHow.push(showsHowIn(parts) ? 1 : 0);
  // Fields in FIELDS order, so that a section's terms are in the order they first occur: feedback reads them so.
  // The heading path holds the section's own heading last; a page's first section often has none. A section named
  // by an identifier is named by its definition too (definition.ts).
  const titleLength = countField(0, section.title);
  const definition = definitionOf(section.heading, prose);
  const pathLength = countField(1, definition === '' ? section.heading_path.join(' ') : `${section.heading_path.join(' ')} ${definition}`);
  const bodyLength = countField(2, prose);
  // The context's stems get their ids here, at its page's first section: where a build of all the sections meets them.
  if (!context.ids) context.ids = Int32Array.from(context.stems!, (term) => into.termId(term));
  context.stems = null;
  for (let at = 0; at < context.ids.length; at += 1) addCount(context.ids[at]!, 3, context.counts[at]!);
  const lengths: TPerField = [titleLength, pathLength, bodyLength, context.length, countField(4, code)];
  for (const length of lengths) into.fieldLengths.push(length);
  into.headingStems.push([...new Set(tokenize(section.heading).map((token) => token.stem))].join(' '));
  lengths.forEach((length, field) => (into.totals[field] = into.totals[field]! + length));
  const { postings, sectionTerms } = into;
  postings.counts.reserve(slotIds.length * FIELD_COUNT);
  for (let slot = 0; slot < slotIds.length; slot += 1) {
    const id = slotIds[slot]!;
    const at = slot * FIELD_COUNT;
    // Feedback reads what the section itself says: its page's context is shared by all its sections.
    const own = ownTf(slotTf, at);
    if (own > 0) {
      sectionTerms.ids.push(id);
      sectionTerms.counts.push(own);
    }
    postings.terms.push(id);
    for (let field = 0; field < FIELD_COUNT; field += 1) postings.counts.push(Math.min(slotTf[at + field]!, MAX_FIELD_TF));
  }
  postings.starts.push(postings.terms.length);
  sectionTerms.offsets.push(sectionTerms.ids.length);
  for (const [word, wordStem] of sectionWords) {
    into.wordStems.set(word, wordStem);
    into.wordDf.set(word, (into.wordDf.get(word) ?? 0) + 1);
    let wordId = into.wordIds.get(word);
    if (wordId === undefined) into.wordIds.set(word, (wordId = into.wordIds.size));
    into.sectionWordList.ids.push(wordId);
  }
  into.sectionWordList.offsets.push(into.sectionWordList.ids.length);
}

/**
 * Learned vocabulary: each approved word counts once in the title field of every section of its page, so a reader's
 * own word for a page ranks it as a word of its title would, and rare words weigh more as usual. Added to the title
 * counts logged (at most MAX_FIELD_TF); for a section without the word, returned as a posting to add (by section).
 */
function addLearned(counts: TCounts, learned: TLearnedWord[], pages: TRankPage[], pageByPath: Map<string, number>): Map<number, Map<number, number[]>> {
  const bySection = new Map<number, Map<number, number>>();
  for (const { word, path } of learned) {
    const page = pageByPath.get(path);
    if (page === undefined) continue;
    for (const token of tokenize(word)) {
      const id = counts.termId(token.stem);
      for (const section of pages[page]!.sections) {
        let added = bySection.get(section);
        if (!added) bySection.set(section, (added = new Map()));
        added.set(id, (added.get(id) ?? 0) + 1);
      }
    }
  }
  const { terms, counts: tf, starts } = counts.postings;
  const fresh = new Map<number, Map<number, number[]>>();
  for (const [section, added] of bySection) {
    const missing = new Map(added);
    for (let at = starts.values[section]!; at < starts.values[section + 1]!; at += 1) {
      const more = added.get(terms.values[at]!);
      if (more === undefined) continue;
      tf.values[at * FIELD_COUNT] = Math.min(tf.values[at * FIELD_COUNT]! + more, MAX_FIELD_TF);
      missing.delete(terms.values[at]!);
    }
    if (missing.size > 0) fresh.set(section, new Map([...missing].map(([id, more]) => [id, [Math.min(more, MAX_FIELD_TF), 0, 0, 0, 0]])));
  }
  return fresh;
}

export function rankIndexBuilder(learned: TLearnedWord[] = []): TRankIndexBuilder {
  const pageByPath = new Map<string, number>();
  const pages: TRankPage[] = [];
  /** Per page: its first section's head (whose page fields every section of the page shares), its description, its context once known. */
  const pageStates: { lead: TRankSectionHead; description: string; context: TContext | null }[] = [];
  const heads: TRankSectionHead[] = [];
  const sectionPage: number[] = [];
  const counts = emptyCounts();
  // Sections given but not counted yet (their page's context not known, or an earlier section's not), in order.
  let waiting: (TRankSection | undefined)[] = [];
  let next = 0;
  let isFinished = false;

  const countWaiting = () => {
    for (; next < waiting.length; next += 1) {
      const context = pageStates[sectionPage[heads.length - waiting.length + next]!]!.context;
      if (!context) break;
      countSection(counts, waiting[next]!, context);
      waiting[next] = undefined;
    }
    if (next === waiting.length || next > 4096) {
      waiting = waiting.slice(next);
      next = 0;
    }
  };

  const arrive = (section: TRankSection) => {
    let page = pageByPath.get(section.path);
    if (page === undefined) {
      page = pages.length;
      pageByPath.set(section.path, page);
      const titleTokens = tokenize(section.title);
      const updatedAt = Date.parse(section.meta?.updatedAt ?? '');
      const isThread = publicSourceKind(section.kind ?? 'folder') === 'thread';
      const isCode = publicSourceKind(section.kind ?? 'folder') === 'code';
      pages.push({
        path: section.path,
        // Worked out when every page is known (finish): it reads the other pages' paths.
        kind: 'guide',
        titleStems: new Set(titleTokens.map((token) => token.stem)),
        titleLength: new Set(titleTokens.map((token) => token.position)).size,
        sections: [],
        isThread,
        isCode,
        updatedAt: Number.isFinite(updatedAt) ? updatedAt : null,
      });
      // A thread's description is its source's line about it ("Issue #12 in owner/name, open (not fixed yet), updated
      // 2024-05-01"), the same words on every thread: not what it is about, so its context is its question's first
      // paragraph alone.
      pageStates.push({ lead: headOf(section, section), description: isThread ? '' : (section.description ?? ''), context: null });
    }
    const state = pageStates[page]!;
    pages[page]!.sections.push(heads.length);
    sectionPage.push(page);
    heads.push(headOf(state.lead, section));
    if (!state.context) {
      const intro = introParagraph(section.content);
      const isLast = section.page_last_id !== undefined && section.id >= section.page_last_id;
      if (intro || isLast) state.context = countedContext(contextOf(state.description, intro));
    }
    waiting.push(section);
  };

  return {
    add(sections) {
      if (isFinished) throw new Error('rankIndexBuilder: add after finish');
      for (const section of sections) {
        arrive(section);
        countWaiting();
      }
    },
    finish() {
      isFinished = true;
      // Every page is complete now: one without a paragraph long enough has its description alone.
      for (const state of pageStates) state.context ??= countedContext(contextOf(state.description, null));
      countWaiting();
      const paths = new Set(pages.map((page) => page.path));
      for (const page of pages) page.kind = pageKind(page.path, paths);
      return finishIndex({ counts, fresh: addLearned(counts, learned, pages, pageByPath), pages, heads, sectionPage, contexts: pageStates.map((state) => state.context!), learned });
    },
  };
}

/** The index of every section of `sections`, in their order (rankIndexBuilder, given them at once). */
export function buildRankIndex(sections: TRankSection[], learned: TLearnedWord[] = []): TRankIndex {
  const builder = rankIndexBuilder(learned);
  builder.add(sections);
  return builder.finish();
}

/** The index from what a build counted: postings regrouped by term, the corpus statistics, the words and the page level. */
function finishIndex({
  counts,
  fresh,
  pages,
  heads,
  sectionPage,
  contexts,
  learned,
}: {
  counts: TCounts;
  fresh: Map<number, Map<number, number[]>>;
  pages: TRankPage[];
  heads: TRankSectionHead[];
  sectionPage: number[];
  contexts: TContext[];
  learned: TLearnedWord[];
}): TRankIndex {
  const { terms } = counts;
  const termCount = terms.length;
  const { offsets, documents: postingSections, counts: tf } = byTerm(counts.postings, termCount, FIELD_COUNT, (length) => new Uint8Array(length), fresh);
  const count = Math.max(heads.length, 1);
  const idf = new Float64Array(termCount);
  let maxIdf = 0;
  for (let id = 0; id < termCount; id += 1) {
    // Rarity counts the sections whose own text has the word: a page's context is repeated in each of its sections,
    // and counting it would make a description's words look as common as the page is long. A word only contexts
    // have counts every section it is indexed in.
    let own = 0;
    for (let at = offsets[id]!; at < offsets[id + 1]!; at += 1) if (ownTf(tf, at * FIELD_COUNT) > 0) own += 1;
    const df = own > 0 ? own : offsets[id + 1]! - offsets[id]!;
    const value = bm25Idf(count, df);
    idf[id] = value;
    maxIdf = Math.max(maxIdf, value);
  }
  const words = [...counts.wordStems]
    .filter(([word]) => /^\p{L}/u.test(word))
    .map(([word, wordStem]) => ({ word, stem: wordStem, df: counts.wordDf.get(word) ?? 0 }))
    .sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  const wordsBySection = sectionWordsOf(words, counts.wordIds, counts.sectionWordList);
  const sectionTerms = { offsets: counts.sectionTerms.offsets.toArray(), ids: counts.sectionTerms.ids.toArray(), counts: counts.sectionTerms.counts.toArray() };
  const page = pageDocuments(pages, termCount, sectionTerms, contexts);
  const compact: TCompactPostings = {
    terms,
    offsets,
    sections: postingSections,
    tf,
    idf,
    sectionTermOffsets: sectionTerms.offsets,
    sectionTermIds: sectionTerms.ids,
    sectionTermCounts: sectionTerms.counts,
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
    sections: heads,
    sectionPage,
    fieldLengths: counts.fieldLengths.toArray(),
    headingStems: counts.headingStems,
    averageLengths: counts.totals.map((total) => Math.max(total / count, 1)) as TPerField,
    pages,
    maxIdf: Math.max(maxIdf, bm25Idf(count, 1)),
    words,
    sectionWords: wordsBySection,
    showsHow: counts.showsHow.toArray(),
    compact,
    learned: learned.map(({ word, path }) => ({ word, path })),
  };
}

/** Each section's words (ids in the order first met, by `wordIds`) as positions in the sorted `words`, ascending; words `words` leaves out dropped. */
function sectionWordsOf(words: TRankIndex['words'], wordIds: Map<string, number>, list: { offsets: Growable<Int32Array>; ids: Growable<Int32Array> }): TSectionWords {
  const position = new Int32Array(wordIds.size).fill(-1);
  words.forEach((entry, at) => (position[wordIds.get(entry.word)!] = at));
  const offsets = new Int32Array(list.offsets.length);
  const ids = wordPositions(list.ids.length, words.length);
  const from = list.offsets.values;
  let write = 0;
  for (let section = 0; section + 1 < list.offsets.length; section += 1) {
    const start = write;
    for (let at = from[section]!; at < from[section + 1]!; at += 1) {
      const found = position[list.ids.values[at]!]!;
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
    for (const [position, section] of index.sections.entries()) if (!leads.has(section.path) && isLiveSection(index, position)) leads.set(section.path, position);
    leadPositions.set(index, leads);
  }
  return leads;
}
