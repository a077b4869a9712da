import { afterDocsChange } from './docs-changes';
import type { TDb } from './types';

// The docs sources' state in the database (supabase/schemas/44_docs_sources.sql): a row per kind with its sync's
// lease, and the kind each indexed page came from.

export type TDocsSourceStatus = {
  kind: string;
  pages: number;
  sections: number;
  failed: number;
  lastRun: string | null;
  nextRun: string | null;
  /** Why its last sync failed (its summary's `error`); null when it did not. */
  lastError: string | null;
};

export function claimDocsSourceSync({
  db,
  kind,
  worker,
  everySeconds,
  leaseSeconds,
  isForced,
}: {
  db: TDb;
  kind: string;
  worker: string;
  everySeconds: number;
  leaseSeconds: number;
  isForced: boolean;
}) {
  return db.rpc<{ claimed: false } | { claimed: true; lastRun: string | null }>('claim_docs_source_sync', {
    p_kind: kind,
    p_worker: worker,
    p_every_seconds: everySeconds,
    p_lease_seconds: leaseSeconds,
    p_is_forced: isForced,
  });
}

export function extendDocsSourceLease({ db, kind, worker, leaseSeconds }: { db: TDb; kind: string; worker: string; leaseSeconds: number }) {
  return db.rpc<boolean>('extend_docs_source_lease', { p_kind: kind, p_worker: worker, p_lease_seconds: leaseSeconds });
}

export function completeDocsSourceSync({ db, kind, worker, everySeconds, report }: { db: TDb; kind: string; worker: string; everySeconds: number; report: Record<string, unknown> }) {
  return db.rpc<boolean>('complete_docs_source_sync', { p_kind: kind, p_worker: worker, p_every_seconds: everySeconds, p_report: report });
}

/** A sync that ran without the lease (the folder at start): its time and report. */
export function recordDocsSourceSync({ db, kind, report }: { db: TDb; kind: string; report: Record<string, unknown> }) {
  return db.rpc<void>('record_docs_source_sync', { p_kind: kind, p_report: report });
}

/** `{path: checksum}` of the pages of one kind of source. */
export function listDocsPageChecksumsByKind({ db, kind }: { db: TDb; kind: string }) {
  return db.rpc<Record<string, string>>('list_docs_page_checksums_by_kind', { p_kind: kind });
}

/** The paths of one kind's pages marked failed (their last read or parse failed; they keep their sections). */
export function listDocsFailedPathsByKind({ db, kind }: { db: TDb; kind: string }) {
  return db.rpc<string[]>('list_docs_failed_paths_by_kind', { p_kind: kind });
}

/** Pages of every kind but `kinds` (the configured ones) leave the index; returns how many, by kind. */
export function deleteDocsPagesOfOtherKinds({ db, kinds }: { db: TDb; kinds: string[] }) {
  return afterDocsChange(db, db.rpc<Record<string, number>>('delete_docs_pages_of_other_kinds', { p_kinds: kinds }));
}

export function listDocsSourcesStatus({ db }: { db: TDb }) {
  return db.rpc<TDocsSourceStatus[]>('list_docs_sources_status');
}

/** `{path: {title, meta}}` of the pages of one kind of source: what a sync reads back of what it indexed. */
export function listDocsPagesMetaByKind({ db, kind }: { db: TDb; kind: string }) {
  return db.rpc<Record<string, { title: string; meta: Record<string, unknown> }>>('list_docs_pages_meta_by_kind', { p_kind: kind });
}

/** What a kind keeps between syncs (its own shape; {} before the first). */
export function getDocsSourceSyncState({ db, kind }: { db: TDb; kind: string }) {
  return db.rpc<Record<string, unknown>>('get_docs_source_sync_state', { p_kind: kind });
}

export function setDocsSourceSyncState({ db, kind, state }: { db: TDb; kind: string; state: Record<string, unknown> }) {
  return db.rpc<void>('set_docs_source_sync_state', { p_kind: kind, p_state: state });
}

/** A remote's answer to one URL kept with its ETag, or null. */
export function getDocsSourceCache({ db, kind, key }: { db: TDb; kind: string; key: string }) {
  return db.rpc<{ etag: string; body: unknown; link: string | null } | null>('get_docs_source_cache', { p_kind: kind, p_key: key });
}

export function putDocsSourceCache({ db, kind, key, etag, body, link }: { db: TDb; kind: string; key: string; etag: string; body: unknown; link: string | null }) {
  return db.rpc<void>('put_docs_source_cache', { p_kind: kind, p_key: key, p_etag: etag, p_body: body, p_link: link });
}

/** Keeps the `keep` answers of a kind stored last; returns how many were dropped. */
export function trimDocsSourceCache({ db, kind, keep }: { db: TDb; kind: string; keep: number }) {
  return db.rpc<number>('trim_docs_source_cache', { p_kind: kind, p_keep: keep });
}
