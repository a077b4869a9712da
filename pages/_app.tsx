import type { AppProps } from 'next/app';
import { Theme } from '@twilio-paste/core/theme';
import { AssistantPanelProvider } from '@/components/assistant/panel-context';

export default function App({ Component, pageProps }: AppProps) {
  return (
    <Theme.Provider theme="default">
      <AssistantPanelProvider>
        <Component {...pageProps} />
      </AssistantPanelProvider>
    </Theme.Provider>
  );
}
