import type { GetServerSideProps } from 'next';
import Head from 'next/head';
import { DocsLayout } from '@/components/docs/DocsLayout';
import type { TStaticHtml } from '@/components/docs/static-html';
import { StaticHtml } from '@/components/docs/StaticHtml';
import { toNavLinks } from '@/lib/shared/docs';
import { pageTitle } from '@/lib/shared/site';

// A maintainers' answer's public page (lib/docs/site/answers.ts): the question and the reply the maintainers
// approved, cited as "Answered by the maintainers (date)", with the docs' navigation around it. Rendered per
// request from the database: a retracted answer is a 404 at once. Its markdown twin is the same URL plus `.md`.

type TProps = { siteName: string; nav: TStaticHtml; href: string; title: string; byline: string; content: TStaticHtml };

export const getServerSideProps: GetServerSideProps<TProps> = async ({ params, req, res }) => {
  const [{ getApp }, { readerAccessOfRequest }, { setReaderCacheHeaders }, { answerIdOf, loadAnswerPage }, { readFolderNav }, { readSiteName }, { renderDocBlocksHtml, renderDocsNavHtml }] = await Promise.all([
    import('@/lib/app'),
    import('@/lib/audiences/access'),
    import('@/lib/docs/site/reader-cache'),
    import('@/lib/docs/site/answers'),
    import('@/lib/docs/gate/folder-nav'),
    import('@/lib/docs/site/site-config'),
    import('@/components/docs/static-html'),
  ]);
  const id = answerIdOf(params?.id);
  const app = await getApp();
  const access = await readerAccessOfRequest({ deps: app, req });
  const page = id === null ? null : await loadAnswerPage({ db: app.db, docsDir: app.config.docsDir, id, access, audienceRules: app.config.docsSources.audiences });
  // As the docs pages: a hidden answer is a 404 like an unknown one, and a reader with audiences is never cached for others.
  setReaderCacheHeaders(res, access, { isFound: page !== null });
  if (!page) return { notFound: true };
  const { docsDir } = app.config;
  return {
    props: {
      siteName: readSiteName({ docsDir }),
      nav: renderDocsNavHtml(toNavLinks(readFolderNav({ docsDir, rules: app.config.docsSources, access }).groups), page.href),
      href: page.href,
      title: page.title,
      byline: page.byline,
      content: renderDocBlocksHtml(page.blocks),
    },
  };
};

export default function AnswerPage({ siteName, nav, href, title, byline, content }: TProps) {
  return (
    <>
      <Head>
        <title>{pageTitle(title, siteName)}</title>
        <meta name="description" content={`${byline}: ${title}`} />
        <link rel="alternate" type="text/markdown" href={`${href}.md`} />
      </Head>
      <DocsLayout siteName={siteName} nav={nav} isDocsPage>
        <article className="doc-content" data-testid="maintainers-answer">
          <h1 className="heading heading-10">{title}</h1>
          <p className="lead">{byline}</p>
          <StaticHtml content={content} />
        </article>
      </DocsLayout>
    </>
  );
}
