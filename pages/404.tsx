import { useSyncExternalStore } from 'react';
import type { GetStaticProps } from 'next';
import Head from 'next/head';
import { useAssistantPanel } from '@/components/assistant/panel-context';
import { DocsLayout } from '@/components/docs/DocsLayout';
import { renderDocsNavHtml, type TStaticHtml } from '@/components/docs/static-html';
import { Icon } from '@/components/site/Icon';
import { ArrowForwardIcon } from '@/components/site/paste-icons/ArrowForwardIcon';
import { loadConfig } from '@/lib/config';
import { getVersionNav } from '@/lib/docs/site/pages';
import { readSiteName } from '@/lib/docs/site/site-config';
import { toNavLinks } from '@/lib/shared/docs';
import { pageTitle } from '@/lib/shared/site';

type TProps = { siteName: string; nav: TStaticHtml };

// Generated once at build time, like the docs pages, and served for every path the site does not have: the
// reader keeps the header's search, the navigation and the assistant instead of a bare error.
export const getStaticProps: GetStaticProps<TProps> = async () => {
  const { docsDir } = loadConfig();
  return { props: { siteName: readSiteName({ docsDir }), nav: renderDocsNavHtml(toNavLinks(getVersionNav(docsDir, null).groups), '') } };
};

// The page is static, so the address it answers for is known only in the browser: null when prerendering and
// hydrating, then the path (read again on every render, which a client-side navigation causes).
const noSubscription = () => () => {};
const browserPath = () => window.location.pathname;
const noPath = () => null;

export default function NotFound({ siteName, nav }: TProps) {
  const panel = useAssistantPanel();
  const path = useSyncExternalStore(noSubscription, browserPath, noPath);

  return (
    <>
      <Head>
        <title>{pageTitle('Page not found', siteName)}</title>
        <meta name="robots" content="noindex" />
      </Head>
      <DocsLayout siteName={siteName} nav={nav}>
        <h1 className="heading heading-10">Page not found</h1>
        <p className="paragraph">
          {path ? (
            <>
              There is no page at <code className="inline-code">{path}</code>.
            </>
          ) : (
            'There is no page at this address.'
          )}{' '}
          It may have been moved or renamed. Search the docs from the box above, ask the assistant, or start again from
          the docs home.
        </p>
        <div className="button-row">
          <a className="button button-primary" href="/docs">
            Go to the docs
            <Icon icon={ArrowForwardIcon} className="icon-arrow" />
          </a>
          <button type="button" className="button button-secondary" onClick={panel.open}>
            Ask the assistant
          </button>
        </div>
      </DocsLayout>
    </>
  );
}
