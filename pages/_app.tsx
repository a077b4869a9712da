import type { AppProps } from 'next/app';
import { AssistantHost } from '@/components/assistant/AssistantHost';
import { AssistantPanelProvider } from '@/components/assistant/panel-context';
import { SiteTheme } from '@/components/site/SiteTheme';

// Every page sits in the assistant's host, mounted once here, so the panel's thread survives navigation
// between pages. Nothing of the chat is in this bundle: the host loads the panel on its first opening.
export default function App({ Component, pageProps }: AppProps) {
  return (
    <SiteTheme>
      <AssistantPanelProvider>
        <AssistantHost>
          <Component {...pageProps} />
        </AssistantHost>
      </AssistantPanelProvider>
    </SiteTheme>
  );
}
