import { useEffect, useState, useSyncExternalStore } from 'react';
import type { GetStaticProps } from 'next';
import Head from 'next/head';
import { useAssistantPanel } from '@/components/assistant/panel-context';
import { DocsLayout } from '@/components/docs/DocsLayout';
import { Icon } from '@/components/site/Icon';
import { ArrowForwardIcon } from '@/components/site/paste-icons/ArrowForwardIcon';
import { loadConfig } from '@/lib/config';
import { readSiteName } from '@/lib/docs/site/site-config';
import { DOCS_NAV_PATH, type TNavLinkGroup } from '@/lib/shared/docs';
import { pageTitle } from '@/lib/shared/site';

type TProps = { siteName: string };

// Generated once at build time and served for every path the site does not have (and for a page the reader may not
// read): the reader keeps the header's search, the navigation and the assistant instead of a bare error. What the build
// makes is the same for every reader and outlives the audience rules it was made under, so it names no docs page: the
// navigation is the reader's own, asked for once the page has loaded (GET /api/docs-nav, with the reader's session).
export const getStaticProps: GetStaticProps<TProps> = async () => ({ props: { siteName: readSiteName({ docsDir: loadConfig().docsDir }) } });

/** The navigation as this browser's reader may read it; null until it comes (or when it cannot be had). */
function useReaderNav(): TNavLinkGroup[] | null {
  const [groups, setGroups] = useState<TNavLinkGroup[] | null>(null);
  useEffect(() => {
    let isCurrent = true;
    fetch(DOCS_NAV_PATH, { headers: { Accept: 'application/json' } })
      .then((response) => (response.ok ? (response.json() as Promise<{ groups: TNavLinkGroup[] }>) : null))
      .then((body) => {
        if (isCurrent && body) setGroups(body.groups);
      })
      .catch(() => {});
    return () => {
      isCurrent = false;
    };
  }, []);
  return groups;
}

// The page is static, so the address it answers for is known only in the browser: null when prerendering and
// hydrating, then the path (read again on every render, which a client-side navigation causes).
const noSubscription = () => () => {};
const browserPath = () => window.location.pathname;
const noPath = () => null;

export default function NotFound({ siteName }: TProps) {
  const panel = useAssistantPanel();
  const path = useSyncExternalStore(noSubscription, browserPath, noPath);
  const groups = useReaderNav();

  return (
    <>
      <Head>
        <title>{pageTitle('Page not found', siteName)}</title>
        <meta name="robots" content="noindex" />
      </Head>
      <DocsLayout siteName={siteName} nav={{ groups }}>
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
