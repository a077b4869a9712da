import type { GetServerSideProps } from 'next';
import { DocPage, type TDocPageProps } from '@/components/docs/DocPage';
import { renderDocBlocksHtml, renderDocsNavHtml, renderParseErrorHtml } from '@/components/docs/static-html';
import { getApp } from '@/lib/app';
import { readerAccessOfRequest } from '@/lib/audiences/access';
import { docUrl, getDocPageSlugs, listDocFiles, readDocFile, slugFromPath } from '@/lib/docs/folder/load';
import { detectFolderVersions, folderVersionOf } from '@/lib/docs/folder/versions';
import { DOCUSAURUS_CURRENT } from '@/lib/docs/parse/versions';
import { isFolderPageReadable, readFolderNav } from '@/lib/docs/gate/folder-nav';
import { buildDocsOverview, getPrevNext } from '@/lib/docs/site/pages';
import { setReaderCacheHeaders } from '@/lib/docs/site/reader-cache';
import { renderDocCached } from '@/lib/docs/site/render';
import { readSiteName } from '@/lib/docs/site/site-config';
import { toNavLinks } from '@/lib/shared/docs';
import { pageTitle } from '@/lib/shared/site';

// The docs pages, rendered per request (issue 57): a page may have audiences (front matter `audience:`,
// DOCS_AUDIENCES), and who may read it is known only from the request, so no page is generated at build time nor kept
// in a shared cache. A page the reader may not read is a 404, as a page that does not exist is (same status, same
// headers); the navigation lists only the pages the reader may read. A reader with audiences gets `private, no-store`
// (their page lists pages others may not know of); everyone else the public page, revalidated on every request.

export const getServerSideProps: GetServerSideProps<TDocPageProps> = async ({ params, req, res }) => {
  const app = await getApp();
  const access = await readerAccessOfRequest({ deps: app, req });
  const slug = ((params?.slug as string[] | undefined) ?? []).join('/');
  const { docsDir } = app.config;
  const files = listDocFiles(docsDir);
  const relativePath = files.find((file) => slugFromPath(file) === slug);
  // Not found and not readable are one answer: the same 404, the same headers.
  const notFound = () => {
    setReaderCacheHeaders(res, access, { isFound: false });
    return { notFound: true as const };
  };
  if (relativePath && !isFolderPageReadable({ docsDir, rules: app.config.docsSources, relativePath, access })) return notFound();
  setReaderCacheHeaders(res, access, { isFound: true });
  const href = docUrl(slug);
  const versions = detectFolderVersions({ docsDir, files, configuredCurrent: app.config.docsSources.versions?.current ?? null });
  const version = relativePath ? (folderVersionOf(versions, relativePath)?.name ?? null) : null;
  // A page of one version lists that version's pages (and those of no version), never another version's.
  const nav = readFolderNav({ docsDir, rules: app.config.docsSources, version, access });
  const { prev, next } = getPrevNext(nav, href);
  const link = (page: typeof prev): TDocPageProps['prev'] => (page ? { href: page.href, title: page.title } : null);
  const groups = renderDocsNavHtml(toNavLinks(nav.groups, href), href);
  const siteName = readSiteName({ docsDir });
  const versionCaption = version === null ? null : version === DOCUSAURUS_CURRENT ? 'Current version' : `Version ${version}`;
  if (!relativePath) {
    if (slug !== '') return notFound();
    // A docs folder without an index page (the Paste docs have none): its sections and pages, generated.
    const overview = { title: siteName, description: '', content: renderDocBlocksHtml(buildDocsOverview(nav.groups)), isGenerated: true };
    return { props: { siteName, headTitle: pageTitle(overview.title, siteName), href, ...overview, nav: groups, prev: null, next: link(nav.pages[0] ?? null), version: null, versionCaption: null } };
  }
  try {
    const doc = renderDocCached({ source: readDocFile(docsDir, relativePath).source, path: relativePath, pageSlugs: getDocPageSlugs(docsDir, files) });
    return {
      props: { siteName, headTitle: pageTitle(doc.title, siteName), href, title: doc.title, description: doc.description, content: renderDocBlocksHtml(doc.blocks), isGenerated: false, nav: groups, prev: link(prev), next: link(next), version, versionCaption },
    };
  } catch (error) {
    // A page that does not parse still renders, saying so, rather than failing the whole build.
    const title = nav.pages.find((page) => page.href === href)?.title ?? slug;
    return {
      props: { siteName, headTitle: pageTitle(title, siteName), href, title, description: '', content: renderParseErrorHtml(error instanceof Error ? error.message : String(error)), isGenerated: false, nav: groups, prev: link(prev), next: link(next), version, versionCaption },
    };
  }
};

// In a production build the page runs its own client (components/docs/client/entry.ts, pages/_document.tsx), not
// Next's: a docs page then loads React and its own code, not Next's router and runtime. `next dev` ignores this.
export const config = { unstable_runtimeJS: false };

export default DocPage;
