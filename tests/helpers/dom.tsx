import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { SWRConfig } from 'swr';
import { SiteTheme } from '@/components/site/SiteTheme';
import { AssistantToasts } from '@/components/assistant/toasts';

// Rendering assistant components under jsdom the way _app does (Paste theme, toasts, SWR), with a fresh SWR
// cache per render so tests never share server state. jsdom lacks a few browser APIs Paste touches; they are
// filled in here with inert versions. Each test's render is unmounted after it by tests/helpers/dom-setup.ts.

if (typeof window !== 'undefined') {
  window.matchMedia ??= ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  })) as typeof window.matchMedia;
  window.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
}

export function renderWithProviders(ui: ReactElement): RenderResult {
  // One cache per render (kept across rerenders).
  const cache = new Map();
  const Providers = ({ children }: { children: ReactNode }) => (
    <SiteTheme>
      <AssistantToasts>
        <SWRConfig value={{ provider: () => cache, dedupingInterval: 0 }}>{children}</SWRConfig>
      </AssistantToasts>
    </SiteTheme>
  );
  return render(ui, { wrapper: Providers });
}
