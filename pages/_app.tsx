import type { AppProps } from 'next/app';
import { AssistantSidePanel } from '@/components/assistant/AssistantSidePanel';
import { AssistantPanelProvider } from '@/components/assistant/panel-context';
import { AssistantToasts } from '@/components/assistant/toasts';
import { SiteTheme } from '@/components/site/SiteTheme';

// The assistant's side panel wraps every page from here, so its thread survives navigation between pages.
export default function App({ Component, pageProps }: AppProps) {
  return (
    <SiteTheme>
      <AssistantToasts>
        <AssistantPanelProvider>
          <AssistantSidePanel>
            <Component {...pageProps} />
          </AssistantSidePanel>
        </AssistantPanelProvider>
      </AssistantToasts>
    </SiteTheme>
  );
}
