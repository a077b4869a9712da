import type { TConfig } from '../../config';
import type { TDb } from '../../db/types';
import type { TLogger } from '../../log';
import type { TEmbedder } from '../index/embeddings';

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
};

/** A kind of source: what the registry (./index.ts) holds, one entry per folder. */
export type TSourceKind<TReport = unknown> = {
  readonly kind: string;
  /** The kind's source when the configuration has its entry, else null. */
  fromConfig(config: TSourcesConfig): TDocsSource<TReport> | null;
  /**
   * At start, before the index is served, configured or not: what the kind's own state says is no longer
   * configured leaves (pages of kinds not configured at all leave anyway, ./prune.ts). `isChanged`: its
   * configuration changed since the last sync, which is then due at once.
   */
  pruneUnconfigured?(context: { db: TDb; config: TSourcesConfig }): Promise<{ removed: number; isChanged: boolean }>;
};
