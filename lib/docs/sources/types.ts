import type { TSharedSourcesSettings } from './settings';
import type { TSettings } from '../../settings';
import type { TDb } from '../../db/types';
import type { TLogger } from '../../log';
import type { TDocumentsContext, TDocumentStream, TWriteReport } from '../index/documents';
import type { TEmbedder } from '../index/embeddings';

export type { TDocument, TDocumentMark, TDocumentsContext, TDocumentStream, TSourceItem, TWriteReport } from '../index/documents';

// The seam every kind of docs source sits behind (Onyx's connectors have this shape). A kind only yields documents
// (TKindDocuments: load everything, poll what changed since a time, list the ids that still exist); the one write
// pipeline (lib/docs/index/pipeline.ts) stamps their audiences, writes what changed, removes what is gone and embeds.
// ./source.ts makes a kind's documents a source the app runs (TDocsSource); the index, prune and the sync jobs know a
// kind only as a label: its pages carry it (docs_page.source_kind), its sync has its own lease row
// (docs_source_state), and what a run reports is its own, summarised for /api/health.

export type TSourceDeps = { db: TDb; log: TLogger; embedder: TEmbedder | null };

/** What a kind is built from: the docs folder, and the configuration's `docsSources` (what the sources share and its own settings). */
export type TKindConfig<TKindSettings = unknown> = { docsDir: string; docsSources: TSharedSourcesSettings & TKindSettings };

/** How often a kind syncs in the background: asked every `checkSeconds` whether `everySeconds` passed, under a lease. */
export type TSourceSync = { everySeconds: number; checkSeconds: number; leaseSeconds: number };

/** A kind's documents: what its folder builds from the configuration (`TSourceKind.fromConfig`). Writes nothing. */
export type TKindDocuments<TResult = unknown, TReport = unknown> = {
  /** The kind, a label: recorded on every page it yields and naming its state row. */
  readonly kind: string;
  /** Load everything: every document the source has (and marks for those it did not build). */
  load(context: TDocumentsContext): TDocumentStream<TResult>;
  /** What changed since `since` (its last sync), and what is gone. Absent: polling is loading everything. */
  poll?(context: TDocumentsContext, since: Date): TDocumentStream<TResult>;
  /** The ids (index paths) of the documents that still exist in the source. */
  listIds(context: Pick<TDocumentsContext, 'db' | 'log'>): Promise<string[]>;
  /**
   * Whether a load yields every document the source has, so that the kind's pages it did not yield leave the index
   * (the default). False: only what the kind marks `gone` leaves (a remote whose listing alone does not prove a page
   * gone: the crawl keeps the pages of a site it could not read, GitHub asks after each missing thread).
   */
  isLoadComplete?: boolean;
  /** Other names of a page that DOCS_AUDIENCES' globs match besides its index path (a crawled page: its URL's path). */
  aliasesOf?(path: string): readonly string[];
  /** The run's report: the kind's own result with what the pipeline wrote. */
  report(run: { result: TResult; written: TWriteReport }): TReport;
  /** Logs a finished run (its kind's one line). */
  logRun?(report: TReport, log: TLogger): void;
  /** What its state row keeps of a run for /api/health (`error`: the run threw; the index keeps what it had). */
  summarise(outcome: { result: TReport } | { error: unknown }): Record<string, unknown>;
  /** Its background sync, run by the instance that gets the kind's lease (extended while it runs). null: loaded at start only. */
  sync: TSourceSync | null;
  /**
   * A source the site serves from (the docs folder): loaded at start, before the server answers, by every instance
   * (no lease), which records and logs its load; its report is what /api/health reports of the index.
   */
  isLoadedAtStart?: boolean;
};

/** A kind's documents made a source the app runs (./source.ts): each run goes through the write pipeline. */
export type TDocsSource<TReport = unknown> = {
  readonly kind: string;
  /** Load everything into the index under this kind; documents it no longer has leave (see isLoadComplete). */
  load(deps: TSourceDeps): Promise<TReport>;
  /** What changed since `since` (its last sync; null before the first: a load) into the index. */
  poll(deps: TSourceDeps, since: Date | null): Promise<TReport>;
  /** The ids (index paths) of the documents that still exist in the source. */
  listIds(deps: TSourceDeps): Promise<string[]>;
  summarise(outcome: { result: TReport } | { error: unknown }): Record<string, unknown>;
  sync: TSourceSync | null;
  /** Loaded at start before the server answers (the docs folder): ./start.ts. */
  isLoadedAtStart: boolean;
};

/** A kind of source: what the registry (./index.ts) holds, one entry per folder. */
export type TSourceKind<TReport = unknown, TKindSettings = unknown> = {
  readonly kind: string;
  /**
   * Its environment variables and how it reads them (its folder's settings.ts): validated once at start-up by
   * lib/config.ts, which puts what it reads into the configuration's `docsSources` (fromConfig reads it there).
   */
  readonly settings: TSettings<TKindSettings>;
  /** The kind's documents when the configuration has its entry, else null (the registry makes them a source). */
  fromConfig(config: TKindConfig<TKindSettings>): TKindDocuments<unknown, TReport> | null;
  /**
   * At start, before the index is served, configured or not: the index paths of its pages the kind's own state says
   * are no longer configured (they leave: ./prune.ts; pages of kinds not configured at all leave anyway).
   * `isChanged`: its configuration changed since the last sync, which is then due at once.
   */
  pruneUnconfigured?(context: { db: TDb; config: TKindConfig<TKindSettings> }): Promise<{ stale: string[]; isChanged: boolean }>;
  /**
   * A kind whose pages are API references (pages/docs/reference): where a spec's page is in the index and how an
   * operation's section is anchored. The reference pages find it in the registry (lib/docs/site/reference.ts).
   */
  reference?: TReferenceLayout;
  /** The field the start's log names this kind's pruned pages by (`local`, `crawled`: the log's words from before there were kinds). */
  prunedLogField?: string;
};

/** How an API reference kind lays its pages out in the index. */
export type TReferenceLayout = {
  /** `openapi/<spec>`: a spec's overview page, its tags' pages below it. */
  specPagePath(spec: string): string;
  /** `operation/<operationId>`: an operation's section in its spec's page. */
  operationAnchor(operationId: string): string;
};
