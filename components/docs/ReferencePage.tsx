import Head from 'next/head';
import { DocBlocks } from '@/components/docs/DocContent';
import { DocsLayout } from '@/components/docs/DocsLayout';
import { Callout } from '@/components/site/Callout';
import type { TBlockNode, TNavLinkGroup } from '@/lib/shared/docs';
import { pageTitle } from '@/lib/shared/site';

// An API reference page (pages/docs/reference): the docs layout around the spec's blocks, with a note when the
// spec's last read failed (the operations shown are the last ones read; why is for /api/health, not readers).

export type TReferencePageProps = {
  siteName: string;
  href: string;
  title: string;
  description: string;
  blocks: TBlockNode[];
  lastError: string | null;
  nav: TNavLinkGroup[];
};

export function ReferencePage({ siteName, href, title, description, blocks, lastError, nav }: TReferencePageProps) {
  return (
    <>
      <Head>
        <title>{pageTitle(title, siteName)}</title>
        {description ? <meta name="description" content={description} /> : null}
      </Head>
      <DocsLayout siteName={siteName} nav={nav} currentHref={href}>
        <article className="doc-content api-reference">
          <h1 className="heading heading-10">{title}</h1>
          {description ? <p className="lead">{description}</p> : null}
          {lastError ? (
            <Callout variant="warning">
              <h2 className="callout-heading">The spec could not be read again</h2>
              <p className="callout-text">These are the operations last read from it; the site&rsquo;s health check says why.</p>
            </Callout>
          ) : null}
          <DocBlocks blocks={blocks} />
        </article>
      </DocsLayout>
    </>
  );
}
