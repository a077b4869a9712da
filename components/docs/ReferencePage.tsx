import Head from 'next/head';
import { useEffect } from 'react';
import { DocsLayout } from '@/components/docs/DocsLayout';
import { Callout } from '@/components/site/Callout';
import type { TStaticHtml } from './static-html';
import { StaticHtml } from './StaticHtml';
import { pageTitle } from '@/lib/shared/site';

// An API reference page (pages/docs/reference): the docs layout around the spec's blocks, with a note when the
// spec's last read failed (the operations shown are the last ones read; why is for /api/health, not readers).
// The pages' data functions render the blocks and the navigation to HTML (components/docs/static-html.tsx).
// A spec's index page (isAnchorIndex) sends a link to one of its operations' anchors (`#operation/<id>`, from when
// the spec was one page) on to the operation's own page, which it lists: a fragment never reaches the server.

export type TReferencePageProps = {
  siteName: string;
  href: string;
  title: string;
  description: string;
  content: TStaticHtml;
  lastError: string | null;
  nav: TStaticHtml;
  isAnchorIndex?: boolean;
  up?: { href: string; title: string };
};

/** The operation's page an old anchor names, when this index lists it; null otherwise. */
export function operationPageOfAnchor(pathname: string, hash: string, listed: (href: string) => boolean): string | null {
  const match = /^#(operation\/[^/?#]+)$/.exec(hash);
  if (!match) return null;
  let anchor: string;
  try {
    anchor = decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
  const href = `${pathname.replace(/\/+$/, '')}/${anchor}`;
  return listed(href) ? href : null;
}

function useAnchorRedirect(isAnchorIndex: boolean) {
  useEffect(() => {
    if (!isAnchorIndex) return;
    const follow = () => {
      const target = operationPageOfAnchor(location.pathname, location.hash, (href) => document.querySelector(`article a[href="${CSS.escape(href)}"]`) !== null);
      // Replaced, not pushed: Back goes to the page before, not to an index that would send it on again.
      if (target) location.replace(target);
    };
    follow();
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, [isAnchorIndex]);
}

export function ReferencePage({ siteName, title, description, content, lastError, nav, isAnchorIndex = false, up }: TReferencePageProps) {
  useAnchorRedirect(isAnchorIndex);
  return (
    <>
      <Head>
        <title>{pageTitle(title, siteName)}</title>
        {description ? <meta name="description" content={description} /> : null}
      </Head>
      <DocsLayout siteName={siteName} nav={nav} isDocsPage>
        <article className="doc-content api-reference">
          {up ? (
            <p>
              <a href={up.href}>{up.title}</a>
            </p>
          ) : null}
          <h1 className="heading heading-10">{title}</h1>
          {description ? <p className="lead">{description}</p> : null}
          {lastError ? (
            <Callout variant="warning">
              <h2 className="callout-heading">The spec could not be read again</h2>
              <p className="callout-text">These are the operations last read from it; the site&rsquo;s health check says why.</p>
            </Callout>
          ) : null}
          <StaticHtml content={content} />
        </article>
      </DocsLayout>
    </>
  );
}
