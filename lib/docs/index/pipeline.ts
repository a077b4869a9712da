import type { TAudienceRule } from '../../audiences';
import { deleteDocsPagesByPaths, markDocsPageFailedByPath, upsertDocsPagesByPath, type TPageInput } from '../../db/docs-index';
import { listDocsFailedPathsByKind, listDocsPageChecksumsByKind } from '../../db/docs-sources';
import type { TDb } from '../../db/types';
import type { TLogger } from '../../log';
import { audiencesOfIndexPaths, checksumWithAudiences, hasSameAudiences, stampedPage } from './audiences';
import type { TDocumentsContext, TDocumentStream, TWriteReport } from './documents';
import { embedMissingSections, type TEmbedder } from './embeddings';

// The one write pipeline: every page that enters or leaves the index goes through here, whatever its kind (Onyx's
// indexing pipeline has this shape). A kind's run yields documents and marks (./documents.ts); for each, the
// pipeline:
// 1. stamps the page's audiences: the kind's own, and those DOCS_AUDIENCES gives its index path (./audiences.ts);
// 2. compares its checksum (the rules' audiences included) with the index's: an equal page is not written, unless
//    it is marked failed (writing it clears the mark);
// 3. writes the changed pages in batches (PAGES_PER_BATCH, CHARS_PER_BATCH), in the order they came;
// 4. marks `failed` pages (they keep their sections) and removes `gone` ones;
// and after the run: removes the kind's pages a complete load did not yield, then embeds the sections that have no
// embedding yet when embeddings are on. A run that throws keeps what it wrote before (each page is whole) and removes
// nothing it was not told is gone. Only pages of the run's kind are compared, marked or removed.

/** Pages per database call: batching makes a cold index of a few hundred pages several times faster. */
const PAGES_PER_BATCH = 25;
/** And at most about this many characters of text per call. */
const CHARS_PER_BATCH = 400_000;
/** Paths per removal call. */
const PATHS_PER_REMOVAL = 500;

export type TPipelineDeps = { db: TDb; log: TLogger; embedder: TEmbedder | null };

/** What the pipeline tells the one who opens a run (lib/docs/sources/source.ts), besides the kind's context. */
export type TOpenContext = TDocumentsContext & {
  /** Whether some page of the kind is stamped with other audiences than the rules give it now (a rule changed). */
  haveAudiencesChanged(): boolean;
};

export async function writeDocuments<TResult>({
  deps,
  kind,
  audienceRules,
  aliasesOf,
  open,
}: {
  deps: TPipelineDeps;
  /** The kind the pages are recorded as (docs_page.source_kind); only its pages are compared and removed. */
  kind: string;
  /** DOCS_AUDIENCES (lib/audiences/paths.ts); absent or []: none. */
  audienceRules?: readonly TAudienceRule[];
  /** Other names of a page the rules' globs match besides its index path (a crawled page: its URL's path). */
  aliasesOf?: (path: string) => readonly string[];
  /** The run: its documents, and whether it is complete (a load: every document the source has). */
  open: (context: TOpenContext) => { documents: TDocumentStream<TResult>; isComplete: boolean };
}): Promise<{ result: TResult; written: TWriteReport }> {
  const started = performance.now();
  const { db, log } = deps;
  const written: TWriteReport = { indexed: [], unchanged: 0, removed: [], failed: [], sections: 0, embedded: 0, embeddingError: null, ms: 0, timings: { writeMs: 0, embedMs: 0 } };
  const [known, failedPaths] = await Promise.all([listDocsPageChecksumsByKind({ db, kind }), listDocsFailedPathsByKind({ db, kind })]);
  const isFailed = new Set(failedPaths);
  const ruleAudiencesOf = (path: string) => audiencesOfIndexPaths(audienceRules, [path, ...(aliasesOf?.(path) ?? [])]);
  const isIndexedAs = (path: string, stamped: string) => known[path] === stamped && !isFailed.has(path);
  const context: TOpenContext = {
    db,
    log,
    isIndexed: (path, checksum) => isIndexedAs(path, checksumWithAudiences(checksum, ruleAudiencesOf(path))),
    indexedPaths: Object.keys(known),
    haveAudiencesChanged: () => Object.entries(known).some(([path, checksum]) => !hasSameAudiences(checksum, ruleAudiencesOf(path))),
  };
  const timed = async <T,>(key: keyof TWriteReport['timings'], work: () => Promise<T>): Promise<T> => {
    const at = performance.now();
    try {
      return await work();
    } finally {
      written.timings[key] += Math.round(performance.now() - at);
    }
  };

  const seen = new Set<string>();
  let batch: TPageInput[] = [];
  let batchChars = 0;
  let removals: TWriteReport['removed'] = [];
  const flush = async () => {
    const pages = batch;
    const gone = removals;
    batch = [];
    batchChars = 0;
    removals = [];
    if (pages.length > 0) await timed('writeMs', () => upsertDocsPagesByPath({ db, pages }));
    await remove(gone);
  };
  const remove = async (gone: TWriteReport['removed']) => {
    for (let at = 0; at < gone.length; at += PATHS_PER_REMOVAL) {
      const slice = gone.slice(at, at + PATHS_PER_REMOVAL);
      await timed('writeMs', () => deleteDocsPagesByPaths({ db, paths: slice.map((entry) => entry.path) }));
      written.removed.push(...slice);
    }
  };

  const { documents, isComplete } = open(context);
  let result: TResult;
  try {
    for (;;) {
      const next = await documents.next();
      if (next.done) {
        result = next.value;
        break;
      }
      const item = next.value;
      if (!('status' in item)) {
        seen.add(item.path);
        const page = stampedPage({ document: item, kind, ruleAudiences: ruleAudiencesOf(item.path) });
        if (isIndexedAs(page.path, page.checksum)) {
          written.unchanged += 1;
          continue;
        }
        batch.push(page);
        batchChars += page.title.length + page.description.length + page.sections.reduce((sum, section) => sum + section.content.length, 0);
        written.indexed.push(page.path);
        written.sections += page.sections.length;
        if (batch.length >= PAGES_PER_BATCH || batchChars >= CHARS_PER_BATCH) await flush();
        continue;
      }
      if (item.status === 'gone') {
        seen.delete(item.path);
        removals.push({ path: item.path, reason: item.reason });
        continue;
      }
      seen.add(item.path);
      if (item.status === 'unchanged') written.unchanged += 1;
      if (item.status === 'failed') {
        // Only a page of this kind is marked; one never indexed is reported with nothing kept.
        const kept = item.path in known ? await markDocsPageFailedByPath({ db, path: item.path, error: item.reason }) : null;
        written.failed.push({ path: item.path, reason: item.reason, keptSections: kept?.sections ?? 0 });
      }
    }
  } catch (error) {
    // What was built before the failure is written (each page whole) and what the kind said is gone leaves; a
    // complete load's removals are not worked out: the index keeps the rest.
    await flush().catch((flushError: unknown) =>
      log.warn({ kind, err: flushError instanceof Error ? flushError.message : String(flushError) }, 'docs pipeline: what the failed run built could not be written either'),
    );
    throw error;
  }
  await flush();

  if (isComplete) {
    const removed = new Set(written.removed.map((entry) => entry.path));
    await remove(
      Object.keys(known)
        .filter((path) => !seen.has(path) && !removed.has(path))
        .map((path) => ({ path, reason: 'gone' })),
    );
  }

  const { embedder } = deps;
  if (embedder) {
    try {
      written.embedded = await timed('embedMs', () => embedMissingSections({ db, embedder }));
    } catch (error) {
      written.embeddingError = error instanceof Error ? error.message : String(error);
      log.warn({ kind, err: written.embeddingError }, `docs embeddings failed for the ${kind} pages; full-text search for them meanwhile`);
    }
  }
  written.ms = Math.round(performance.now() - started);
  return { result, written };
}

/** Pages that leave the index outside a run (the sources' start: pages of sources no longer configured). */
export async function removeDocuments({ db, paths }: { db: TDb; paths: readonly string[] }): Promise<number> {
  let removed = 0;
  for (let at = 0; at < paths.length; at += PATHS_PER_REMOVAL) removed += await deleteDocsPagesByPaths({ db, paths: paths.slice(at, at + PATHS_PER_REMOVAL) });
  return removed;
}
