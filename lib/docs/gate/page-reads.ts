import { audiencesOfPath, canSee, pageAudiencesOf, type TAudienceRule, type TReaderAccess } from '../../audiences';
import { listDocsSectionsByPath, type TStoredSection } from '../../db/docs-index';
import { getDocsPageBySectionAnchor, listDocsPagesByKind, listDocsPagesUnderPath, type TStoredPage } from '../../db/docs-reference';
import { getApprovedMaintainerAnswerById, type TApprovedMaintainerAnswer } from '../../db/maintainer-answers';
import { listDocsSitePages, type TSitePageRow } from '../../db/docs-site-pages';
import type { TDb } from '../../db/types';
import { answerPagePath } from '../../shared/maintainer-answers';
import { pageVisibility, readVisibleIndex, visiblePaths } from './index-reads';

// Whole pages as the database stores them (an API reference's spec and operations, a page's sections, a
// maintainers' answer), as one reader may read them: a page they may not see is answered as a missing one (null or
// left out), by the same reads. Whether they may see it is the index's word (docs_page.meta.audiences, which the
// write pipeline stamps from the page's kind and DOCS_AUDIENCES), read through ./index-reads.ts.

/** The page at `path` and those below it (a spec's overview and its tags' pages), of `kind`, that the reader may read. */
export async function readPagesUnderPath({ db, access, path, kind }: { db: TDb; access: TReaderAccess; path: string; kind: string }): Promise<TStoredPage[]> {
  const stored = (await listDocsPagesUnderPath({ db, path })).filter((page) => page.kind === kind);
  const visible = await visiblePaths({ db, access, paths: stored.map((page) => page.path) });
  return stored.filter((page) => visible.has(page.path));
}

/** The page holding the section anchored `anchor` (at `path` and below), when the reader may read it; else null. */
export async function readPageBySectionAnchor({
  db,
  access,
  anchor,
  ...where
}: { db: TDb; access: TReaderAccess; anchor: string } & ({ slug: string; path?: never } | { path: string; slug?: never })): Promise<TStoredPage | null> {
  const stored = await getDocsPageBySectionAnchor({ db, anchor, ...where } as Parameters<typeof getDocsPageBySectionAnchor>[0]);
  if (!stored) return null;
  return (await visiblePaths({ db, access, paths: [stored.path] })).has(stored.path) ? stored : null;
}

/** The pages of a kind the reader may read (path, slug, title and why its source last failed). */
export async function readPagesOfKind({ db, access, kind }: { db: TDb; access: TReaderAccess; kind: string }) {
  const [pages, visible] = await Promise.all([listDocsPagesByKind({ db, kind }), readVisibleIndex({ db, access })]);
  const shown = new Set(visible.pages().map((page) => page.path));
  return pages.filter((page) => shown.has(page.path));
}

/** A page's stored sections, in order, when the reader may read it; none otherwise. */
export async function readPageSections({ db, access, path }: { db: TDb; access: TReaderAccess; path: string }): Promise<TStoredSection[]> {
  if (!(await visiblePaths({ db, access, paths: [path] })).has(path)) return [];
  return listDocsSectionsByPath({ db, path });
}

/**
 * An approved maintainers' answer, when the reader may read its page (`answer:<id>`); else null, as for an unknown
 * id. Approved a moment ago and not yet indexed, its audiences are those DOCS_AUDIENCES gives its index path, as the
 * write pipeline will stamp them; once indexed, the index's.
 */
export async function readApprovedAnswer({
  db,
  access,
  id,
  audienceRules,
}: {
  db: TDb;
  access: TReaderAccess;
  id: number;
  audienceRules: readonly TAudienceRule[] | undefined;
}): Promise<TApprovedMaintainerAnswer | null> {
  const path = answerPagePath(id);
  const [answer, visibility] = await Promise.all([getApprovedMaintainerAnswerById({ db, id }), pageVisibility({ db, access, path })]);
  if (!answer) return null;
  const isReadable = visibility === 'absent' ? canSee(audienceRules ? audiencesOfPath(audienceRules, path) : [], access) : visibility === 'visible';
  return isReadable ? answer : null;
}

/** The pages of the index this site shows at its own URLs (the sitemap's) that the reader may read. */
export async function readSitePages({ db, access }: { db: TDb; access: TReaderAccess }): Promise<TSitePageRow[]> {
  return (await listDocsSitePages({ db })).filter((row) => canSee(pageAudiencesOf(row.meta), access));
}
