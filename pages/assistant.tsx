import Head from 'next/head';
import { useRouter } from 'next/router';
import { useCallback } from 'react';
import { AssistantPage } from '@/components/assistant/AssistantPage';
import { AssistantToasts } from '@/components/assistant/toasts';
import { SiteTheme } from '@/components/site/SiteTheme';

export default function Assistant() {
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
        <title>Assistant · Paste Assistant</title>
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
