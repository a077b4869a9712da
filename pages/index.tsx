import type { GetStaticProps } from 'next';
import Head from 'next/head';
import { DocsLayout } from '@/components/docs/DocsLayout';
import { useAssistantPanel } from '@/components/assistant/panel-context';
import { Icon } from '@/components/site/Icon';
import { getDocNav, type TNavGroup } from '@/lib/docs/pages';

type TProps = { groups: TNavGroup[] };

export const getStaticProps: GetStaticProps<TProps> = async () => ({ props: { groups: getDocNav().groups } });

export default function Home({ groups }: TProps) {
  const panel = useAssistantPanel();
  return (
    <>
      <Head>
        <title>Paste Assistant docs</title>
        <meta name="description" content="Documentation for Paste Assistant: a docs site whose assistant answers from these pages, with links to the sections it used." />
      </Head>
      <DocsLayout nav={groups} currentHref="/">
        <h1 className="heading heading-10">Paste Assistant</h1>
        <p className="paragraph">
          A docs site whose assistant answers questions from these pages, with links to the sections it used, and
          shares every conversation with the maintainers in Slack.
        </p>
        <div className="button-row home-actions">
          <a className="button button-primary" href="/docs">
            Get started
            <Icon name="ArrowForwardIcon" className="icon-arrow" />
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
