import type { AppProps } from 'next/app';
import { Theme } from '@twilio-paste/core/theme';
import { AssistantSidePanel } from '@/components/assistant/AssistantSidePanel';
import { AssistantPanelProvider } from '@/components/assistant/panel-context';
import { AssistantToasts } from '@/components/assistant/toasts';

// The assistant's side panel wraps every page from here, so its thread survives navigation between pages.
export default function App({ Component, pageProps }: AppProps) {
  return (
    <Theme.Provider theme="default">
      <AssistantToasts>
        <AssistantPanelProvider>
          <AssistantSidePanel>
            <Component {...pageProps} />
          </AssistantSidePanel>
        </AssistantPanelProvider>
      </AssistantToasts>
    </Theme.Provider>
  );
}
