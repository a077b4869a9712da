import Head from 'next/head';
import { AssistantToasts } from '@/components/assistant/toasts';
import { HandoffLinkPage } from '@/components/handoff/HandoffLinkPage';
import { SiteTheme } from '@/components/site/SiteTheme';

// The page a hand-off's e-mail links to confirm the reader's address (lib/handoff/links.ts): static, the
// link's token in the fragment. Never indexed, and its address kept out of Referer headers.
export default function HandoffConfirmPage() {
  return (
    <SiteTheme>
      <AssistantToasts>
        <Head>
          <title>Confirm your address</title>
          <meta name="robots" content="noindex, nofollow" />
          <meta name="referrer" content="no-referrer" />
        </Head>
        <HandoffLinkPage action="confirm" />
      </AssistantToasts>
    </SiteTheme>
  );
}
