import type { GetStaticProps } from 'next';
import Head from 'next/head';
import { useRouter } from 'next/router';
import { useCallback } from 'react';
import { AssistantPage } from '@/components/assistant/AssistantPage';
import { AssistantToasts } from '@/components/assistant/toasts';
import { SiteTheme } from '@/components/site/SiteTheme';
import { loadConfig } from '@/lib/config';
import { readSiteName } from '@/lib/docs/site/site-config';

type TProps = { siteName: string };

// The reader's page of the site it serves: its tab names that site, not this project.
export const getStaticProps: GetStaticProps<TProps> = async () => ({ props: { siteName: readSiteName({ docsDir: loadConfig().docsDir }) } });

export default function Assistant({ siteName }: TProps) {
  const router = useRouter();
  const selectedId = typeof router.query.thread === 'string' && router.query.thread !== '' ? router.query.thread : null;
  // The selected thread lives in the URL, so a reload (or a shared link from the side panel) reopens it.
  const select = useCallback(
    (threadId: string | null) => {
      void router.replace({ pathname: router.pathname, query: threadId ? { thread: threadId } : {} }, undefined, { shallow: true });
    },
    [router],
  );
  return (
    <>
      <Head>
        <title>{`Assistant · ${siteName}`}</title>
        <meta name="description" content="Ask questions about the docs; answers link to the sections they come from." />
      </Head>
      {/* Drawn with Paste's components, under Paste's theme (the docs pages' _app carries none of it). */}
      <SiteTheme>
        <AssistantToasts>
          <AssistantPage selectedId={selectedId} onSelect={select} />
        </AssistantToasts>
      </SiteTheme>
    </>
  );
}
