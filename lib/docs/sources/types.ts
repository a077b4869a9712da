import type { TConfig } from '../../config';
import type { TSettings } from '../../settings';
import type { TDb } from '../../db/types';
import type { TLogger } from '../../log';
import type { TEmbedder } from '../index/embeddings';
import type { TIndexReport } from '../index/indexer';

// The seam every kind of docs source sits behind (Onyx's connectors have this shape). The index, prune and the
// sync jobs know a kind only as a label: its pages carry it (docs_page.source_kind), its sync has its own lease
// row (docs_source_state), and what a sync reports is its own, summarised for /api/health.

export type TSourceDeps = { db: TDb; log: TLogger; embedder: TEmbedder | null };

/** What the sources are built from: the configuration's docs entries. */
export type TSourcesConfig = Pick<TConfig, 'docsDir' | 'docsSources'>;

export type TDocsSource<TReport = unknown> = {
  /** The kind, a label: recorded on every page it indexes and naming its state row. */
  readonly kind: string;
  /** Load everything: the whole source into the index under this kind; documents it no longer has leave. */
  load(deps: TSourceDeps): Promise<TReport>;
  /** Poll what changed since `since` (its last sync; null before the first) into the index. */
  poll(deps: TSourceDeps, since: Date | null): Promise<TReport>;
  /** The ids (index paths) of the documents that still exist in the source. */
  listIds(deps: TSourceDeps): Promise<string[]>;
  /** What its state row keeps of a sync for /api/health (`error`: the sync threw; the index keeps what it had). */
  summarise(outcome: { result: TReport } | { error: unknown }): Record<string, unknown>;
  /**
   * Its background sync: asked every `checkSeconds` whether `everySeconds` passed since the last, run by the
   * instance that gets the kind's lease (`leaseSeconds`, extended while it runs). null: loaded at start only.
   */
  sync: { everySeconds: number; checkSeconds: number; leaseSeconds: number } | null;
  /**
   * A source the site serves from (the docs folder): loaded at start, before the server answers, by every instance
   * (no lease), which records and logs its load; what it returns is what /api/health reports of the index.
   */
  loadAtStart?(deps: TSourceDeps): Promise<TIndexReport>;
};

/** A kind of source: what the registry (./index.ts) holds, one entry per folder. */
export type TSourceKind<TReport = unknown, TKindSettings = unknown> = {
  readonly kind: string;
  /**
   * Its environment variables and how it reads them (its folder's settings.ts): validated once at start-up by
   * lib/config.ts, which puts what it reads into the configuration's `docsSources` (fromConfig reads it there).
   */
  readonly settings: TSettings<TKindSettings>;
  /** The kind's source when the configuration has its entry, else null. */
  fromConfig(config: TSourcesConfig): TDocsSource<TReport> | null;
  /**
   * At start, before the index is served, configured or not: what the kind's own state says is no longer
   * configured leaves (pages of kinds not configured at all leave anyway, ./prune.ts). `isChanged`: its
   * configuration changed since the last sync, which is then due at once.
   */
  pruneUnconfigured?(context: { db: TDb; config: TSourcesConfig }): Promise<{ removed: number; isChanged: boolean }>;
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
