import type { GetStaticPaths, GetStaticProps } from 'next';
import { DocPage, type TDocPageProps } from '@/components/docs/DocPage';
import { renderDocBlocksHtml, renderDocsNavHtml, renderParseErrorHtml } from '@/components/docs/static-html';
import { loadConfig } from '@/lib/config';
import { docUrl, getDocPageSlugs, listDocFiles, readDocFile, slugFromPath } from '@/lib/docs/folder/load';
import { detectFolderVersions, folderVersionOf } from '@/lib/docs/folder/versions';
import { DOCUSAURUS_CURRENT } from '@/lib/docs/sources/versions';
import { buildDocsOverview, getPrevNext, getVersionNav } from '@/lib/docs/site/pages';
import { renderDoc } from '@/lib/docs/site/render';
import { readSiteName } from '@/lib/docs/site/site-config';
import { toNavLinks } from '@/lib/shared/docs';
import { pageTitle } from '@/lib/shared/site';

export const getStaticPaths: GetStaticPaths = async () => {
  const slugs = listDocFiles(loadConfig().docsDir).map(slugFromPath);
  // `/docs` exists whether or not the folder has an index page: the header's site name links to it.
  if (!slugs.includes('')) slugs.push('');
  return { paths: slugs.map((slug) => ({ params: { slug: slug === '' ? [] : slug.split('/') } })), fallback: false };
};

export const getStaticProps: GetStaticProps<TDocPageProps> = async ({ params }) => {
  const slug = ((params?.slug as string[] | undefined) ?? []).join('/');
  const docsDir = loadConfig().docsDir;
  const files = listDocFiles(docsDir);
  const relativePath = files.find((file) => slugFromPath(file) === slug);
  const href = docUrl(slug);
  const versions = detectFolderVersions({ docsDir, files, configuredCurrent: loadConfig().docsSources.versions?.current ?? null });
  const version = relativePath ? (folderVersionOf(versions, relativePath)?.name ?? null) : null;
  // A page of one version lists that version's pages (and those of no version), never another version's.
  const nav = getVersionNav(docsDir, version);
  const { prev, next } = getPrevNext(nav, href);
  const link = (page: typeof prev): TDocPageProps['prev'] => (page ? { href: page.href, title: page.title } : null);
  const groups = renderDocsNavHtml(toNavLinks(nav.groups), href);
  const siteName = readSiteName({ docsDir });
  const versionCaption = version === null ? null : version === DOCUSAURUS_CURRENT ? 'Current version' : `Version ${version}`;
  if (!relativePath) {
    if (slug !== '') return { notFound: true };
    // A docs folder without an index page (the Paste docs have none): its sections and pages, generated.
    const overview = { title: siteName, description: '', content: renderDocBlocksHtml(buildDocsOverview(nav.groups)), isGenerated: true };
    return { props: { siteName, headTitle: pageTitle(overview.title, siteName), href, ...overview, nav: groups, prev: null, next: link(nav.pages[0] ?? null), version: null, versionCaption: null } };
  }
  try {
    const doc = renderDoc({ source: readDocFile(docsDir, relativePath).source, path: relativePath, pageSlugs: getDocPageSlugs(docsDir, files) });
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
