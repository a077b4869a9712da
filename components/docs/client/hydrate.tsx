import { startTransition, useEffect } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { DocPage, type TDocPageProps } from '@/components/docs/DocPage';
import { AppShell } from '@/components/site/AppShell';
import { DOCS_CLIENT_DATA_ID, type TDocsClientData } from '@/lib/shared/docs-client';
import { createDocsRouter, setDocsRouterStore, useDocsPageState, type TDocsRouterStore } from './router';

// What a docs page's script (./entry.ts) loads once React is ready: it takes over the server's HTML with the same tree
// pages/_app.tsx renders (AppShell around DocPage), from the data the page carries, and routes among docs pages
// itself (./router.ts). Built by scripts/build-docs-client.mjs, which points next/router, next/link and
// next/head at ./router.ts, ./Link.tsx and ./Head.tsx; nothing else of Next is in the browser on a docs page.

function DocsRoot({ store }: { store: TDocsRouterStore }) {
  const state = useDocsPageState();
  // After hydration, the router reads the address's query (the server rendered without it).
  useEffect(() => store.start(), [store]);
  // After each state the router rendered: scrolling, its events, the announcement. An effect of the root runs
  // after those of the page (next/head's title among them).
  useEffect(() => store.rendered(), [store, state]);
  return (
    <AppShell>
      <DocPage {...(state.pageProps as TDocPageProps)} />
    </AppShell>
  );
}

function hydrate() {
  const dataElement = document.getElementById(DOCS_CLIENT_DATA_ID);
  const root = document.getElementById('__next');
  if (!dataElement || !root) return;
  const data = JSON.parse(dataElement.textContent ?? '{}') as TDocsClientData;
  const store = createDocsRouter(data);
  setDocsRouterStore(store);
  // As a transition, hydration works in slices and yields to the reader's input between them, instead of one long
  // task (a reader's click on a part not yet hydrated is replayed once it is).
  startTransition(() => void hydrateRoot(root, <DocsRoot store={store} />));
}

hydrate();
