import { useEffect, type ReactNode } from 'react';
import { AssistantHost } from '@/components/assistant/AssistantHost';
import { AssistantPanelProvider } from '@/components/assistant/panel-context';

// Every page sits in the assistant's host, mounted once, so the panel's thread survives navigation between
// pages. Nothing of the chat is in this bundle, nor any of Paste's JavaScript: the docs shell is plain HTML styled
// by Paste's design tokens as CSS (styles/), and the host loads the panel, with Paste's theme
// (components/site/SiteTheme.tsx), on its first opening. Pages built with Paste's components wrap themselves in
// that theme (/assistant, the maintainers' pages). Used by pages/_app.tsx, and by the docs pages' own client
// (components/docs/client/entry.ts), which must render the same tree to take over the server's HTML.
export function AppShell({ children }: { children: ReactNode }) {
  // A parent's effects run after its children's: once this one has, the tree is hydrated and listening (Ctrl+I
  // included). Browser tests wait for this mark before they type; the mark of React's root alone is set before
  // any effect has run, so a key pressed then went nowhere under load.
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  return (
    <AssistantPanelProvider>
      <AssistantHost>{children}</AssistantHost>
    </AssistantPanelProvider>
  );
}
