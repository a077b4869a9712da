import { namesNotInDocs } from './absent';
import type { TReaderAccess } from '../../../audiences';
import { englishSpelling } from '../english';
import { publicSourceKind } from '../kinds';
import { countDocsChanges } from '../../../db/docs-changes';
import { getDocsSearchVersion, listDocsSectionContents, docsSectionPagesForRanking, listDocsSectionsForRanking, searchDocsSectionsByEmbedding, type TSectionHit } from '../../../db/docs-index';
import { getDocsRankFingerprint, getDocsSectionIdDigest, listDocsSectionIds } from '../../../db/docs-rank-index';
import { listDocsVocabulary } from '../../../db/docs-vocabulary';
import type { TDb } from '../../../db/types';
import { learnBoilerplate, mergeBoilerplate, type TBoilerplate } from '../../../relevance/boilerplate';
import { fusionShare } from '../../../relevance/rank-fusion';
import { docUrl } from '../../folder/load';
import { buildRankIndex, isLiveSection, leadSectionPositions, rankIndexBuilder, type TLearnedWord, type TRankIndex } from './build';
import { applyRankDelta, isSameLearned } from './delta';
import { baseMaxId, expectedIdDigest, mergeOverlay, overlayRankIndex, prepareOverlayBase, removedFromBase } from './overlay';
import { readPersistedRankIndex, writePersistedRankIndex, RANK_INDEX_FORMAT, TOKENIZER_FINGERPRINT } from './persist';
import { EMPTY_VOCABULARY, keptSections, rankSections, sectionFilter, type TRankVocabulary } from './rank';
import { isFillerWord, isStopWord, tokenize } from './text';
import { warmSaturations } from './saturation';
import { DEFAULT_RANK_WEIGHTS, type TRankWeights } from './weights';

// The ranking index of each database, kept in this process's memory. The database stays the source of truth:
// the index carries the version it was built from (get_docs_search_version), and the first search after the
// stored version moved brings it up to date from the stored sections (the changed pages applied in place,
// delta.ts; else built again), so several server instances each keep their own and stay in step.
//
// The version is not read on every search. On the embedded store, that one small query was a round trip
// through the single-threaded PGlite per search, as costly as the ranking itself, and queued behind every
// other request's queries under concurrency. So a version read stays good for VERSION_CHECK_MS, except that a
// change made through this process (indexing, crawling, a vocabulary decision: lib/db/docs-changes.ts) makes
// the next search read it at once. A change made by another instance on the same database is therefore seen
// within VERSION_CHECK_MS (plus the rebuild): re-indexing takes seconds and crawls run every few minutes, so
// a second of lag is invisible, while a busy instance reads the version once a second instead of per search.
// Kept on globalThis: Next bundles each route separately, and every copy of this module must share one index.
//
// Kept on disk too, where the app says where (keepRankIndexOnDisk: DATA_DIR/search): a restarted server loads the
// index it wrote instead of building it again, when the file was written for the docs the database holds now
// (persist.ts checks the file; the key is the stored version and a fingerprint of the sections, read before the
// sections are, so that a file never claims docs newer than it holds). Anything else is built from the database.
//
// A change to a large index is laid over it (overlay.ts) rather than merged in (delta.ts copies every posting: seconds
// at a hundred times the Paste corpus): the sections stored since the compact base are read (a few pages' worth), indexed
// as a segment, and the sections they replace tombstoned; a page removed with no successor is found by the stored ids'
// digest. Once the docs have been quiet for `mergeQuietMs` (or when the overlay grows past its bound) the overlay is
// merged into one compact index off the request path, and that is what is written to disk: a restart in between finds
// the older file stale and builds (as before). The file's key is then read when it is written, not before the change
// (the fingerprint reads every section id: a third of a second at ×100), and the write is skipped when the docs moved
// on meanwhile (the next index writes its own).
//
// The index holds no section's text (build.ts: at a hundred times the Paste corpus the texts were most of a server's
// memory). A search reads the text of the sections it returns from the database, in one read (sectionHits); a
// section re-indexed away between the ranking and that read is left out of the hits. The texts read are kept, up to
// MAX_CACHED_CONTENT_CHARS (the least recently returned go first), for the index version they were read under: the
// assistant's search sits between the model's tool call and its next request, and on the embedded store that read
// was a third of the search's time. A section's text never changes under its id (re-indexing a page gives its
// sections new ids), and the kept texts are dropped when the version moves, so a search returns the text the database
// holds for the sections of the index it ranked with; only the sections the index ranks are asked for.

/** How long a read of the stored version is trusted when nothing changed through this process. */
export const VERSION_CHECK_MS = 1000;

/**
 * `origin`: whether the index was loaded from disk or built from the database (`reason`: why no file was used).
 * `buildKind`: for a built index, whether the held one had a change applied (delta.ts) or it was built in full.
 * `written`: settles once the index built here is on disk (or could not be written: `writeError`).
 */
/** `warmed`: the index's saturations worked out in the background (saturation.ts#warmSaturations), for tests to wait on. */
type TEntry = {
  version: string;
  index: TRankIndex;
  origin: 'disk' | 'built';
  buildKind?: TBuildKind;
  reason?: string;
  written?: Promise<void>;
  writeError?: string;
  warmed?: Promise<void>;
};
/** A version read: its value, when it started, and this process's change count then. */
type TVersionRead = { version: Promise<string>; startedAt: number; changes: number };
/** Section texts by id, read under `version`, least recently returned first; `chars`: their total length. */
type TContentCache = { version: string; texts: Map<number, string>; chars: number };
type THolder = {
  indexes: WeakMap<TDb, TEntry>;
  contents: WeakMap<TDb, TContentCache>;
  maxCachedChars: number;
  building: WeakMap<TDb, Promise<TEntry>>;
  versions: WeakMap<TDb, TVersionRead>;
  diskDirs: WeakMap<TDb, string>;
  overlay: TOverlayPolicy;
};

/**
 * When a change is laid over the index instead of merged in (overlay.ts): from `minBaseSections` sections on (below,
 * copying the index costs less than a segment's bookkeeping, and the index stays one compact whole); merged once the
 * overlay's sections (those stored since the base, and the base's tombstones) pass `maxShare` of the base's, or the docs
 * have been quiet for `mergeQuietMs`.
 */
export type TOverlayPolicy = { minBaseSections: number; maxShare: number; mergeQuietMs: number };

export const DEFAULT_OVERLAY_POLICY: TOverlayPolicy = { minBaseSections: 20_000, maxShare: 0.05, mergeQuietMs: 30_000 };

const HOLDER = Symbol.for('paste-assistant.docs-rank-index');

function holder(): THolder {
  const scope = globalThis as { [HOLDER]?: Partial<THolder> };
  const held = (scope[HOLDER] ??= {});
  held.indexes ??= new WeakMap();
  held.contents ??= new WeakMap();
  held.maxCachedChars ??= MAX_CACHED_CONTENT_CHARS;
  held.building ??= new WeakMap();
  held.versions ??= new WeakMap();
  held.diskDirs ??= new WeakMap();
  held.overlay ??= { ...DEFAULT_OVERLAY_POLICY };
  return held as THolder;
}

/** Sets when changes are laid over the index (tests and benchmarks: a small corpus with an overlay); returns the policy before. */
export function setRankOverlayPolicy(policy: Partial<TOverlayPolicy>): TOverlayPolicy {
  const before = { ...holder().overlay };
  Object.assign(holder().overlay, policy);
  return before;
}

/**
 * How much section text (UTF-16 units) is kept per database for searches (sectionContents): a few megabytes, whatever
 * the size of the docs. That holds this site's docs whole (about 0.3 million characters of Markdown) and most of the
 * Paste corpus (2.3 million), and at a hundred times that, the sections readers' questions keep coming back to.
 */
export const MAX_CACHED_CONTENT_CHARS = 2_000_000;

/** Sets how much section text is kept per database (tests); returns the bound before. */
export function setMaxCachedContentChars(maxChars: number): number {
  const before = holder().maxCachedChars;
  holder().maxCachedChars = maxChars;
  return before;
}

/** Keeps `db`'s ranking index in `dir` (lib/app.ts: DATA_DIR/search), loaded from there after a restart when still good. */
export function keepRankIndexOnDisk({ db, dir }: { db: TDb; dir: string }): void {
  holder().diskDirs.set(db, dir);
}

/**
 * How the index in memory was brought up to date: `delta` applied the changed pages to the one held (delta.ts),
 * `overlay` laid them over it (overlay.ts).
 */
export type TBuildKind = 'full' | 'delta' | 'overlay';

/**
 * The index for the sections stored now. Given the index held now, only the sections stored since are read (re-indexing
 * a page gives its sections new ids) with the ids of all stored, and the change is applied to the held index at the
 * cost of the changed pages (delta.ts); where it cannot be (another approved vocabulary, a large change), every
 * section is read again and the index built anew (the held one has no text to build from).
 */
async function buildFromDatabase(db: TDb, version: string, held?: TRankIndex): Promise<TEntry> {
  const learned = (await listDocsVocabulary({ db })).filter((entry) => entry.status === 'approved');
  if (!held || held.sections.length === 0) return { version, index: await buildInFull(db, learned), origin: 'built', buildKind: 'full' };
  // A change is applied to the compact index under any overlay (what it says is in the sections stored since).
  const base = held.overlay?.base ?? held;
  const policy = holder().overlay;
  if (base.sections.length >= policy.minBaseSections) {
    const laid = await overlayFromDatabase(db, version, held, base, learned, policy);
    if (laid) return laid;
  }
  const [ids, added] = await Promise.all([listDocsSectionIds({ db }), listDocsSectionsForRanking({ db, afterId: baseMaxId(base) })]);
  const applied = applyRankDelta(base, { removedIds: notStored(base, ids), added, learned });
  if (applied) return { version, index: applied, origin: 'built', buildKind: 'delta' };
  return { version, index: await buildInFull(db, learned), origin: 'built', buildKind: 'full' };
}

/** The ids of `base`'s sections that are not among the stored `ids`. */
function notStored(base: TRankIndex, ids: number[]): Set<number> {
  const stored = new Set(ids);
  return new Set(base.sections.filter((section) => !stored.has(section.id)).map((section) => section.id));
}

/**
 * The change since `base` (the compact index under `held`) laid over it (overlay.ts), at the cost of the sections
 * stored since the base: those are read and indexed as the segment, and the base's sections they replace tombstoned,
 * checked against the stored ids' digest (every id is read when it differs: a page removed). Merged in at once
 * (delta.ts) when the overlay is past its bound; null where neither can be a full build's (another approved
 * vocabulary, a page partly kept): the caller builds.
 */
async function overlayFromDatabase(db: TDb, version: string, held: TRankIndex, base: TRankIndex, learned: TLearnedWord[], policy: TOverlayPolicy): Promise<TEntry | null> {
  if (!isSameLearned(base.learned, learned)) return null;
  const [sinceBase, digest] = await Promise.all([listDocsSectionsForRanking({ db, afterId: baseMaxId(base) }), getDocsSectionIdDigest({ db })]);
  let removedIds = removedFromBase(held, sinceBase);
  const expected = expectedIdDigest(base, removedIds, sinceBase.map((section) => section.id));
  if (!digest || expected.count !== Number(digest.count) || expected.sum !== Number(digest.sum) || expected.hash !== Number(digest.hash)) {
    removedIds = notStored(base, await listDocsSectionIds({ db }));
  }
  if (removedIds.size + sinceBase.length > policy.maxShare * base.sections.length) {
    const applied = applyRankDelta(base, { removedIds, added: sinceBase, learned });
    return applied ? { version, index: applied, origin: 'built', buildKind: 'delta' } : null;
  }
  const index = overlayRankIndex(base, removedIds, buildRankIndex(sinceBase, learned));
  return index ? { version, index, origin: 'built', buildKind: 'overlay' } : null;
}

/**
 * The index of every stored section, counted a page of rows at a time as they are read (build.ts#rankIndexBuilder):
 * the text of every section is never held at once (at a hundred times the Paste corpus, hundreds of megabytes of heap
 * that V8 keeps once grown).
 */
async function buildInFull(db: TDb, learned: TLearnedWord[]): Promise<TRankIndex> {
  const builder = rankIndexBuilder(learned);
  for await (const page of docsSectionPagesForRanking({ db })) builder.add(page);
  return builder.finish();
}

async function build(db: TDb, version: string, held?: TRankIndex): Promise<TEntry> {
  const dir = holder().diskDirs.get(db);
  if (held && held.sections.length > 0) {
    // An index held in memory is brought up to date from the database: the file on disk is at best as new (this
    // process wrote it) and reading it to find out costs more than the change does.
    const entry: TEntry = { ...(await buildFromDatabase(db, version, held)), reason: 'an index is held in memory' };
    if (entry.index.overlay) entry.written = mergeWhenQuiet(db, entry, dir);
    else if (dir) entry.written = writeInBackground(db, dir, entry);
    return entry;
  }
  if (!dir) return buildFromDatabase(db, version, held);
  // Read before the sections: a change between the two makes the file's key older than its contents, never newer.
  const key = fileKey(version, await getDocsRankFingerprint({ db }));
  const kept = await readPersistedRankIndex({ dir, key });
  if (kept.index) return { version, index: kept.index, origin: 'disk' };
  const entry: TEntry = { ...(await buildFromDatabase(db, version, held)), reason: kept.reason };
  // The file's key names the version it holds, so a restart before it is written finds the older file's key stale and
  // builds: it never serves the older sections.
  entry.written = writeInBackground(db, dir, entry, key);
  return entry;
}

/** The key a file of the index is written for: its format, the tokenizer, the docs version and their fingerprint. */
function fileKey(version: string, fingerprint: string): string {
  return `${RANK_INDEX_FORMAT}|${TOKENIZER_FINGERPRINT}|${version}|${fingerprint}`;
}

/**
 * Writes the entry's index to `dir` in the background, after the search that asked is answered (serializing is CPU on
 * this thread). Under `key` when the caller read it before the sections; else under the key of the docs the database
 * holds when it is written: the fingerprint is read, then the version; if the version is still the entry's, the
 * fingerprint is of the docs the index holds (every change moves the version), else the docs moved on and the next
 * index writes its own file. A failed write leaves the next start to build.
 */
function writeInBackground(db: TDb, dir: string, entry: TEntry, key?: string): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve))
    .then(async () => {
      let fileKeyNow = key;
      if (fileKeyNow === undefined) {
        const fingerprint = await getDocsRankFingerprint({ db });
        if ((await getDocsSearchVersion({ db })) !== entry.version) return;
        fileKeyNow = fileKey(entry.version, fingerprint);
      }
      await writePersistedRankIndex({ dir, index: entry.index, key: fileKeyNow });
    })
    .catch((error: unknown) => {
      entry.writeError = error instanceof Error ? error.message : String(error);
    });
}

/**
 * After `mergeQuietMs` with no newer index, the overlaid entry's index merged into one compact index (overlay.ts), which
 * takes its place (the same rankings) and is written to `dir` when given. Settles once written, or at once when a newer
 * index took its place (its own merge follows). On a timer that does not hold the process open, nor the entry: the wait
 * holds it weakly. While a large site is crawled every health check or search between two pages lays a new overlay over
 * the index, each with its own joined postings and warmed saturations; held by its timer, every one of the last
 * `mergeQuietMs` stayed alive (at ten times the Paste corpus, a hundred overlays: the crawl's last minutes went from
 * 600 MB to over 1 GB, issue 54). A superseded entry is garbage at once; its timer then finds nothing to merge.
 */
function mergeWhenQuiet(db: TDb, entry: TEntry, dir: string | undefined): Promise<void> {
  const watched = new WeakRef(entry);
  return new Promise<void>((resolve) => setTimeout(resolve, holder().overlay.mergeQuietMs).unref())
    .then(async () => {
      const { indexes, building } = holder();
      const current = indexes.get(db);
      if (current === undefined || current !== watched.deref() || building.has(db)) return;
      const merged = mergeOverlay(current.index);
      if (!merged) return;
      const next: TEntry = { version: current.version, index: merged, origin: 'built', buildKind: 'delta' };
      indexes.set(db, next);
      next.warmed = warmSaturations(merged, DEFAULT_RANK_WEIGHTS, undefined, isHeld(db, merged));
      setImmediate(() => prepareOverlayBase(merged));
      if (dir) {
        next.written = writeInBackground(db, dir, next);
        await next.written;
        if (next.writeError) current.writeError = next.writeError;
      }
    })
    .catch((error: unknown) => {
      const held = watched.deref();
      if (held) held.writeError = error instanceof Error ? error.message : String(error);
    });
}

/** Whether `index` is still the one held for `db`: asked by its warming (saturation.ts), which stops once it is not. */
function isHeld(db: TDb, index: TRankIndex): () => boolean {
  return () => holder().indexes.get(db)?.index === index;
}

/**
 * The stored version, read at most every VERSION_CHECK_MS, and at once after a change through this process.
 * Concurrent searches share one read. A read that failed is not kept.
 */
function storedVersion(db: TDb): Promise<string> {
  const { versions } = holder();
  const changes = countDocsChanges(db);
  const now = performance.now();
  const last = versions.get(db);
  if (last && last.changes === changes && now - last.startedAt < VERSION_CHECK_MS) return last.version;
  const read: TVersionRead = { version: getDocsSearchVersion({ db }), startedAt: now, changes };
  versions.set(db, read);
  read.version.catch(() => {
    if (versions.get(db) === read) versions.delete(db);
  });
  return read.version;
}

/**
 * Brings the index of `db` up to date ahead of a search that is likely soon (the stored version read, the index built
 * again if the docs moved), so that the search finds it ready. Never throws: the search itself reports what fails.
 */
export function prepareRankIndex(db: TDb): void {
  getRankIndex(db).catch(() => {});
}

/** The current index of `db`: the one in memory when the stored version matches, else built anew (once at a time). */
export async function getRankIndex(db: TDb): Promise<TEntry> {
  const { indexes, building } = holder();
  const version = await storedVersion(db);
  const current = indexes.get(db);
  if (current && current.version === version) return current;
  const pending = building.get(db);
  if (pending) {
    const entry = await pending;
    if (entry.version === version) return entry;
  }
  const next = build(db, version, current?.index).then(
    (entry) => {
      indexes.set(db, entry);
      building.delete(db);
      // The server's searches score with the default weights: their saturations, worked out between searches.
      // Until a newer index takes its place: a superseded one is then let go, not warmed on (saturation.ts).
      if (entry.index !== current?.index) entry.warmed = warmSaturations(entry.index, DEFAULT_RANK_WEIGHTS, undefined, isHeld(db, entry.index));
      // What a change laid over a large index reads of it, ready before the change comes.
      if (!entry.index.overlay && entry.index.sections.length >= holder().overlay.minBaseSections) setImmediate(() => prepareOverlayBase(entry.index));
      return entry;
    },
    (error: unknown) => {
      building.delete(db);
      throw error;
    },
  );
  building.set(db, next);
  return next;
}

/** Per index: each section's position by its id (worked out once per index, not per hybrid search: 25,000 entries at ×10). */
const positionsByIndex = new WeakMap<TRankIndex, Map<number, number>>();

function positionsById(index: TRankIndex): Map<number, number> {
  let positions = positionsByIndex.get(index);
  if (!positions) positionsByIndex.set(index, (positions = new Map(index.sections.map((section, position) => [section.id, position]))));
  return positions;
}

/** Embedding results are fused with the lexical ranking by reciprocal rank (lib/relevance/rank-fusion.ts); each offers this many. */
const CANDIDATES = 60;

/**
 * Ranked sections for a question: the in-memory ranker, fused with the nearest sections by embedding when an
 * embedding is given. `similarity` is the cosine similarity in hybrid mode, the ranker's score otherwise.
 */
export async function rankDocsSections({
  db,
  query,
  limit,
  embedding,
  model,
  weights = DEFAULT_RANK_WEIGHTS,
  vocabulary = EMPTY_VOCABULARY,
  kinds,
  versions,
  access,
}: {
  db: TDb;
  query: string;
  limit: number;
  embedding?: number[];
  model?: string;
  weights?: TRankWeights;
  /** The site's synonyms (site.config.json), as vocabulary.ts#synonymsByStem gives them. */
  vocabulary?: TRankVocabulary;
  /** Only sections of these kinds of source (labels: docs_page.source_kind), in both rankings; absent: every kind. */
  kinds?: readonly string[];
  /** Only sections of these versions and of no version (docs_page.meta.version), in both rankings; absent: every version. */
  versions?: readonly string[];
  /** Who the search is for: only pages the reader may see (lib/audiences canSee), in both rankings. */
  access: TReaderAccess;
}): Promise<TSectionHit[]> {
  const entry = await getRankIndex(db);
  const { index } = entry;
  const cap = Math.max(1, Math.min(limit, 50));
  const isHybrid = embedding !== undefined && embedding.length > 0 && model !== undefined;
  const filter = { kinds: kinds ? new Set(kinds) : undefined, versions: versions ? new Set(versions) : undefined, access };
  const keep = sectionFilter(filter);
  const lexical = rankSections(index, query, { weights, vocabulary, limit: isHybrid ? CANDIDATES : cap, ...filter });
  if (!isHybrid) return sectionHits(db, entry, lexical.map((hit) => ({ section: hit.section, similarity: hit.score, evidence: hit.evidence, coverage: hit.coverage })));

  const nearest = await searchDocsSectionsByEmbedding({
    db,
    embedding,
    model,
    limit: CANDIDATES,
    kinds: kinds ? [...kinds] : undefined,
    versions: versions ? [...versions] : undefined,
  });
  const positionById = positionsById(index);
  const fused = new Map<number, { score: number; similarity: number; evidence: number; coverage: number }>();
  lexical.forEach((hit, rank) => fused.set(hit.section, { score: fusionShare(rank), similarity: 0, evidence: hit.evidence, coverage: hit.coverage }));
  nearest.forEach((hit, rank) => {
    const section = positionById.get(hit.id);
    // The database filtered by kind and version already; the index in memory may be a moment older than it.
    if (section === undefined || (keep && !keep(index.sections[section]!))) return;
    const fusedHit = fused.get(section) ?? { score: 0, similarity: 0, evidence: 0, coverage: 0 };
    fusedHit.score += fusionShare(rank);
    fusedHit.similarity = hit.similarity;
    fused.set(section, fusedHit);
  });
  const best = [...fused].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]).slice(0, cap);
  return sectionHits(db, entry, best.map(([section, scores]) => ({ section, ...scores })));
}

/** The names a question uses that the docs never mention (absent.ts), for an answer that says so. */
export async function namesMissingFromDocs({ db, query, access }: { db: TDb; query: string; access: TReaderAccess }): Promise<string[]> {
  const [entry, isEnglishWord] = await Promise.all([getRankIndex(db), englishSpelling()]);
  // The docs the reader may see (lib/audiences): a name only a hidden page mentions is missing for them too.
  const kept = keptSections(entry.index, { access });
  return namesNotInDocs(entry.index, query, isEnglishWord, (ids) => sectionContents(db, entry.version, ids), kept);
}

/** A thread's repository, whose template its body shares: its page's path without the thread's number (`github:owner/name#12`). */
function repositoryOf(path: string): string {
  return path.replace(/[#/]\d+$/, '');
}
/** A repository's template is learnt from at most this many of its threads (the first in index order). */
const BOILERPLATE_THREADS = 2000;
/** Per index: the template lines its threads share (lib/relevance/boilerplate.ts), learnt once per index. */
const boilerplateByIndex = new WeakMap<TRankIndex, Promise<TBoilerplate>>();

/**
 * The issue and pull-request templates of the synced repositories, learnt from their threads' bodies (each thread's
 * question section: its first, anchorless one), each repository's apart: what a reader who pastes a report as they
 * would file it brings along, and what is then neither searched nor taken for a name. Empty without threads.
 */
export async function threadBoilerplate(db: TDb): Promise<TBoilerplate> {
  const { index } = await getRankIndex(db);
  let learnt = boilerplateByIndex.get(index);
  if (!learnt) {
    const byRepo = new Map<string, number[]>();
    index.sections.forEach((section, position) => {
      if (section.kind === undefined || publicSourceKind(section.kind) !== 'thread' || section.anchor !== '' || !isLiveSection(index, position)) return;
      const repo = repositoryOf(section.path);
      const ids = byRepo.get(repo) ?? [];
      if (ids.length < BOILERPLATE_THREADS) ids.push(section.id);
      byRepo.set(repo, ids);
    });
    learnt = (async () => {
      if (byRepo.size === 0) return new Set<string>();
      // Read straight from the database, not through the kept texts: a search returns few of these.
      const contents = await listDocsSectionContents({ db, ids: [...byRepo.values()].flat() });
      return mergeBoilerplate([...byRepo.values()].map((ids) => learnBoilerplate(ids.map((id) => contents.get(id)))));
    })();
    learnt.catch(() => boilerplateByIndex.delete(index));
    boilerplateByIndex.set(index, learnt);
  }
  return learnt;
}

/** A word's weight in a text (docsTermWeigher) and whether the docs use it at all. */
export type TTermWeight = { weight: number; isKnown: boolean };

/**
 * How much each word of a text says about its subject, as the docs see it: its stems (stop and filler words
 * dropped), each weighted by its rarity in the docs (BM25's idf); a word the docs never use weighs the most
 * (`isKnown` false). What tells two readers' questions about the same missing thing apart from two that merely share
 * common words.
 */
export async function docsTermWeigher({ db }: { db: TDb }): Promise<(text: string) => Map<string, TTermWeight>> {
  const { index } = await getRankIndex(db);
  return (text) => {
    const weights = new Map<string, TTermWeight>();
    for (const token of tokenize(text)) {
      if (isStopWord(token.word) || isFillerWord(token.word)) continue;
      const idf = index.idf.get(token.stem);
      weights.set(token.stem, { weight: idf ?? index.maxIdf, isKnown: idf !== undefined });
    }
    return weights;
  };
}

/** A ranked section (its position in the index) and its scores. */
type TRanked = { section: number; similarity: number; evidence: number; coverage: number };

/**
 * The texts of these sections: those kept for `version` at once, the others read from the database in one read (and
 * kept). A section not stored (re-indexed away since the index was built) has none.
 */
async function sectionContents(db: TDb, version: string, ids: readonly number[]): Promise<Map<number, string>> {
  const held = holder();
  let cache = held.contents.get(db);
  if (!cache || cache.version !== version) {
    cache = { version, texts: new Map(), chars: 0 };
    held.contents.set(db, cache);
  }
  const texts = new Map<number, string>();
  const missing: number[] = [];
  for (const id of ids) {
    const text = cache.texts.get(id);
    if (text === undefined) {
      missing.push(id);
      continue;
    }
    texts.set(id, text);
    // Returned now: the last to go.
    cache.texts.delete(id);
    cache.texts.set(id, text);
  }
  if (missing.length === 0) return texts;
  const read = await listDocsSectionContents({ db, ids: missing });
  // A search under another version meanwhile replaced the cache: what this one read is not kept for either.
  const isCurrent = held.contents.get(db) === cache;
  for (const [id, text] of read) {
    texts.set(id, text);
    if (isCurrent && !cache.texts.has(id)) {
      cache.texts.set(id, text);
      cache.chars += text.length;
    }
  }
  for (const [id, text] of cache.texts) {
    if (cache.chars <= held.maxCachedChars) break;
    cache.texts.delete(id);
    cache.chars -= text.length;
  }
  return texts;
}

/**
 * The hits for ranked sections, in their order, with their text (the index holds none: sectionContents). A section
 * no longer stored (re-indexed between the ranking and the read) is left out.
 */
async function sectionHits(db: TDb, { index, version }: Pick<TEntry, 'index' | 'version'>, ranked: TRanked[]): Promise<TSectionHit[]> {
  const contents = await sectionContents(db, version, ranked.map((hit) => index.sections[hit.section]!.id));
  return ranked.flatMap(({ section, similarity, evidence, coverage }) => {
    const row = index.sections[section]!;
    const content = contents.get(row.id);
    if (content === undefined) return [];
    return [
      {
        path: row.path,
        slug: row.slug,
        title: row.title,
        heading: row.heading,
        anchor: row.anchor,
        content,
        similarity: Math.round(similarity * 10_000) / 10_000,
        evidence: Math.round(evidence * 10_000) / 10_000,
        query_coverage: Math.round(coverage * 10_000) / 10_000,
        kind: row.kind ?? 'folder',
        meta: row.meta ?? {},
      },
    ];
  });
}

export async function leadSectionsOf({
  db,
  paths,
  kinds,
  versions,
  access,
}: {
  db: TDb;
  paths: readonly string[];
  kinds?: readonly string[];
  versions?: readonly string[];
  access: TReaderAccess;
}): Promise<TSectionHit[]> {
  const entry = await getRankIndex(db);
  const { index } = entry;
  const leads = leadSectionPositions(index);
  const keep = sectionFilter({ kinds: kinds ? new Set(kinds) : undefined, versions: versions ? new Set(versions) : undefined, access });
  const positions = paths.flatMap((path) => {
    const position = leads.get(path);
    if (position === undefined || (keep && !keep(index.sections[position]!))) return [];
    return [position];
  });
  return sectionHits(db, entry, positions.map((section) => ({ section, similarity: 0, evidence: 0, coverage: 0 })));
}

/**
 * Whether a caller may see the page at `path` (an index path, as search results give it): it is indexed, and the one
 * filter every search applies (sectionFilter: a page of an audience only for a reader who may see it) keeps it.
 * A page the caller may not see is answered as one that does not exist, by the same steps: a route that says whether
 * it recorded something about a page (POST /api/docs-search-opened, /api/docs-page-read) tells no one that a page
 * it hides exists.
 */
export async function isPageVisible({ db, path, access }: { db: TDb; path: string; access: TReaderAccess }): Promise<boolean> {
  const { index } = await getRankIndex(db);
  const position = leadSectionPositions(index).get(path);
  const keep = sectionFilter({ access });
  return position !== undefined && (!keep || keep(index.sections[position]!));
}

/**
 * Whether a caller may see a page read on this site at `url` ("/docs/…", a page's docUrl): as isPageVisible, for the
 * pages whose URL is on this site. A page read elsewhere (a GitHub thread, a crawled page: their URL is another
 * site's) is never one.
 */
export async function isSitePageVisible({ db, url, access }: { db: TDb; url: string; access: TReaderAccess }): Promise<boolean> {
  const { index } = await getRankIndex(db);
  const keep = sectionFilter({ access });
  return (sitePagePositions(index).get(url) ?? []).some((position) => !keep || keep(index.sections[position]!));
}

/**
 * Whether a cited URL (an answer's source: `/docs/…#…` on this site, or a page's own address elsewhere, as a thread's)
 * is of a page the reader may not see (lib/audiences): indexed, and every page at that address hidden from them. An
 * address the index does not know is not hidden: this says only what the filter keeps out.
 */
export async function isCitedPageHidden({ db, url, access }: { db: TDb; url: string; access: TReaderAccess }): Promise<boolean> {
  const { index } = await getRankIndex(db);
  const kept = keptSections(index, { access });
  if (!kept) return false;
  const address = url.split('#')[0] ?? '';
  let positions = address.startsWith('/docs') ? (sitePagePositions(index).get(address) ?? []) : [];
  if (positions.length === 0 && !address.startsWith('/docs')) {
    positions = [...leadSectionPositions(index).values()].filter((position) => index.sections[position]!.slug === address);
  }
  return positions.length > 0 && positions.every((position) => kept[position] !== 1);
}

/**
 * Per index: what is read on this site at each URL (several pages may share one): the lead section of each page,
 * and each section that is a page of its own (an API operation: docUrl gives it a path, not an anchor).
 */
const sitePagesByIndex = new WeakMap<TRankIndex, Map<string, number[]>>();

function sitePagePositions(index: TRankIndex): ReadonlyMap<string, number[]> {
  let byUrl = sitePagesByIndex.get(index);
  if (!byUrl) {
    const urls = new Map<string, number[]>();
    const add = (url: string, position: number) => {
      if (!url.startsWith('/docs') || url.includes('#')) return;
      const positions = urls.get(url) ?? [];
      positions.push(position);
      urls.set(url, positions);
    };
    for (const position of leadSectionPositions(index).values()) add(docUrl(index.sections[position]!.slug), position);
    index.sections.forEach((section, position) => {
      if (section.anchor) add(docUrl(section.slug, section.anchor), position);
    });
    byUrl = urls;
    sitePagesByIndex.set(index, byUrl);
  }
  return byUrl;
}
