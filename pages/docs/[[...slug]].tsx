import type { GetStaticPaths, GetStaticProps } from 'next';
import Head from 'next/head';
import { useEffect, useRef } from 'react';
import { setDocsVersion } from '@/components/assistant/docs-version';
import { AskAboutPageButton, AskAboutSelection } from '@/components/docs/AskAboutPage';
import { DocsLayout } from '@/components/docs/DocsLayout';
import { LazyPageActions } from '@/components/docs/LazyPageActions';
import { PrevNext } from '@/components/docs/PrevNext';
import { renderDocBlocksHtml, renderDocsNavHtml, renderParseErrorHtml, type TStaticHtml } from '@/components/docs/static-html';
import { StaticHtml } from '@/components/docs/StaticHtml';
import { loadConfig } from '@/lib/config';
import { docUrl, getDocPageSlugs, listDocFiles, readDocFile, slugFromPath } from '@/lib/docs/sources/folder/load';
import { detectFolderVersions, folderVersionOf } from '@/lib/docs/sources/folder/versions';
import { DOCUSAURUS_CURRENT } from '@/lib/docs/sources/versions';
import { buildDocsOverview, getPrevNext, getVersionNav } from '@/lib/docs/site/pages';
import { renderDoc } from '@/lib/docs/site/render';
import { readSiteName } from '@/lib/docs/site/site-config';
import { toNavLinks } from '@/lib/shared/docs';
import { pageTitle } from '@/lib/shared/site';

type TLink = { href: string; title: string };
type TProps = {
  siteName: string;
  /** The page's <title>, made on the server (pageTitle) so that the browser need not carry how. */
  headTitle: string;
  href: string;
  title: string;
  description: string;
  /** The page's content and the navigation, rendered on the server (components/docs/static-html.tsx); for a page
   *  whose file does not parse, the error in its place. */
  content: TStaticHtml;
  /** Made from the navigation (no page file): it has no markdown twin, page menu or "ask about this page". */
  isGenerated: boolean;
  nav: TStaticHtml;
  prev: TLink | null;
  next: TLink | null;
  /** The version of versioned docs the page belongs to (lib/docs/sources/folder/versions.ts); null: none. */
  version: string | null;
};

export const getStaticPaths: GetStaticPaths = async () => {
  const slugs = listDocFiles(loadConfig().docsDir).map(slugFromPath);
  // `/docs` exists whether or not the folder has an index page: the header's site name links to it.
  if (!slugs.includes('')) slugs.push('');
  return { paths: slugs.map((slug) => ({ params: { slug: slug === '' ? [] : slug.split('/') } })), fallback: false };
};

export const getStaticProps: GetStaticProps<TProps> = async ({ params }) => {
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
  const link = (page: typeof prev): TLink | null => (page ? { href: page.href, title: page.title } : null);
  const groups = renderDocsNavHtml(toNavLinks(nav.groups), href);
  const siteName = readSiteName({ docsDir });
  if (!relativePath) {
    if (slug !== '') return { notFound: true };
    // A docs folder without an index page (the Paste docs have none): its sections and pages, generated.
    const overview = { title: siteName, description: '', content: renderDocBlocksHtml(buildDocsOverview(nav.groups)), isGenerated: true };
    return { props: { siteName, headTitle: pageTitle(overview.title, siteName), href, ...overview, nav: groups, prev: null, next: link(nav.pages[0] ?? null), version: null } };
  }
  try {
    const doc = renderDoc({ source: readDocFile(docsDir, relativePath).source, path: relativePath, pageSlugs: getDocPageSlugs(docsDir, files) });
    return {
      props: { siteName, headTitle: pageTitle(doc.title, siteName), href, title: doc.title, description: doc.description, content: renderDocBlocksHtml(doc.blocks), isGenerated: false, nav: groups, prev: link(prev), next: link(next), version },
    };
  } catch (error) {
    // A page that does not parse still renders, saying so, rather than failing the whole build.
    const title = nav.pages.find((page) => page.href === href)?.title ?? slug;
    return {
      props: { siteName, headTitle: pageTitle(title, siteName), href, title, description: '', content: renderParseErrorHtml(error instanceof Error ? error.message : String(error)), isGenerated: false, nav: groups, prev: link(prev), next: link(next), version },
    };
  }
};

export default function DocPage({ siteName, headTitle, href, title, description, content, isGenerated, nav, prev, next, version }: TProps) {
  const articleRef = useRef<HTMLElement>(null);
  // A conversation started here, and the search box, are of this page's version (components/assistant/docs-version.ts).
  useEffect(() => setDocsVersion(version), [version]);
  return (
    <>
      <Head>
        <title>{headTitle}</title>
        {description ? <meta name="description" content={description} /> : null}
        {isGenerated ? null : <link rel="alternate" type="text/markdown" href={`${href}.md`} />}
        {/* The page's version, where Docusaurus (and Algolia's DocSearch) put it. */}
        {version ? <meta name="docsearch:version" content={version} /> : null}
      </Head>
      <DocsLayout siteName={siteName} nav={nav}>
        <article ref={articleRef} className="doc-content">
          {isGenerated ? null : <LazyPageActions href={href} title={title} />}
          <h1 className="heading heading-10">{title}</h1>
          {version ? (
            <p className="caption text-weak" data-docs-version={version}>
              {version === DOCUSAURUS_CURRENT ? 'Current version' : `Version ${version}`}
            </p>
          ) : null}
          {isGenerated ? null : (
            <div className="ask-about-page">
              <AskAboutPageButton href={href} title={title} />
            </div>
          )}
          {description ? <p className="lead">{description}</p> : null}
          <StaticHtml content={content} />
        </article>
        <PrevNext prev={prev} next={next} />
        {isGenerated ? null : <AskAboutSelection containerRef={articleRef} href={href} title={title} />}
      </DocsLayout>
    </>
  );
}
