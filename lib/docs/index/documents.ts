import type { TPageMeta, TSectionInput } from '../../db/docs-index';
import type { TDb } from '../../db/types';
import type { TLogger } from '../../log';

// What a source kind yields, and what the write pipeline (./pipeline.ts) tells it back: the contract between
// "where documents come from" (lib/docs/sources, one folder per kind) and the index. A kind only yields documents
// and marks; the pipeline stamps each page's audiences from DOCS_AUDIENCES, compares checksums with the index,
// writes what changed, removes what is gone and embeds. Pure types, and the version every kind's checksum carries.

/** Bump when parsing or chunking changes, so that every page is re-indexed once (every kind's checksum carries it). */
export const INDEX_VERSION = 'v2';

/** A page as its kind yields it. */
export type TDocument = {
  /** Its index path: its id, unique across kinds (`guides/intro.mdx`, `github:owner/repo#12`, `answer:3`). */
  path: string;
  /** Where a reader reads it: a URL, or the site's own path of a docs page. */
  slug: string;
  title: string;
  /** One line on the whole page (front matter's, a thread's summary): the ranker's context field. */
  description: string;
  sections: TSectionInput[];
  /**
   * What the page was built from, hashed by the kind: everything it yields here (text, URL, version, its own
   * audiences, its meta). Equal checksums mean an equal page: the pipeline then writes nothing. The pipeline adds
   * the audiences the rules give the page, so a rule that changes them re-writes it.
   */
  checksum: string;
  /** The docs version it belongs to (meta.version; absent: every version). */
  version?: string | null;
  /** When its source says it last changed, ISO 8601 (meta.updatedAt: the ranking's recency). Absent for docs pages. */
  updatedAt?: string;
  /** Fields of its own kind (a thread's number and state, an answer's dates): stored as given in docs_page.meta. */
  meta?: TPageMeta;
  /**
   * Who may read it by its kind's own say: front matter's `audience:`, a private repository's threads. The
   * pipeline adds those DOCS_AUDIENCES gives its path; none at all: public.
   */
  audiences?: readonly string[];
  /** What the parser repaired to read it (lib/docs/parse/mdx.ts). */
  warnings?: string[];
};

/**
 * What a kind says of a page it yields no document for:
 * - `unchanged`: it is as indexed (its checksum compared equal before it was built, a 304, an unchanged listing);
 * - `kept`: it still exists, but this run could not read it (a fetch failed): its index stays as it is;
 * - `failed`: it could not be read or parsed: its index stays, marked failed with the reason (/api/health counts it);
 * - `gone`: it left the source (deleted, 404): it leaves the index, whatever the run's completeness.
 */
export type TDocumentMark =
  | { path: string; status: 'unchanged' }
  | { path: string; status: 'kept' }
  | { path: string; status: 'failed'; reason: string }
  | { path: string; status: 'gone'; reason: string };

export type TSourceItem = TDocument | TDocumentMark;

/** A run of a kind: what it yields, then what it returns (its own counts: requests made, pages read, notices). */
export type TDocumentStream<TResult> = AsyncGenerator<TSourceItem, TResult, undefined>;

/** What a kind's run may use: its database (its own state, reads of the index) and the index's view of its pages. */
export type TDocumentsContext = {
  db: TDb;
  log: TLogger;
  /**
   * Whether the index holds `path` just as a document with this checksum would be written now: the same checksum,
   * the same audiences under the rules, not marked failed. A kind that can tell a page unchanged before building
   * it (a file's stat, a thread's updated date) asks, and yields it as `unchanged`.
   */
  isIndexed(path: string, checksum: string): boolean;
  /** The index paths of the kind's pages when the run began. */
  indexedPaths: readonly string[];
};

/** What the pipeline did with a run's documents. */
export type TWriteReport = {
  /** Paths written (new or changed), in the order they were yielded. */
  indexed: string[];
  /** Documents that compared equal to the index, and `unchanged` marks. */
  unchanged: number;
  /** Paths that left the index: `gone` marks (with the kind's reason), then what a complete load did not yield ('gone'). */
  removed: { path: string; reason: string }[];
  /** `failed` marks: the reason, and how many sections the page kept from its last good version (0: never indexed). */
  failed: { path: string; reason: string; keptSections: number }[];
  /** Sections of the pages written. */
  sections: number;
  /** Sections embedded after the run (embeddings on); an embeddings API failure is reported, not thrown. */
  embedded: number;
  embeddingError: string | null;
  /** The whole run, and where its time went besides the kind's own work. */
  ms: number;
  timings: { writeMs: number; embedMs: number };
};
