import type { AppProps } from 'next/app';
import { AssistantHost } from '@/components/assistant/AssistantHost';
import { AssistantPanelProvider } from '@/components/assistant/panel-context';
import '@/styles/paste-tokens.css';
import '@/styles/site.css';

// Every page sits in the assistant's host, mounted once here, so the panel's thread survives navigation
// between pages. Nothing of the chat is in this bundle, nor any of Paste's JavaScript: the docs shell is plain
// HTML styled by Paste's design tokens as CSS (styles/), and the host loads the panel, with Paste's theme
// (components/site/SiteTheme.tsx), on its first opening. Pages built with Paste's components wrap themselves in
// that theme (/assistant, the maintainers' pages).
export default function App({ Component, pageProps }: AppProps) {
  return (
    <AssistantPanelProvider>
      <AssistantHost>
        <Component {...pageProps} />
      </AssistantHost>
    </AssistantPanelProvider>
  );
}
