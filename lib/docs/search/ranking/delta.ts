import { pageKind } from '../../../relevance/page-kind';
import { bm25Idf, buildRankIndex, deletionKeys, FIELDS, isTypoWord, namesByVerbOf, ownTf, postingViews, sortedPosition, type TCompactPostings, type TLearnedWord, type TPerField, type TRankIndex, type TRankPage, type TRankSection, type TSectionWords, wordPositions } from './build';

// A change to the docs applied to the ranking index held in memory, at the cost of the changed pages, as a search
// engine merges a small segment into a large one. Only the changed pages are analysed (tokenized, counted: almost
// all of a build's time); the rest of the index is not analysed again but copied: its flat arrays (TCompactPostings)
// with the sections of changed and removed pages tombstoned (dropped) and the changed pages' postings appended. The
// corpus statistics (idf, page idf, average lengths, word frequencies, page kinds, the newest update, and what
// derivedLookups works out from words and pages) are then counted again over the merged arrays. The index holds no
// section's text (build.ts): a removed section's words are taken off their frequencies from `sectionWords`.
//
// The result is the index a full build of the same sections gives (tests/unit/rank-delta.test.ts compares them): the
// sections in the same order (those kept in id order, then the new ones, whose ids are above every kept one), the
// same pages in the same order, the same postings, statistics and words. Term ids may differ (a new term comes after
// every kept one), which nothing reads but through `terms`. Where that cannot hold, this declines (null) and the
// caller builds in full: a page with some sections kept and some new (the indexer replaces a page's sections whole,
// 40_docs_index.sql), a new section whose id is not above every kept one, other approved vocabulary, or a change of
// more sections than are kept (analysing them is then most of a full build, and the copy saves little).

const FIELD_COUNT = FIELDS.length;

const sameLearned = (a: readonly TLearnedWord[], b: readonly TLearnedWord[]) =>
  a.length === b.length && a.every((entry, at) => entry.word === b[at]!.word && entry.path === b[at]!.path);

export type TRankDelta = {
  /** Ids of sections the index holds that are no longer stored. */
  removedIds: ReadonlySet<number>;
  /** Sections stored since the index was built, in id order. */
  added: TRankSection[];
  /** The approved vocabulary now (the index's own must be the same). */
  learned: TLearnedWord[];
};

/** `base` with `delta` applied: what buildRankIndex would give for the sections stored now; null when it cannot tell. */
export function applyRankDelta(base: TRankIndex, delta: TRankDelta): TRankIndex | null {
  if (!sameLearned(base.learned, delta.learned)) return null;
  // The version moved but no section did (embeddings stored, say): the same index, its caches kept.
  if (delta.removedIds.size === 0 && delta.added.length === 0) return base;
  const plan = planRankDelta(base, delta.removedIds, delta.added);
  if (!plan) return null;
  // The changed pages analysed on their own: what is theirs alone (postings, lengths, contexts) does not depend on the rest.
  return mergeRankSegment(base, plan, buildRankIndex(delta.added, delta.learned));
}

/** Whether two lists of approved words are the same (a change is applied in place only under the same). */
export const isSameLearned = sameLearned;

/**
 * Where each of the base's sections goes when the change is applied (`remap`: its new position, -1 when removed),
 * how many are kept, and the paths of the pages the change touches; null where the result could not be a full
 * build's (the header says when).
 */
export type TRankDeltaPlan = { remap: Int32Array; kept: number; touched: Set<string> };

export function planRankDelta(
  base: TRankIndex,
  removedIds: ReadonlySet<number>,
  added: readonly Pick<TRankSection, 'id' | 'path'>[],
  /** false: a change of more sections than are kept is planned too (an overlay's merge: the segment is analysed already). */
  isBounded = true,
): TRankDeltaPlan | null {
  const delta = { removedIds, added };
  let maxKeptId = -Infinity;
  const touched = new Set<string>();
  for (const section of base.sections) if (delta.removedIds.has(section.id)) touched.add(section.path);
  for (const section of delta.added) touched.add(section.path);
  const remap = new Int32Array(base.sections.length).fill(-1);
  let kept = 0;
  for (let at = 0; at < base.sections.length; at += 1) {
    const section = base.sections[at]!;
    if (delta.removedIds.has(section.id)) continue;
    // A page partly kept: its context and page-level counts mix old and new sections. Built in full.
    if (touched.has(section.path)) return null;
    maxKeptId = Math.max(maxKeptId, section.id);
    remap[at] = kept;
    kept += 1;
  }
  for (let at = 1; at < delta.added.length; at += 1) if (delta.added[at]!.id <= delta.added[at - 1]!.id) return null;
  if (delta.added.length > 0 && delta.added[0]!.id <= maxKeptId) return null;
  const removedCount = base.sections.length - kept;
  if (isBounded && removedCount + delta.added.length > kept) return null;
  return { remap, kept, touched };
}

/**
 * `base` with the sections `plan` drops tombstoned and `segment` (the index of the sections stored since, built on its
 * own) appended: one compact index, as a full build of the sections stored now gives it. Copies every posting.
 */
export function mergeRankSegment(base: TRankIndex, { remap, kept, touched }: TRankDeltaPlan, segment: TRankIndex): TRankIndex {
  const pageRemap = new Int32Array(base.pages.length).fill(-1);
  let keptPages = 0;
  base.pages.forEach((page, at) => {
    if (remap[page.sections[0]!]! >= 0) pageRemap[at] = keptPages++;
  });

  const sections = [...base.sections.filter((_, at) => remap[at]! >= 0), ...segment.sections];
  const paths = new Set<string>();
  base.pages.forEach((page, at) => pageRemap[at]! >= 0 && paths.add(page.path));
  for (const page of segment.pages) paths.add(page.path);
  // A page's kind depends on which pages sit beside it (text/page-kind.ts: an API tab beside a guide): worked out
  // again for pages in a folder where a page came or went; the others keep theirs. A page whose sections kept their
  // positions (all before the first removed one) is the base's very object.
  const folderOf = (pagePath: string) => pagePath.slice(0, pagePath.lastIndexOf('/') + 1);
  const touchedFolders = new Set([...touched].map(folderOf));
  const withKind = (page: TRankPage, offset: number, positions: (at: number) => number): TRankPage => {
    const kind = touchedFolders.has(folderOf(page.path)) ? pageKind(page.path, paths) : page.kind;
    const moved = page.sections.some((at) => positions(at) + offset !== at);
    if (!moved && kind === page.kind) return page;
    return { ...page, kind, sections: moved ? page.sections.map((at) => positions(at) + offset) : page.sections };
  };
  const pages = [
    ...base.pages.filter((_, at) => pageRemap[at]! >= 0).map((page) => withKind(page, 0, (at) => remap[at]!)),
    ...segment.pages.map((page) => ({ ...page, kind: pageKind(page.path, paths), sections: page.sections.map((at) => at + kept) })),
  ];
  const sectionPage = [...base.sectionPage.filter((_, at) => remap[at]! >= 0).map((page) => pageRemap[page]!), ...segment.sectionPage.map((page) => page + keptPages)];
  const compact = mergeCompact(base.compact, segment.compact, remap, kept, pageRemap, keptPages, sections.length, pages.length);
  const fieldLengths = new Int32Array(sections.length * FIELD_COUNT);
  for (let at = 0; at < remap.length; at += 1) {
    if (remap[at]! >= 0) fieldLengths.set(base.fieldLengths.subarray(at * FIELD_COUNT, (at + 1) * FIELD_COUNT), remap[at]! * FIELD_COUNT);
  }
  fieldLengths.set(segment.fieldLengths, kept * FIELD_COUNT);
  const totals: TPerField = [0, 0, 0, 0, 0];
  for (let at = 0; at < fieldLengths.length; at += 1) totals[at % FIELD_COUNT] = totals[at % FIELD_COUNT]! + fieldLengths[at]!;
  const count = Math.max(sections.length, 1);
  const pageLengths = [...base.pageLengths.filter((_, at) => pageRemap[at]! >= 0), ...segment.pageLengths];
  const showsHow = new Uint8Array(sections.length);
  for (let at = 0; at < remap.length; at += 1) if (remap[at]! >= 0) showsHow[remap[at]!] = base.showsHow[at]!;
  showsHow.set(segment.showsHow, kept);
  let newestUpdate: number | null = null;
  for (const info of pages) if (info.updatedAt !== null && (newestUpdate === null || info.updatedAt > newestUpdate)) newestUpdate = info.updatedAt;
  const { words, joined, left, basePosition, segmentPosition } = mergeWords(base, segment, remap);
  const sectionWords = mergeSectionWords(base.sectionWords, segment.sectionWords, remap, basePosition, segmentPosition, words.length);
  const views = postingViews(compact);
  let maxIdf = 0;
  for (let id = 0; id < compact.terms.length; id += 1) maxIdf = Math.max(maxIdf, compact.idf[id]!);
  return {
    ...views,
    namesByVerb: namesByVerbOf(pages, views.postings),
    wordsByDeletion: joined.length === 0 && left.length === 0 ? base.wordsByDeletion : updateWordsByDeletion(base.wordsByDeletion, joined, left),
    pageLengths,
    averagePageLength: Math.max(pageLengths.reduce((sum, length) => sum + length, 0) / Math.max(pages.length, 1), 1),
    newestUpdate,
    sections,
    sectionPage,
    fieldLengths,
    headingStems: [...base.headingStems.filter((_, at) => remap[at]! >= 0), ...segment.headingStems],
    averageLengths: totals.map((total) => Math.max(total / count, 1)) as TPerField,
    pages,
    maxIdf: Math.max(maxIdf, bm25Idf(count, 1)),
    words,
    sectionWords,
    showsHow,
    compact,
    learned: base.learned,
  };
}

/**
 * Every word's section frequency: the base's, less the removed sections' words (those `remap` drops), plus the
 * segment's; sorted by word (both lists are, and are merged). With the words that joined and those that left the
 * vocabulary, and where each base and segment word is in the result (-1: it left).
 */
export function mergeWords(
  base: TRankIndex,
  segment: TRankIndex,
  remap: Int32Array,
): { words: TRankIndex['words']; joined: string[]; left: string[]; basePosition: Int32Array; segmentPosition: Int32Array } {
  const removed = new Int32Array(base.words.length);
  const { offsets, ids } = base.sectionWords;
  for (let section = 0; section < remap.length; section += 1) {
    if (remap[section]! >= 0) continue;
    for (let at = offsets[section]!; at < offsets[section + 1]!; at += 1) removed[ids[at]!] = removed[ids[at]!]! + 1;
  }
  const words: TRankIndex['words'] = [];
  const joined: string[] = [];
  const left: string[] = [];
  const basePosition = new Int32Array(base.words.length).fill(-1);
  const segmentPosition = new Int32Array(segment.words.length);
  let at = 0;
  let from = 0;
  while (at < base.words.length || from < segment.words.length) {
    const entry = base.words[at];
    const fresh = segment.words[from];
    if (fresh && (!entry || fresh.word < entry.word)) {
      segmentPosition[from++] = words.length;
      words.push(fresh);
      joined.push(fresh.word);
      continue;
    }
    const isShared = fresh !== undefined && fresh.word === entry!.word;
    const df = entry!.df - removed[at]! + (isShared ? fresh.df : 0);
    if (!isShared && removed[at] === 0) {
      basePosition[at] = words.length;
      words.push(entry!);
    } else if (df > 0) {
      basePosition[at] = words.length;
      if (isShared) segmentPosition[from] = words.length;
      words.push({ word: entry!.word, stem: isShared ? fresh.stem : entry!.stem, df });
    } else left.push(entry!.word);
    at += 1;
    if (isShared) from += 1;
  }
  return { words, joined, left, basePosition, segmentPosition };
}

/** Each kept base section's words, then each segment section's, as positions in the merged words (mergeWords). */
function mergeSectionWords(
  base: TSectionWords,
  segment: TSectionWords,
  remap: Int32Array,
  basePosition: Int32Array,
  segmentPosition: Int32Array,
  wordCount: number,
): TSectionWords {
  let entries = segment.ids.length;
  let sections = segment.offsets.length - 1;
  for (let section = 0; section < remap.length; section += 1) {
    if (remap[section]! < 0) continue;
    entries += base.offsets[section + 1]! - base.offsets[section]!;
    sections += 1;
  }
  const offsets = new Int32Array(sections + 1);
  const ids = wordPositions(entries, wordCount);
  // Both word lists are in word order and so is the merged one: positions mapped stay ascending within a section.
  let write = 0;
  let next = 0;
  for (let section = 0; section < remap.length; section += 1) {
    if (remap[section]! < 0) continue;
    for (let at = base.offsets[section]!; at < base.offsets[section + 1]!; at += 1) ids[write++] = basePosition[base.ids[at]!]!;
    offsets[++next] = write;
  }
  for (let section = 0; section + 1 < segment.offsets.length; section += 1) {
    for (let at = segment.offsets[section]!; at < segment.offsets[section + 1]!; at += 1) ids[write++] = segmentPosition[segment.ids[at]!]!;
    offsets[++next] = write;
  }
  return { offsets, ids };
}

/** The base's typo lookups with the words that joined and left the vocabulary updated: copied keys, the rest shared. */
export function updateWordsByDeletion(base: TRankIndex['wordsByDeletion'], joined: string[], left: string[]): TRankIndex['wordsByDeletion'] {
  const out = new Map(base);
  const changed = new Set<string[]>();
  const listOf = (key: string) => {
    const list = out.get(key);
    if (list && changed.has(list)) return list;
    const copy = list ? [...list] : [];
    changed.add(copy);
    out.set(key, copy);
    return copy;
  };
  for (const word of left) {
    if (!isTypoWord(word)) continue;
    for (const key of deletionKeys(word)) {
      const list = listOf(key);
      list.splice(list.indexOf(word), 1);
      if (list.length === 0) out.delete(key);
    }
  }
  for (const word of joined) {
    if (!isTypoWord(word)) continue;
    for (const key of deletionKeys(word)) {
      const list = listOf(key);
      list.splice(sortedPosition(list, word), 0, word);
    }
  }
  return out;
}


/**
 * The base's flat arrays with tombstoned sections and pages dropped (positions renumbered by `remap` and
 * `pageRemap`), the segment's appended after them, terms left without a section dropped, and both idfs counted again.
 */
function mergeCompact(
  base: TCompactPostings,
  segment: TCompactPostings,
  remap: Int32Array,
  kept: number,
  pageRemap: Int32Array,
  keptPages: number,
  sectionCount: number,
  pageCount: number,
): TCompactPostings {
  const idOf = new Map<string, number>();
  base.terms.forEach((term, id) => idOf.set(term, id));
  // Merged candidate ids: the base's, then the segment's new terms.
  const segmentId = new Int32Array(segment.terms.length);
  const candidates = [...base.terms];
  segment.terms.forEach((term, id) => {
    let merged = idOf.get(term);
    if (merged === undefined) {
      merged = candidates.length;
      candidates.push(term);
    }
    segmentId[id] = merged;
  });
  const fromSegment = new Int32Array(candidates.length).fill(-1);
  segmentId.forEach((merged, id) => (fromSegment[merged] = id));
  // One pass over every posting, in term order: each term's surviving postings (kept base positions renumbered, then
  // the segment's after them), its page postings, and both idfs; a term left without sections gets no id. Written
  // into arrays sized for the most there can be, cut to what was written.
  const finalId = new Int32Array(candidates.length).fill(-1);
  const terms: string[] = [];
  const offsetList: number[] = [0];
  const pageOffsetList: number[] = [0];
  const postingSections = new Int32Array(base.sections.length + segment.sections.length);
  const tf = new Uint8Array(postingSections.length * FIELD_COUNT);
  const pagePages = new Int32Array(base.pagePages.length + segment.pagePages.length);
  const pageTf = new Uint32Array(pagePages.length);
  const idfs: number[] = [];
  const pageIdfs: number[] = [];
  let write = 0;
  let pageWrite = 0;
  // Locals, not property reads in the loops below: they run once per posting of the whole index.
  const { tf: baseTf, offsets: baseOffsets, sections: baseSections, pageOffsets: basePageOffsets, pagePages: basePagePages, pageTf: basePageTf } = base;
  const baseTerms = base.terms.length;
  for (let id = 0; id < candidates.length; id += 1) {
    const start = write;
    const pageStart = pageWrite;
    let own = 0;
    if (id < baseTerms) {
      for (let at = baseOffsets[id]!, end = baseOffsets[id + 1]!; at < end; at += 1) {
        const position = remap[baseSections[at]!]!;
        if (position < 0) continue;
        postingSections[write] = position;
        const from = at * FIELD_COUNT;
        const into = write * FIELD_COUNT;
        tf[into] = baseTf[from]!;
        tf[into + 1] = baseTf[from + 1]!;
        tf[into + 2] = baseTf[from + 2]!;
        tf[into + 3] = baseTf[from + 3]!;
        tf[into + 4] = baseTf[from + 4]!;
        if (baseTf[from]! + baseTf[from + 1]! + baseTf[from + 2]! + baseTf[from + 4]! > 0) own += 1;
        write += 1;
      }
      for (let at = basePageOffsets[id]!, end = basePageOffsets[id + 1]!; at < end; at += 1) {
        const page = pageRemap[basePagePages[at]!]!;
        if (page < 0) continue;
        pagePages[pageWrite] = page;
        pageTf[pageWrite] = basePageTf[at]!;
        pageWrite += 1;
      }
    }
    const from = fromSegment[id]!;
    if (from >= 0) {
      for (let at = segment.offsets[from]!; at < segment.offsets[from + 1]!; at += 1) {
        postingSections[write] = segment.sections[at]! + kept;
        tf.set(segment.tf.subarray(at * FIELD_COUNT, at * FIELD_COUNT + FIELD_COUNT), write * FIELD_COUNT);
        if (ownTf(tf, write * FIELD_COUNT) > 0) own += 1;
        write += 1;
      }
      for (let at = segment.pageOffsets[from]!; at < segment.pageOffsets[from + 1]!; at += 1) {
        pagePages[pageWrite] = segment.pagePages[at]! + keptPages;
        pageTf[pageWrite] = segment.pageTf[at]!;
        pageWrite += 1;
      }
    }
    if (write === start) {
      // No section has it any more (and so no page): the term is gone, as it is from a full build.
      pageWrite = pageStart;
      continue;
    }
    finalId[id] = terms.length;
    terms.push(candidates[id]!);
    offsetList.push(write);
    pageOffsetList.push(pageWrite);
    // As build.ts counts rarity: sections whose own text has the word, else every section it is indexed in.
    const df = own > 0 ? own : write - start;
    idfs.push(bm25Idf(Math.max(sectionCount, 1), df));
    const pageDf = pageWrite - pageStart;
    pageIdfs.push(pageDf > 0 ? bm25Idf(Math.max(pageCount, 1), pageDf) : Number.NaN);
  }
  const cut = <T extends Int32Array | Uint8Array | Uint16Array | Uint32Array>(array: T, length: number): T => (array.length === length ? array : (array.slice(0, length) as T));
  const offsets = Int32Array.from(offsetList);
  const pageOffsets = Int32Array.from(pageOffsetList);
  const idf = Float64Array.from(idfs);
  const pageIdf = Float64Array.from(pageIdfs);
  // Each kept section's own terms, renumbered, then the segment's.
  const sectionTermOffsets = new Int32Array(sectionCount + 1);
  let termEntries = segment.sectionTermIds.length;
  for (let section = 0; section < remap.length; section += 1) {
    if (remap[section]! >= 0) termEntries += base.sectionTermOffsets[section + 1]! - base.sectionTermOffsets[section]!;
  }
  const sectionTermIds = new Int32Array(termEntries);
  const sectionTermCounts = new Uint32Array(termEntries);
  let entry = 0;
  let next = 0;
  for (let section = 0; section < remap.length; section += 1) {
    if (remap[section]! < 0) continue;
    for (let at = base.sectionTermOffsets[section]!, end = base.sectionTermOffsets[section + 1]!; at < end; at += 1) {
      sectionTermIds[entry] = finalId[base.sectionTermIds[at]!]!;
      sectionTermCounts[entry] = base.sectionTermCounts[at]!;
      entry += 1;
    }
    sectionTermOffsets[++next] = entry;
  }
  for (let section = 0; section + 1 < segment.sectionTermOffsets.length; section += 1) {
    for (let at = segment.sectionTermOffsets[section]!; at < segment.sectionTermOffsets[section + 1]!; at += 1) {
      sectionTermIds[entry] = finalId[segmentId[segment.sectionTermIds[at]!]!]!;
      sectionTermCounts[entry] = segment.sectionTermCounts[at]!;
      entry += 1;
    }
    sectionTermOffsets[++next] = entry;
  }
  return {
    terms,
    offsets,
    sections: cut(postingSections, write),
    tf: cut(tf, write * FIELD_COUNT),
    idf,
    sectionTermOffsets,
    sectionTermIds,
    sectionTermCounts,
    pageOffsets,
    pagePages: cut(pagePages, pageWrite),
    pageTf: cut(pageTf, pageWrite),
    pageIdf,
  };
}
