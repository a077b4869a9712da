import Head from 'next/head';
import { AssistantToasts } from '@/components/assistant/toasts';
import { HandoffLinkPage } from '@/components/handoff/HandoffLinkPage';
import { SiteTheme } from '@/components/site/SiteTheme';

// The page a hand-off's e-mail links to open the reader's conversation (lib/handoff/links.ts): static, the
// link's token in the fragment. Never indexed, and its address kept out of Referer headers.
export default function HandoffOpenPage() {
  return (
    <SiteTheme>
      <AssistantToasts>
        <Head>
          <title>Your conversation</title>
          <meta name="robots" content="noindex, nofollow" />
          <meta name="referrer" content="no-referrer" />
        </Head>
        <HandoffLinkPage action="open" />
      </AssistantToasts>
    </SiteTheme>
  );
}
