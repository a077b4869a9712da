import type { GetStaticProps } from 'next';
import Head from 'next/head';
import { DocsLayout } from '@/components/docs/DocsLayout';
import { renderDocsNavHtml, type TStaticHtml } from '@/components/docs/static-html';
import { useAssistantPanel } from '@/components/assistant/panel-context';
import { Icon } from '@/components/site/Icon';
import { ArrowForwardIcon } from '@/components/site/paste-icons/ArrowForwardIcon';
import { loadConfig } from '@/lib/config';
import { getVersionNav, type TNavGroup } from '@/lib/docs/site/pages';
import { toNavLinks } from '@/lib/shared/docs';
import { readSiteName } from '@/lib/docs/site/site-config';
import { docsTitleName } from '@/lib/shared/site';

type TProps = { siteName: string; groups: TNavGroup[]; nav: TStaticHtml };

// The home page of whatever docs DOCS_DIR holds: it names their site, and says nothing of this project.
export const getStaticProps: GetStaticProps<TProps> = async () => {
  const { docsDir } = loadConfig();
  const { groups } = getVersionNav(docsDir, null);
  return { props: { siteName: readSiteName({ docsDir }), groups, nav: renderDocsNavHtml(toNavLinks(groups), '/') } };
};

export default function Home({ siteName, groups, nav }: TProps) {
  const panel = useAssistantPanel();
  return (
    <>
      <Head>
        <title>{docsTitleName(siteName)}</title>
        <meta name="description" content={`${docsTitleName(siteName)}, with an assistant that answers from these pages and links to the sections it used.`} />
      </Head>
      <DocsLayout siteName={siteName} nav={nav}>
        <h1 className="heading heading-10">{siteName}</h1>
        <p className="paragraph">
          Read the docs, search them from the box above, or ask the assistant: it answers questions from these pages,
          with links to the sections it used.
        </p>
        <div className="button-row home-actions">
          <a className="button button-primary" href="/docs">
            Get started
            <Icon icon={ArrowForwardIcon} className="icon-arrow" />
          </a>
          <button type="button" className="button button-secondary" onClick={panel.open}>
            Ask the assistant
          </button>
        </div>
        {groups.map((group) => (
          <section key={group.label} className="home-section">
            <h2 className="heading heading-30">{group.label}</h2>
            <div className="home-grid">
              {group.pages.map((page) => (
                <div key={page.href}>
                  <a className="anchor" href={page.href}>
                    {page.title}
                  </a>
                  {page.description ? <p>{page.description}</p> : null}
                </div>
              ))}
            </div>
          </section>
        ))}
      </DocsLayout>
    </>
  );
}
