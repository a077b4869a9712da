import type { GetServerSideProps } from 'next';
import Head from 'next/head';
import { DocBlocks } from '@/components/docs/DocContent';
import { DocsLayout } from '@/components/docs/DocsLayout';
import type { TBlockNode } from '@/lib/shared/docs';
import { toNavLinks, type TNavLinkGroup } from '@/lib/shared/docs';
import { pageTitle } from '@/lib/shared/site';

// A maintainers' answer's public page (lib/docs/site/answers.ts): the question and the reply the maintainers
// approved, cited as "Answered by the maintainers (date)", with the docs' navigation around it. Rendered per
// request from the database: a retracted answer is a 404 at once. Its markdown twin is the same URL plus `.md`.

type TProps = { siteName: string; nav: TNavLinkGroup[]; href: string; title: string; byline: string; blocks: TBlockNode[] };

export const getServerSideProps: GetServerSideProps<TProps> = async ({ params, res }) => {
  const [{ getApp }, { answerIdOf, loadAnswerPage }, { getVersionNav }, { readSiteName }] = await Promise.all([
    import('@/lib/app'),
    import('@/lib/docs/site/answers'),
    import('@/lib/docs/site/pages'),
    import('@/lib/docs/site/site-config'),
  ]);
  const id = answerIdOf(params?.id);
  const app = await getApp();
  const page = id === null ? null : await loadAnswerPage({ db: app.db, docsDir: app.config.docsDir, id });
  res.setHeader('Cache-Control', 'public, no-cache');
  if (!page) return { notFound: true };
  const { docsDir } = app.config;
  return {
    props: {
      siteName: readSiteName({ docsDir }),
      nav: toNavLinks(getVersionNav(docsDir, null).groups),
      href: page.href,
      title: page.title,
      byline: page.byline,
      blocks: page.blocks,
    },
  };
};

export default function AnswerPage({ siteName, nav, href, title, byline, blocks }: TProps) {
  return (
    <>
      <Head>
        <title>{pageTitle(title, siteName)}</title>
        <meta name="description" content={`${byline}: ${title}`} />
        <link rel="alternate" type="text/markdown" href={`${href}.md`} />
      </Head>
      <DocsLayout siteName={siteName} nav={nav} currentHref={href}>
        <article className="doc-content" data-testid="maintainers-answer">
          <h1 className="heading heading-10">{title}</h1>
          <p className="lead">{byline}</p>
          <DocBlocks blocks={blocks} />
        </article>
      </DocsLayout>
    </>
  );
}
