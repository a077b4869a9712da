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

/**
 * A section as stored (`lib/db/docs-index.ts`); `path` is relative to the docs folder: `components/button/index.mdx`.
 * `kind` (its source's label) and `meta` are carried, not ranked on: a section without them is the folder's.
 */
export type TRankSection = Omit<TRankSectionRow, 'kind' | 'meta'> & Partial<Pick<TRankSectionRow, 'kind' | 'meta'>>;

export const FIELDS = ['title', 'path', 'body', 'context', 'code'] as const;
export type TField = (typeof FIELDS)[number];

/** A value per field, in FIELDS order. */
export type TPerField = [number, number, number, number, number];

export type TPosting = { section: number; tf: TPerField };

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

export type TRankIndex = {
  sections: TRankSection[];
  /** Per section: its page (index into `pages`), field lengths, heading stems. */
  sectionPage: number[];
  fieldLengths: TPerField[];
  headingStems: Set<string>[];
  averageLengths: TPerField;
  pages: TRankPage[];
  postings: Map<string, TPosting[]>;
  /** Stem → inverse document frequency (BM25's, over sections). */
  idf: Map<string, number>;
  maxIdf: number;
  /** Every word of the docs (lower-cased) with its stem and section frequency, sorted by word: prefix and typo lookups. */
  words: { word: string; stem: string; df: number }[];
  /** Page and component names (title stems) that are agent nouns, by their verb's stem ("spin" → spinner). */
  namesByVerb: Map<string, string[]>;
  /** A word with one letter deleted → the docs words it comes from: one-edit typo lookups (symmetric deletion). */
  wordsByDeletion: Map<string, number[]>;
  /** Per section, 1 when it shows how to do something: it has a code block or numbered steps. */
  showsHow: Uint8Array;
  /** Per section, its stems with their counts over all fields: pseudo-relevance feedback reads them. */
  sectionTerms: [string, number][][];
  /**
   * Each page as one document (its sections' words and its context): page-level BM25, which finds the page a
   * reader describes as a whole when no one section says it all.
   */
  pagePostings: Map<string, { page: number; tf: number }[]>;
  pageLengths: number[];
  averagePageLength: number;
  pageIdf: Map<string, number>;
  /** The latest `updatedAt` of any page (null: none has one): a page's age is counted back from it (rank.ts, recency). */
  newestUpdate: number | null;
};

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

/** The page-level index: each page's words summed over its sections, with its context once. */
function pageDocuments(
  pages: TRankPage[],
  sectionTerms: [string, number][][],
  contexts: { counts: Map<string, number>; length: number }[],
): Pick<TRankIndex, 'pagePostings' | 'pageLengths' | 'averagePageLength' | 'pageIdf'> {
  const pagePostings = new Map<string, { page: number; tf: number }[]>();
  const pageLengths: number[] = [];
  pages.forEach((info, page) => {
    const counts = new Map(contexts[page]!.counts);
    for (const section of info.sections) for (const [term, count] of sectionTerms[section]!) counts.set(term, (counts.get(term) ?? 0) + count);
    let length = 0;
    for (const [term, tf] of counts) {
      length += tf;
      let list = pagePostings.get(term);
      if (!list) pagePostings.set(term, (list = []));
      list.push({ page, tf });
    }
    pageLengths.push(length);
  });
  const count = Math.max(pages.length, 1);
  const pageIdf = new Map<string, number>();
  for (const [term, list] of pagePostings) pageIdf.set(term, Math.log(1 + (count - list.length + 0.5) / (list.length + 0.5)));
  return { pagePostings, pageLengths, averagePageLength: Math.max(pageLengths.reduce((sum, length) => sum + length, 0) / count, 1), pageIdf };
}

/** A reader's word a maintainer approved for a page: indexed as if the page's title had it. */
export type TLearnedWord = { word: string; path: string };

/** A term's count in what the section itself says: every field but its page's context. */
function ownTf(tf: TPerField): number {
  return tf[0] + tf[1] + tf[2] + tf[4];
}

export function buildRankIndex(sections: TRankSection[], learned: TLearnedWord[] = []): TRankIndex {
  const paths = new Set(sections.map((section) => section.path));
  const pageByPath = new Map<string, number>();
  const pages: TRankPage[] = [];
  const sectionPage: number[] = [];
  const fieldLengths: TPerField[] = [];
  const headingStems: Set<string>[] = [];
  const postings = new Map<string, TPosting[]>();
  const wordStems = new Map<string, string>();
  const wordDf = new Map<string, number>();
  const totals: TPerField = [0, 0, 0, 0, 0];
  const sectionTerms: [string, number][][] = [];
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

  sections.forEach((section, index) => {
    // The heading path holds the section's own heading last; a page's first section often has none.
    const context = contexts[sectionPage[index]!]!;
    const counts = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>(), context.counts, new Map<string, number>()] as const;
    const sectionWords = new Map<string, string>();
    const parts = splitCode(section.content);
    const { prose, code } = parts;
    if (showsHowIn(parts)) sectionShowsHow[index] = 1;
    const lengths: TPerField = [
      countStems(section.title, counts[0], sectionWords),
      countStems(section.heading_path.join(' '), counts[1], sectionWords),
      countStems(prose, counts[2], sectionWords),
      context.length,
      countStems(code, counts[4], sectionWords),
    ];
    fieldLengths.push(lengths);
    headingStems.push(new Set(tokenize(section.heading).map((token) => token.stem)));
    lengths.forEach((length, field) => (totals[field] = totals[field]! + length));
    const stems = new Set(counts.flatMap((count) => [...count.keys()]));
    const terms: [string, number][] = [];
    for (const term of stems) {
      const tf = counts.map((count) => count.get(term) ?? 0) as TPerField;
      // Feedback reads what the section itself says: its page's context is shared by all its sections.
      const own = ownTf(tf);
      if (own > 0) terms.push([term, own]);
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push({ section: index, tf });
    }
    sectionTerms.push(terms);
    for (const [word, wordStem] of sectionWords) {
      wordStems.set(word, wordStem);
      wordDf.set(word, (wordDf.get(word) ?? 0) + 1);
    }
  });

  // Learned vocabulary: each approved word counts once in the title field of every section of its page, so a
  // reader's own word for a page ranks it as a word of its title would, and rare words weigh more as usual.
  for (const { word, path } of learned) {
    const page = pageByPath.get(path);
    if (page === undefined) continue;
    for (const token of tokenize(word)) {
      let list = postings.get(token.stem);
      if (!list) postings.set(token.stem, (list = []));
      for (const section of pages[page]!.sections) {
        const posting = list.find((entry) => entry.section === section);
        if (posting) posting.tf[0] += 1;
        else list.push({ section, tf: [1, 0, 0, 0, 0] });
      }
    }
  }
  for (const list of postings.values()) list.sort((a, b) => a.section - b.section);

  const count = Math.max(sections.length, 1);
  const idf = new Map<string, number>();
  let maxIdf = 0;
  for (const [term, list] of postings) {
    // Rarity counts the sections whose own text has the word: a page's context is repeated in each of its sections,
    // and counting it would make a description's words look as common as the page is long. A word only contexts
    // have counts every section it is indexed in.
    let own = 0;
    for (const posting of list) if (ownTf(posting.tf) > 0) own += 1;
    const df = own > 0 ? own : list.length;
    const value = Math.log(1 + (count - df + 0.5) / (df + 0.5));
    idf.set(term, value);
    maxIdf = Math.max(maxIdf, value);
  }
  const words = [...wordStems]
    .filter(([word]) => /^\p{L}/u.test(word))
    .map(([word, wordStem]) => ({ word, stem: wordStem, df: wordDf.get(word) ?? 0 }))
    .sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
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
  const wordsByDeletion = new Map<string, number[]>();
  words.forEach((entry, position) => {
    if (entry.word.length < 4 || !/^\p{L}+$/u.test(entry.word)) return;
    for (const key of deletionKeys(entry.word)) {
      let list = wordsByDeletion.get(key);
      if (!list) wordsByDeletion.set(key, (list = []));
      list.push(position);
    }
  });
  const page = pageDocuments(pages, sectionTerms, contexts);
  let newestUpdate: number | null = null;
  for (const info of pages) if (info.updatedAt !== null && (newestUpdate === null || info.updatedAt > newestUpdate)) newestUpdate = info.updatedAt;
  return {
    ...page,
    newestUpdate,
    sections,
    sectionPage,
    fieldLengths,
    headingStems,
    averageLengths: totals.map((total) => Math.max(total / count, 1)) as TPerField,
    pages,
    postings,
    idf,
    maxIdf: Math.max(maxIdf, Math.log(1 + (count - 0.5) / 1.5)),
    words,
    namesByVerb,
    wordsByDeletion,
    showsHow: sectionShowsHow,
    sectionTerms,
  };
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
