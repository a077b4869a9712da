import { useRouter } from 'next/router';
import { lazy, Suspense, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { loadAssistantPanel, useAssistantPanel } from './panel-context';
import { DOCKED_QUERY, EMBED_PATH, FULL_PAGE_PATH, PANEL_ID, PANEL_WIDTH } from './panel-layout';
import { LoadFailureBoundary } from '@/components/site/LoadFailureBoundary';
import { isMediaQueryMatching, subscribeMediaQuery } from '@/lib/shared/media';

// Every page sits in here (mounted once in _app). The panel's code is not: it is a chunk of its own, loaded
// when the panel first opens (or when a reader points at an "Ask" button), so that a docs page ships none of
// the chat stack. Wide screens (≥ 77rem, Paste's third breakpoint) dock the open panel beside the page, which
// makes room for it; narrower ones lay it over the page (a full-screen sheet on phones), and the page behind
// is inert until it closes. /assistant is the assistant itself, so it gets no panel. The panel is drawn with
// Paste's components, under Paste's theme (SiteTheme), both loaded with it; this host is plain HTML.

// React.lazy rather than next/dynamic: the panel only ever renders in the browser, after an opening, so it needs
// nothing of next/dynamic's server rendering, whose loader (~1.5 KB gzip) every page would carry. A lazy component
// keeps a failed load for good, so trying again after a failure takes a new one (loadAssistantPanel forgets the
// failed request).
function lazyAssistantSidePanel() {
  return lazy(() =>
    loadAssistantPanel().then(({ AssistantSidePanel: Panel, SiteTheme }) => {
      function ThemedSidePanel(props: { isDocked: boolean }) {
        return (
          <SiteTheme>
            <Panel {...props} />
          </SiteTheme>
        );
      }
      return { default: ThemedSidePanel };
    }),
  );
}
const FirstAssistantSidePanel = lazyAssistantSidePanel();

/**
 * Shown when the panel's code could not be loaded (the connection dropped, or a deploy removed the chunk this page
 * knew): the page stays as it was, and the reader can try again.
 */
function PanelLoadFailed({ onRetry, onClose }: { onRetry(): void; onClose(): void }) {
  const isDocked = useIsDocked();
  return (
    <div role="dialog" aria-label="Assistant" aria-modal={isDocked ? undefined : 'true'} className="panel-loading">
      <p role="alert">The assistant could not be loaded. Check your connection, then try again.</p>
      <p className="panel-loading-actions">
        <button type="button" className="button button-secondary button-small" onClick={onRetry}>
          Try again
        </button>
        {/* Laid over the whole page on a phone: without the panel's own code, this is the way back to the page. */}
        <button type="button" className="button button-secondary button-small" onClick={onClose}>
          Close
        </button>
      </p>
    </div>
  );
}

/**
 * Shown for the moment the panel's code is on its way (the first opening on a slow connection). It stands where the
 * panel will, so it is modal where the panel is: laid over the page, not docked beside it.
 */
function PanelLoading() {
  const isDocked = useIsDocked();
  return (
    <div role="dialog" aria-label="Assistant" aria-busy="true" aria-modal={isDocked ? undefined : 'true'} className="panel-loading">
      <p>Loading the assistant…</p>
    </div>
  );
}

function subscribeDocked(onChange: () => void): () => void {
  return subscribeMediaQuery(DOCKED_QUERY, onChange);
}

/** Whether the viewport is wide enough to dock the panel beside the page (false while server rendering). */
export function useIsDocked(): boolean {
  return useSyncExternalStore(
    subscribeDocked,
    () => isMediaQueryMatching(DOCKED_QUERY),
    () => false,
  );
}

export function AssistantHost({ children }: { children: ReactNode }) {
  const router = useRouter();
  const panel = useAssistantPanel();
  const isDocked = useIsDocked();
  // /assistant is the assistant itself; /embed is the assistant inside another site's frame.
  const isFullPage = router.pathname === FULL_PAGE_PATH || router.pathname === EMBED_PATH;
  const isOpen = panel.isOpen && !isFullPage;
  const returnFocusTo = useRef<HTMLElement | null>(null);
  // The panel's component and how many loads have failed: each try again is a new lazy component and boundary.
  const [loader, setLoader] = useState({ Panel: FirstAssistantSidePanel, failures: 0 });
  const retryLoad = () => setLoader(({ failures }) => ({ Panel: lazyAssistantSidePanel(), failures: failures + 1 }));

  // ?ask=<question>: a link that opens the panel and asks. The parameter is taken off the address at once, so
  // a reload or a shared address does not ask again.
  const { ask } = panel;
  const asked = typeof router.query.ask === 'string' ? router.query.ask : null;
  const handledAsk = useRef<string | null>(null);
  useEffect(() => {
    if (!router.isReady || isFullPage || asked === null || handledAsk.current === asked) return;
    handledAsk.current = asked;
    const rest = { ...router.query };
    delete rest.ask;
    void router.replace({ pathname: router.pathname, query: rest, hash: window.location.hash.slice(1) || undefined }, undefined, { shallow: true, scroll: false });
    ask(asked.slice(0, 2000));
  }, [router, asked, isFullPage, ask]);

  // The last element focused outside the panel: where focus goes back when the panel closes.
  useEffect(() => {
    const onFocusIn = (event: FocusEvent) => {
      const target = event.target;
      if (target instanceof HTMLElement && !document.getElementById(PANEL_ID)?.contains(target)) returnFocusTo.current = target;
    };
    document.addEventListener('focusin', onFocusIn);
    return () => document.removeEventListener('focusin', onFocusIn);
  }, []);
  useEffect(() => {
    if (isOpen) return;
    const target = returnFocusTo.current;
    const active = document.activeElement;
    if (target?.isConnected && (active === null || active === document.body)) target.focus();
  }, [isOpen]);

  if (isFullPage) return <>{children}</>;
  const isOverlay = isOpen && !isDocked;
  return (
    <>
      <div inert={isOverlay} style={{ marginRight: isOpen && isDocked ? PANEL_WIDTH : undefined }}>
        {children}
      </div>
      {panel.hasOpened ? (
        <LoadFailureBoundary key={loader.failures} fallback={isOpen ? <PanelLoadFailed onRetry={retryLoad} onClose={panel.close} /> : null}>
          <Suspense fallback={<PanelLoading />}>
            <loader.Panel isDocked={isDocked} />
          </Suspense>
        </LoadFailureBoundary>
      ) : null}
    </>
  );
}
