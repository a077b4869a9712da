import type { TRankSectionRow } from '../../db/docs';
import { stem, tokenize } from './text';

// The in-memory ranking index: built from the sections stored in the database (the source of truth) when a
// server first searches and again when the docs index changes (lib/docs/ranking/store.ts). Each section is
// indexed with its context, as three fields: its page's title, its heading path, and its body. Every instance
// builds its own; nothing here is written back.

/** A section as stored (`lib/db/docs.ts`); `path` is relative to the docs folder: `components/button/index.mdx`. */
export type TRankSection = TRankSectionRow;

/**
 * What kind of page a section is on. A component's API and changelog tabs (api.mdx, changelog.mdx beside its
 * index.mdx) and blog posts or newsletters are ranked below guides unless the question asks for them.
 */
export type TPageKind = 'guide' | 'api' | 'changelog' | 'blog';

export const FIELDS = ['title', 'path', 'body'] as const;
export type TField = (typeof FIELDS)[number];

export type TPosting = { section: number; tf: [number, number, number] };

export type TRankPage = { path: string; kind: TPageKind; titleStems: Set<string>; titleLength: number; sections: number[] };

export type TRankIndex = {
  sections: TRankSection[];
  /** Per section: its page (index into `pages`), field lengths, heading stems. */
  sectionPage: number[];
  fieldLengths: [number, number, number][];
  headingStems: Set<string>[];
  averageLengths: [number, number, number];
  pages: TRankPage[];
  postings: Map<string, TPosting[]>;
  /** Stem → inverse document frequency (BM25's, over sections). */
  idf: Map<string, number>;
  maxIdf: number;
  /** Every word of the docs (lower-cased) with its stem and section frequency, sorted by word: prefix and typo lookups. */
  words: { word: string; stem: string; df: number }[];
  /** Page and component names (title stems) by each of their prefixes a form of them may share ("spin" → spinner). */
  namesByPrefix: Map<string, string[]>;
  nameStems: Set<string>;
  /** A word with one letter deleted → the docs words it comes from: one-edit typo lookups (symmetric deletion). */
  wordsByDeletion: Map<string, number[]>;
  /** Per section, its stems with their counts over all three fields: pseudo-relevance feedback reads them. */
  sectionTerms: [string, number][][];
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

const BLOG_FOLDERS = new Set(['blog', 'news', 'newsletter', 'newsletters', 'posts', 'releases']);

export function pageKind(path: string, paths: Set<string>): TPageKind {
  const parts = path.split('/');
  const base = parts.at(-1) ?? '';
  const sibling = [...parts.slice(0, -1), 'index.mdx'].join('/');
  const hasGuide = paths.has(sibling) || paths.has(sibling.replace(/\.mdx$/, '.md'));
  if (hasGuide && /^api\.mdx?$/.test(base)) return 'api';
  if (/^changelog\.mdx?$/.test(base) || /(^|\/)changelog(\/|\.mdx?$)/.test(path)) return 'changelog';
  if (BLOG_FOLDERS.has(parts[0] ?? '') && parts.length > 1) return 'blog';
  return 'guide';
}

function countStems(text: string, into: Map<string, number>, words?: Map<string, string>): number {
  const tokens = tokenize(text);
  for (const token of tokens) {
    into.set(token.stem, (into.get(token.stem) ?? 0) + 1);
    words?.set(token.word, token.stem);
  }
  return tokens.length;
}

/** A reader's word a maintainer approved for a page: indexed as if the page's title had it. */
export type TLearnedWord = { word: string; path: string };

export function buildRankIndex(sections: TRankSection[], learned: TLearnedWord[] = []): TRankIndex {
  const paths = new Set(sections.map((section) => section.path));
  const pageByPath = new Map<string, number>();
  const pages: TRankPage[] = [];
  const sectionPage: number[] = [];
  const fieldLengths: [number, number, number][] = [];
  const headingStems: Set<string>[] = [];
  const postings = new Map<string, TPosting[]>();
  const wordStems = new Map<string, string>();
  const wordDf = new Map<string, number>();
  const totals: [number, number, number] = [0, 0, 0];
  const sectionTerms: [string, number][][] = [];

  sections.forEach((section, index) => {
    let page = pageByPath.get(section.path);
    if (page === undefined) {
      page = pages.length;
      pageByPath.set(section.path, page);
      const titleTokens = tokenize(section.title);
      pages.push({
        path: section.path,
        kind: pageKind(section.path, paths),
        titleStems: new Set(titleTokens.map((token) => token.stem)),
        titleLength: new Set(titleTokens.map((token) => token.position)).size,
        sections: [],
      });
    }
    pages[page]!.sections.push(index);
    sectionPage.push(page);
    // The heading path holds the section's own heading last; a page's first section often has none.
    const counts = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()] as const;
    const sectionWords = new Map<string, string>();
    const lengths: [number, number, number] = [
      countStems(section.title, counts[0], sectionWords),
      countStems(section.heading_path.join(' '), counts[1], sectionWords),
      countStems(section.content, counts[2], sectionWords),
    ];
    fieldLengths.push(lengths);
    headingStems.push(new Set(tokenize(section.heading).map((token) => token.stem)));
    lengths.forEach((length, field) => (totals[field] = totals[field]! + length));
    const stems = new Set([...counts[0].keys(), ...counts[1].keys(), ...counts[2].keys()]);
    sectionTerms.push([...stems].map((term) => [term, (counts[0].get(term) ?? 0) + (counts[1].get(term) ?? 0) + (counts[2].get(term) ?? 0)]));
    for (const term of stems) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push({ section: index, tf: [counts[0].get(term) ?? 0, counts[1].get(term) ?? 0, counts[2].get(term) ?? 0] });
    }
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
        else list.push({ section, tf: [1, 0, 0] });
      }
    }
  }
  for (const list of postings.values()) list.sort((a, b) => a.section - b.section);

  const count = Math.max(sections.length, 1);
  const idf = new Map<string, number>();
  let maxIdf = 0;
  for (const [term, list] of postings) {
    const value = Math.log(1 + (count - list.length + 0.5) / (list.length + 0.5));
    idf.set(term, value);
    maxIdf = Math.max(maxIdf, value);
  }
  const words = [...wordStems]
    .filter(([word]) => /^\p{L}/u.test(word))
    .map(([word, wordStem]) => ({ word, stem: wordStem, df: wordDf.get(word) ?? 0 }))
    .sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  const nameStems = new Set([...new Set(pages.flatMap((page) => [...page.titleStems]))].filter((name) => name.length >= 4 && /^\p{L}+$/u.test(name)));
  const namesByPrefix = new Map<string, string[]>();
  for (const name of nameStems) {
    for (let length = Math.max(4, name.length - 3); length < name.length; length += 1) {
      const prefix = name.slice(0, length);
      namesByPrefix.set(prefix, [...(namesByPrefix.get(prefix) ?? []), name]);
    }
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
  return {
    sections,
    sectionPage,
    fieldLengths,
    headingStems,
    averageLengths: totals.map((total) => Math.max(total / count, 1)) as [number, number, number],
    pages,
    postings,
    idf,
    maxIdf: Math.max(maxIdf, Math.log(1 + (count - 0.5) / 1.5)),
    words,
    namesByPrefix,
    nameStems,
    wordsByDeletion,
    sectionTerms,
  };
}

/** The stem a reader's word would be indexed under (for callers that map words to index terms). */
export { stem };
