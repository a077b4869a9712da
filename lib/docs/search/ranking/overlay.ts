import { pageKind } from '../../../relevance/page-kind';
import { bm25Idf, FIELDS, isTypoWord, deletionKeys, namesByVerbFrom, nameStemsOf, ownTf, sortedPosition, type TPagePostingList, type TPostingList, type TRankIndex, type TRankPage } from './build';
import { mergeRankSegment, mergeWords, planRankDelta } from './delta';

// A change to the docs laid over the ranking index held in memory, at the cost of the changed pages, as a search engine
// adds a small segment beside its large one and merges them later. The compact index (the base: built, loaded, or
// merged) is not copied: the sections no longer stored stay in it as tombstones (`dead`: never matched, never counted),
// and the sections stored since it are indexed on their own (the segment), their positions following the base's. What
// the ranker reads is the base and the segment together: each term's postings (the base's list, the segment's after
// it, a tombstone's posting saturating to -1: saturation.ts), its idf and its page-level postings counted over the live
// sections and pages when first asked for (one pass over the term's list, as a saturation is), the corpus statistics
// (section count, average lengths, page lengths) adjusted by what the tombstones and the segment take away and add.
//
// The ranking is the one a full build of the sections stored now gives: the same scores (every statistic is the same
// sum of whole numbers, divided alike) and the same order (the live sections keep their relative order, the base's
// then the segment's, as in a full build; ties are broken by position). Not every field is a full build's: positions
// include the tombstones (readers that walk `sections` skip them: isLiveSection), and `compact` and `sectionWords` are
// the base's (sectionTermsOf and the next change read through `overlay`). The maps postings, idf, pagePostings and
// pageIdf answer get and has only (nothing reads an overlaid index's maps otherwise), computed per term when asked.
//
// Merged into one compact index (mergeOverlay, delta.ts's merge: every posting copied) off the request path, once the
// docs have been quiet a while, or when the overlay grows past a bound (store.ts).

const FIELD_COUNT = FIELDS.length;

/** A Map whose get and has are `read` (an overlaid index's lookups): nothing is stored in it. */
class LookupMap<V> extends Map<string, V> {
  constructor(private readonly read: (key: string) => V | undefined) {
    super();
  }

  override get(key: string): V | undefined {
    return this.read(key);
  }

  override has(key: string): boolean {
    return this.read(key) !== undefined;
  }
}

/**
 * What each base keeps for the overlays laid over it, worked out once (the first change to it): sums over all its
 * sections and pages, its pages by path, and the names its pages give (nameStemsOf) with the pages that give each, in
 * the order a build first meets them.
 */
type TBaseSums = {
  totals: number[];
  pageLengths: number;
  maxId: number;
  digest: TSectionIdDigest;
  pageByPath: Map<string, number>;
  names: Map<string, number[]>;
};
const baseSums = new WeakMap<TRankIndex, TBaseSums>();

function sumsOf(base: TRankIndex): TBaseSums {
  let sums = baseSums.get(base);
  if (!sums) {
    const totals = [0, 0, 0, 0, 0];
    for (let at = 0; at < base.fieldLengths.length; at += 1) totals[at % FIELD_COUNT] = totals[at % FIELD_COUNT]! + base.fieldLengths[at]!;
    let maxId = 0;
    for (const section of base.sections) maxId = Math.max(maxId, section.id);
    const pageLengths = base.pageLengths.reduce((sum, length) => sum + length, 0);
    const pageByPath = new Map<string, number>();
    const names = new Map<string, number[]>();
    base.pages.forEach((page, at) => {
      pageByPath.set(page.path, at);
      for (const name of nameStemsOf(page)) {
        const pages = names.get(name);
        if (pages) pages.push(at);
        else names.set(name, [at]);
      }
    });
    baseSums.set(base, (sums = { totals, pageLengths, maxId, digest: sectionIdDigest(base.sections.map((section) => section.id)), pageByPath, names }));
  }
  return sums;
}

/** The position in `base.sections` (in id order: build.ts) of the section `id`, or -1. */
function positionOfId(base: TRankIndex, id: number): number {
  let low = 0;
  let high = base.sections.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (base.sections[middle]!.id < id) low = middle + 1;
    else high = middle;
  }
  return base.sections[low]?.id === id ? low : -1;
}

/**
 * Which of the base's sections `removedIds` tombstones, at the cost of the change: each found by its id (a base's
 * sections are in id order), its page with it; null where the quick checks do not hold (a page partly removed, or one
 * kept whose path has sections in the segment, an id not found, a segment section not above every base id: the caller
 * plans over every section, delta.ts#planRankDelta).
 */
function tombstones(base: TRankIndex, removedIds: ReadonlySet<number>, segment: TRankIndex): { dead: Uint8Array; deadPageList: number[] } | null {
  const { maxId, pageByPath } = sumsOf(base);
  if (segment.sections.length > 0 && segment.sections[0]!.id <= maxId) return null;
  for (let at = 1; at < segment.sections.length; at += 1) if (segment.sections[at]!.id <= segment.sections[at - 1]!.id) return null;
  const dead = new Uint8Array(base.sections.length);
  const deadPageList: number[] = [];
  const isDeadPage = new Set<number>();
  for (const id of removedIds) {
    const position = positionOfId(base, id);
    if (position < 0) return null;
    dead[position] = 1;
    const page = base.sectionPage[position]!;
    if (!isDeadPage.has(page)) {
      isDeadPage.add(page);
      deadPageList.push(page);
    }
  }
  for (const page of deadPageList) if (base.pages[page]!.sections.some((at) => dead[at] === 0)) return null;
  for (const page of segment.pages) {
    const kept = pageByPath.get(page.path);
    if (kept !== undefined && !isDeadPage.has(kept)) return null;
  }
  return { dead, deadPageList: deadPageList.sort((a, b) => a - b) };
}

/** A Set whose has is `read` (pageKind asks an overlaid index's live paths): nothing is stored in it. */
class LookupSet extends Set<string> {
  constructor(private readonly read: (key: string) => boolean) {
    super();
  }

  override has(key: string): boolean {
    return this.read(key);
  }
}

/** Works out what overlays read of a compact index (the first change to it need not): between other work. */
export function prepareOverlayBase(base: TRankIndex): void {
  if (!base.overlay) sumsOf(base);
}

/** The largest section id of a compact index: the sections stored after it are its overlay's segment. */
export function baseMaxId(base: TRankIndex): number {
  return sumsOf(base).maxId;
}

/**
 * A digest of a set of section ids (get_docs_section_id_digest, supabase/schemas/47_docs_rank_index.sql): how many, their
 * sum, and the sum of a 32-bit multiplicative hash of each. Two sets that differ in a whole page's sections differ in it.
 */
export type TSectionIdDigest = { count: number; sum: number; hash: number };

const idHash = (id: number) => Math.imul(id, 0x9e3779b1) >>> 0;

export function sectionIdDigest(ids: Iterable<number>): TSectionIdDigest {
  const digest = { count: 0, sum: 0, hash: 0 };
  for (const id of ids) {
    digest.count += 1;
    digest.sum += id;
    digest.hash += idHash(id);
  }
  return digest;
}

/** The digest of the ids a base holds, less `removedIds` (ids it holds), plus `addedIds`: what the database should hold. */
export function expectedIdDigest(base: TRankIndex, removedIds: Iterable<number>, addedIds: Iterable<number>): TSectionIdDigest {
  const { count, sum, hash } = sumsOf(base).digest;
  const removed = sectionIdDigest(removedIds);
  const added = sectionIdDigest(addedIds);
  return { count: count - removed.count + added.count, sum: sum - removed.sum + added.sum, hash: hash - removed.hash + added.hash };
}

/** Per term, its postings counted over the live sections and pages. */
type TTermCounts = { own: number; total: number; pages: number };

/**
 * `base` (a compact index) with the sections `removedIds` names tombstoned and `segment` (the index of the sections
 * stored since, buildRankIndex of them) laid over it; null where a merge of the two could not be a full build's
 * (delta.ts#planRankDelta says when: the caller builds in full).
 */
export function overlayRankIndex(base: TRankIndex, removedIds: ReadonlySet<number>, segment: TRankIndex): TRankIndex | null {
  let found = tombstones(base, removedIds, segment);
  if (!found) {
    const plan = planRankDelta(base, removedIds, segment.sections, false);
    if (!plan) return null;
    const dead = Uint8Array.from(plan.remap, (position) => (position < 0 ? 1 : 0));
    const deadPageList: number[] = [];
    base.pages.forEach((page, at) => dead[page.sections[0]!] === 1 && deadPageList.push(at));
    found = { dead, deadPageList };
  }
  const { dead, deadPageList } = found;
  const baseCount = base.sections.length;
  const basePages = base.pages.length;
  const deadPages = new Uint8Array(basePages);
  for (const page of deadPageList) deadPages[page] = 1;
  let deadCount = 0;
  for (const page of deadPageList) deadCount += base.pages[page]!.sections.length;
  const remap = new Int32Array(baseCount);
  for (const page of deadPageList) for (const at of base.pages[page]!.sections) remap[at] = -1;
  const sectionCount = Math.max(baseCount - deadCount + segment.sections.length, 1);
  const pageCount = Math.max(basePages - deadPageList.length + segment.pages.length, 1);

  // A page's kind depends on the pages beside it (text/page-kind.ts: an API tab is one beside a guide, index.mdx or
  // index.md): worked out again for the API tabs in the folders where a page came or went.
  const { pageByPath } = sumsOf(base);
  const segmentPaths = new Set(segment.pages.map((page) => page.path));
  const paths = new LookupSet((path) => segmentPaths.has(path) || deadPages[pageByPath.get(path) ?? -1] === 0);
  const folderOf = (pagePath: string) => pagePath.slice(0, pagePath.lastIndexOf('/') + 1);
  const touchedFolders = new Set([...deadPageList.map((page) => base.pages[page]!.path), ...segmentPaths].map(folderOf));
  const pages: TRankPage[] = base.pages.slice();
  for (const folder of touchedFolders) {
    for (const name of ['api.mdx', 'api.md']) {
      const at = pageByPath.get(folder + name);
      if (at === undefined || deadPages[at] === 1) continue;
      const kind = pageKind(pages[at]!.path, paths);
      if (kind !== pages[at]!.kind) pages[at] = { ...pages[at]!, kind };
    }
  }
  for (const page of segment.pages) pages.push({ ...page, kind: pageKind(page.path, paths), sections: page.sections.map((at) => at + baseCount) });

  const fieldLengths = new Int32Array(base.fieldLengths.length + segment.fieldLengths.length);
  fieldLengths.set(base.fieldLengths);
  fieldLengths.set(segment.fieldLengths, base.fieldLengths.length);
  const totals = [...sumsOf(base).totals];
  for (let at = 0; at < segment.fieldLengths.length; at += 1) totals[at % FIELD_COUNT] = totals[at % FIELD_COUNT]! + segment.fieldLengths[at]!;
  let pageLengthSum = sumsOf(base).pageLengths + segment.pageLengths.reduce((sum, length) => sum + length, 0);
  for (const page of deadPageList) {
    pageLengthSum -= base.pageLengths[page]!;
    for (const at of base.pages[page]!.sections) {
      for (let field = 0; field < FIELD_COUNT; field += 1) totals[field] = totals[field]! - base.fieldLengths[at * FIELD_COUNT + field]!;
    }
  }
  const showsHow = new Uint8Array(base.showsHow.length + segment.showsHow.length);
  showsHow.set(base.showsHow);
  showsHow.set(segment.showsHow, base.showsHow.length);
  // The base's newest update stands unless its page is gone (pages with dates are threads and crawled pages): then
  // every live page is looked at.
  let newestUpdate = base.newestUpdate;
  if (newestUpdate !== null && deadPageList.some((page) => base.pages[page]!.updatedAt === newestUpdate)) {
    newestUpdate = null;
    base.pages.forEach((info, at) => {
      if (deadPages[at] === 0 && info.updatedAt !== null && (newestUpdate === null || info.updatedAt > newestUpdate)) newestUpdate = info.updatedAt;
    });
  }
  for (const info of segment.pages) if (info.updatedAt !== null && (newestUpdate === null || info.updatedAt > newestUpdate)) newestUpdate = info.updatedAt;

  // Each term counted over the live sections and pages when first asked for (a pass over its lists).
  const counts = new Map<string, TTermCounts>();
  const countsOf = (stem: string): TTermCounts => {
    let found = counts.get(stem);
    if (found) return found;
    found = { own: 0, total: 0, pages: 0 };
    const own = base.postings.get(stem);
    if (own) {
      for (let at = 0; at < own.sections.length; at += 1) {
        if (dead[own.sections[at]!] === 1) continue;
        found.total += 1;
        if (ownTf(own.tf, at * FIELD_COUNT) > 0) found.own += 1;
      }
    }
    const extra = segment.postings.get(stem);
    if (extra) {
      found.total += extra.sections.length;
      for (let at = 0; at < extra.sections.length; at += 1) if (ownTf(extra.tf, at * FIELD_COUNT) > 0) found.own += 1;
    }
    const basePageList = base.pagePostings.get(stem);
    if (basePageList) for (let at = 0; at < basePageList.pages.length; at += 1) if (deadPages[basePageList.pages[at]!] === 0) found.pages += 1;
    found.pages += segment.pagePostings.get(stem)?.pages.length ?? 0;
    counts.set(stem, found);
    return found;
  };
  // A term the segment has: the base's list, then the segment's (positions after the base's), joined once when asked.
  const joined = new Map<string, TPostingList>();
  const postings = new LookupMap<TPostingList>((stem) => {
    if (countsOf(stem).total === 0) return undefined;
    const extra = segment.postings.get(stem);
    const own = base.postings.get(stem);
    if (!extra) return own;
    let list = joined.get(stem);
    if (!list) {
      const baseLength = own?.sections.length ?? 0;
      const sections = new Int32Array(baseLength + extra.sections.length);
      const tf = new Uint8Array(sections.length * FIELD_COUNT);
      if (own) {
        sections.set(own.sections);
        tf.set(own.tf);
      }
      for (let at = 0; at < extra.sections.length; at += 1) sections[baseLength + at] = extra.sections[at]! + baseCount;
      tf.set(extra.tf, baseLength * FIELD_COUNT);
      joined.set(stem, (list = { sections, tf }));
    }
    return list;
  });
  const idf = new LookupMap<number>((stem) => {
    const { own, total } = countsOf(stem);
    return total === 0 ? undefined : bm25Idf(sectionCount, own > 0 ? own : total);
  });
  // Page lists without the removed pages, the segment's after them (the pages a tombstone's list names are few).
  const pageLists = new Map<string, TPagePostingList>();
  const pagePostings = new LookupMap<TPagePostingList>((stem) => {
    if (countsOf(stem).pages === 0) return undefined;
    let list = pageLists.get(stem);
    if (!list) {
      const own = base.pagePostings.get(stem);
      const extra = segment.pagePostings.get(stem);
      const pagesOut = new Int32Array(countsOf(stem).pages);
      const tf = new Uint32Array(pagesOut.length);
      let write = 0;
      if (own) {
        for (let at = 0; at < own.pages.length; at += 1) {
          if (deadPages[own.pages[at]!] === 1) continue;
          pagesOut[write] = own.pages[at]!;
          tf[write++] = own.tf[at]!;
        }
      }
      if (extra) {
        for (let at = 0; at < extra.pages.length; at += 1) {
          pagesOut[write] = extra.pages[at]! + basePages;
          tf[write++] = extra.tf[at]!;
        }
      }
      // Untouched by the change: the base's own list, not a copy.
      list = own && !extra && write === own.pages.length ? own : { pages: pagesOut, tf };
      pageLists.set(stem, list);
    }
    return list;
  });
  const pageIdf = new LookupMap<number>((stem) => {
    const { pages: df } = countsOf(stem);
    return df === 0 ? undefined : bm25Idf(pageCount, df);
  });

  const { words, joined: joinedWords, left } = mergeWords(base, segment, remap);
  return {
    postings,
    idf,
    pagePostings,
    pageIdf,
    namesByVerb: namesByVerbFrom(liveNames(base, deadPages, segment), postings),
    wordsByDeletion: layeredWordsByDeletion(base.wordsByDeletion, joinedWords, left),
    pageLengths: base.pageLengths.concat(segment.pageLengths),
    averagePageLength: Math.max(pageLengthSum / pageCount, 1),
    newestUpdate,
    sections: base.sections.concat(segment.sections),
    sectionPage: base.sectionPage.concat(segment.sectionPage.map((page) => page + basePages)),
    fieldLengths,
    headingStems: base.headingStems.concat(segment.headingStems),
    averageLengths: totals.map((total) => Math.max(total / sectionCount, 1)) as TRankIndex['averageLengths'],
    pages,
    maxIdf: bm25Idf(sectionCount, 1),
    words,
    sectionWords: base.sectionWords,
    showsHow,
    compact: base.compact,
    learned: base.learned,
    overlay: { base, dead, deadPages, deadCount, segment },
  };
}

/**
 * The names the live pages give (build.ts#nameStemsOf), in the order a full build meets them: the base's by the first
 * of their pages still there, then the segment's own.
 */
function liveNames(base: TRankIndex, deadPages: Uint8Array, segment: TRankIndex): string[] {
  const firstLive: [string, number][] = [];
  for (const [name, pages] of sumsOf(base).names) {
    const first = pages.find((page) => deadPages[page] === 0);
    if (first !== undefined) firstLive.push([name, first]);
  }
  // On one page, in the order the page gives them.
  const place = (name: string, page: number) => nameStemsOf(base.pages[page]!).indexOf(name);
  const names = firstLive.sort((a, b) => a[1] - b[1] || place(a[0], a[1]) - place(b[0], b[1])).map(([name]) => name);
  const seen = new Set(names);
  for (const page of segment.pages) {
    for (const name of nameStemsOf(page)) {
      if (seen.has(name)) continue;
      seen.add(name);
      names.push(name);
    }
  }
  return names;
}

/** The one compact index an overlaid index stands for (delta.ts's merge: every posting copied); null if it is none. */
export function mergeOverlay(index: TRankIndex): TRankIndex | null {
  const overlay = index.overlay;
  if (!overlay) return index;
  const removedIds = new Set<number>();
  overlay.dead.forEach((isDead, at) => isDead === 1 && removedIds.add(overlay.base.sections[at]!.id));
  const plan = planRankDelta(overlay.base, removedIds, overlay.segment.sections, false);
  return plan ? mergeRankSegment(overlay.base, plan, overlay.segment) : null;
}

/**
 * The base's typo lookups with the words that joined and left the vocabulary: the keys those words change kept apart
 * (copied lists), every other key read from the base's map (delta.ts#updateWordsByDeletion copies the whole map).
 */
function layeredWordsByDeletion(base: TRankIndex['wordsByDeletion'], joined: string[], left: string[]): TRankIndex['wordsByDeletion'] {
  const changed = new Map<string, string[]>();
  const listOf = (key: string) => {
    let list = changed.get(key);
    if (!list) changed.set(key, (list = [...(base.get(key) ?? [])]));
    return list;
  };
  for (const word of left) {
    if (!isTypoWord(word)) continue;
    for (const key of deletionKeys(word)) {
      const list = listOf(key);
      list.splice(list.indexOf(word), 1);
    }
  }
  for (const word of joined) {
    if (!isTypoWord(word)) continue;
    for (const key of deletionKeys(word)) {
      const list = listOf(key);
      list.splice(sortedPosition(list, word), 0, word);
    }
  }
  return new LookupMap<string[]>((key) => {
    const list = changed.get(key);
    if (list === undefined) return base.get(key);
    return list.length === 0 ? undefined : list;
  });
}

/** How many stored sections have `stem` (its postings, tombstones left out). */
export function liveSectionCount(index: TRankIndex, stem: string): number {
  const list = index.postings.get(stem);
  if (!list) return 0;
  const dead = index.overlay?.dead;
  if (!dead) return list.sections.length;
  let count = 0;
  for (let at = 0; at < list.sections.length; at += 1) if (list.sections[at]! >= dead.length || dead[list.sections[at]!] === 0) count += 1;
  return count;
}

/**
 * The base's sections a change removes, as far as the sections stored since the base tell: those already tombstoned in
 * `held` (an overlay of the same base), and those of every page the sections since replace (a page is re-indexed whole:
 * 40_docs_index.sql). A page removed without a successor is not among them: the caller checks these against the
 * stored ids' digest (expectedIdDigest) and reads every id when they differ.
 */
export function removedFromBase(held: TRankIndex, sinceBase: readonly { path: string }[]): Set<number> {
  const base = held.overlay?.base ?? held;
  const { pageByPath } = sumsOf(base);
  const pages = new Set<number>();
  held.overlay?.deadPages.forEach((isDead, page) => isDead === 1 && pages.add(page));
  for (const section of sinceBase) {
    const page = pageByPath.get(section.path);
    if (page !== undefined) pages.add(page);
  }
  const removed = new Set<number>();
  for (const page of pages) for (const at of base.pages[page]!.sections) removed.add(base.sections[at]!.id);
  return removed;
}
