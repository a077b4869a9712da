import Head from 'next/head';
import { DocsLayout } from '@/components/docs/DocsLayout';
import { Callout } from '@/components/site/Callout';
import type { TStaticHtml } from './static-html';
import { StaticHtml } from './StaticHtml';
import { pageTitle } from '@/lib/shared/site';

// An API reference page (pages/docs/reference): the docs layout around the spec's blocks, with a note when the
// spec's last read failed (the operations shown are the last ones read; why is for /api/health, not readers).
// The pages' data functions render the blocks and the navigation to HTML (components/docs/static-html.tsx).

export type TReferencePageProps = {
  siteName: string;
  href: string;
  title: string;
  description: string;
  content: TStaticHtml;
  lastError: string | null;
  nav: TStaticHtml;
};

export function ReferencePage({ siteName, title, description, content, lastError, nav }: TReferencePageProps) {
  return (
    <>
      <Head>
        <title>{pageTitle(title, siteName)}</title>
        {description ? <meta name="description" content={description} /> : null}
      </Head>
      <DocsLayout siteName={siteName} nav={nav} isDocsPage>
        <article className="doc-content api-reference">
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
