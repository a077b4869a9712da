import Head from 'next/head';
import { useEffect, useRef } from 'react';
import { setDocsVersion } from '@/components/assistant/docs-version';
import { AskAboutPageButton, AskAboutSelection } from '@/components/docs/AskAboutPage';
import { DocsLayout } from '@/components/docs/DocsLayout';
import { LazyPageActions } from '@/components/docs/LazyPageActions';
import { PrevNext } from '@/components/docs/PrevNext';
import type { TStaticHtml } from '@/components/docs/static-html';
import { StaticHtml } from '@/components/docs/StaticHtml';

// A docs page (pages/docs/[[...slug]].tsx makes its props). Its own module, without the page's data functions,
// because two bundles render it in the browser: Next's, under `next dev`, and the docs pages' own client in a
// production build (components/docs/client/entry.ts), which bundles this file and what it imports.

type TLink = { href: string; title: string };
export type TDocPageProps = {
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
  /** The version of versioned docs the page belongs to (lib/docs/folder/versions.ts); null: none. */
  version: string | null;
  /** How the page names its version under the title ("Version 2.1", "Current version"); null: none. */
  versionCaption: string | null;
};


export function DocPage({ siteName, headTitle, href, title, description, content, isGenerated, nav, prev, next, version, versionCaption }: TDocPageProps) {
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
      <DocsLayout siteName={siteName} nav={nav} isDocsPage>
        <article ref={articleRef} className="doc-content">
          {isGenerated ? null : <LazyPageActions href={href} title={title} />}
          <h1 className="heading heading-10">{title}</h1>
          {version ? (
            <p className="caption text-weak" data-docs-version={version}>
              {versionCaption}
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
