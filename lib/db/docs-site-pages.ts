import type { TDb } from './types';

// The pages this site shows at its own URLs (supabase/schemas/48_docs_site_pages.sql), for the sitemap.

export type TSitePageRow = {
  path: string;
  /** Where the site shows it: a path below /docs (docUrl). */
  slug: string;
  kind: string;
  /** What says who may read it (lib/audiences pageAudiencesOf). */
  meta: { audiences?: unknown; isPrivate?: unknown };
  /** When it last changed (ISO 8601): its source's date, else when the index last saw it change. */
  updatedAt: string;
  /** Anchors of its sections that are pages of their own (an API operation's). */
  pageAnchors: string[];
};

export function listDocsSitePages({ db }: { db: TDb }) {
  return db.rpc<TSitePageRow[]>('list_docs_site_pages');
}
