import type { GetServerSideProps } from 'next';
import Head from 'next/head';
import { DocsLayout } from '@/components/docs/DocsLayout';
import { renderDocsNavHtml, type TStaticHtml } from '@/components/docs/static-html';
import { useAssistantPanel } from '@/components/assistant/panel-context';
import { Icon } from '@/components/site/Icon';
import { ArrowForwardIcon } from '@/components/site/paste-icons/ArrowForwardIcon';
import { getApp } from '@/lib/app';
import { isPublicAccess } from '@/lib/audiences';
import { readerAccessOfRequest } from '@/lib/audiences/access';
import { readFolderNav } from '@/lib/docs/gate/folder-nav';
import { listSectionsOfNav, type TSectionOfNav } from '@/lib/docs/site/pages';
import { toNavLinks } from '@/lib/shared/docs';
import { readSiteName } from '@/lib/docs/site/site-config';
import { docsTitleName } from '@/lib/shared/site';

type TProps = { siteName: string; sections: TSectionOfNav[]; nav: TStaticHtml };

// The home page of whatever docs DOCS_DIR holds: it names their site, and says nothing of this project. Rendered per
// request, as the docs pages are (pages/docs/[[...slug]].tsx): it lists the pages its reader may read, which only the
// request says (a page of an audience is in no page made at build time, nor in a shared cache). Each section's
// pages are listed without their own pages (a component's API and changelog are on the component's page).
export const getServerSideProps: GetServerSideProps<TProps> = async ({ req, res }) => {
  const app = await getApp();
  const access = await readerAccessOfRequest({ deps: app, req });
  const { docsDir } = app.config;
  const { groups } = readFolderNav({ docsDir, rules: app.config.docsSources, access });
  res.setHeader('Cache-Control', isPublicAccess(access) ? 'public, max-age=0, must-revalidate' : 'private, no-store');
  res.setHeader('Vary', 'Cookie, Authorization');
  return { props: { siteName: readSiteName({ docsDir }), sections: listSectionsOfNav(groups), nav: renderDocsNavHtml(toNavLinks(groups, '/'), '/') } };
};

export default function Home({ siteName, sections, nav }: TProps) {
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
        {sections.map((group) => (
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
