import { useRouter } from 'next/router';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { AskAssistantButton } from '@/components/assistant/AskAssistantButton';
import { Icon } from '@/components/site/Icon';
import { CloseIcon } from '@/components/site/paste-icons/CloseIcon';
import { MenuIcon } from '@/components/site/paste-icons/MenuIcon';
import { ThemeToggle } from '@/components/site/ThemeToggle';
import { useCodeCopyButtons } from './code-copy';
import { DocsSearch } from './DocsSearch';
import { ReaderSignIn } from './ReaderSignIn';
import { usePageReadCounter } from './use-page-read';
import type { TNavLinkGroup } from '@/lib/shared/docs';
import { DocsNav } from './DocsNav';
import type { TStaticHtml } from './static-html';
import { StaticHtml } from './StaticHtml';

// Header (site name, search, theme, sign-in when the site has it, the assistant button), the navigation, and the page: plain HTML styled by
// styles/site.css in Paste's look, so that a docs page carries none of Paste's JavaScript. From 64rem the
// navigation is a sidebar; below, it is a drawer behind the header's menu button. On phones the search box
// takes a row of its own. The navigation comes rendered (components/docs/static-html.tsx, by the page's data
// function): the browser is handed it as HTML, not as groups to build it from.

export const MAIN_CONTENT_ID = 'main-content';
const DRAWER_ID = 'docs-nav-drawer';

/**
 * The navigation: rendered on the server (renderDocsNavHtml, a page's data function), or, on a page made the same for
 * everyone (the 404 page), its links as the reader's browser fetched them (null until they come).
 */
export type TLayoutNav = TStaticHtml | { groups: TNavLinkGroup[] | null };

function NavContent({ nav }: { nav: TLayoutNav }) {
  if ('html' in nav) return <StaticHtml content={nav} />;
  return nav.groups ? <DocsNav groups={nav.groups} currentHref="" /> : null;
}

/** The navigation as a drawer from the left (below 64rem): modal, closed by Escape, the backdrop or a link. */
function NavDrawer({ nav, onClose }: { nav: TLayoutNav; onClose(): void }) {
  const drawerRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    drawerRef.current?.querySelector<HTMLElement>('[aria-current="page"]')?.scrollIntoView?.({ block: 'center' });
    drawerRef.current?.querySelector<HTMLElement>('button')?.focus();
  }, []);
  return (
    <>
      <div className="drawer-backdrop" onClick={onClose} />
      <div
        ref={drawerRef}
        id={DRAWER_ID}
        className="drawer"
        role="dialog"
        aria-modal="true"
        aria-label="Documentation"
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            onClose();
            return;
          }
          // Tab stays inside the drawer while it is open.
          if (event.key !== 'Tab' || !drawerRef.current) return;
          const focusable = [...drawerRef.current.querySelectorAll<HTMLElement>('a[href], button')];
          const first = focusable[0];
          const last = focusable[focusable.length - 1];
          if (event.shiftKey && document.activeElement === first) {
            event.preventDefault();
            last?.focus();
          } else if (!event.shiftKey && document.activeElement === last) {
            event.preventDefault();
            first?.focus();
          }
        }}
      >
        <div className="drawer-header">
          <span>Documentation</span>
          <button type="button" className="button button-icon" onClick={onClose}>
            <Icon icon={CloseIcon} title="Close the navigation" />
          </button>
        </div>
        <div className="drawer-content">
          <NavContent nav={nav} />
        </div>
      </div>
    </>
  );
}

/**
 * `siteName` is the served site's own (lib/docs/site/site-config.ts, passed down by each page's data function);
 * `nav`, the navigation rendered with the current page marked (renderDocsNavHtml), or fetched (TLayoutNav); `isDocsPage`, a page of the
 * docs (a docs page, an API reference, a maintainers' answer), whose showing counts as a read of it: the home page
 * and the 404 page are laid out alike but are not.
 */
export function DocsLayout({ siteName, nav, isDocsPage = false, children }: { siteName: string; nav: TLayoutNav; isDocsPage?: boolean; children: ReactNode }) {
  const router = useRouter();
  const mainRef = useRef<HTMLElement>(null);
  // The code blocks of the page's static HTML copy through one listener on <main>.
  useCodeCopyButtons(mainRef);
  const [isDrawerOpen, setIsDrawerOpen] = useState(false);
  // The page's path without its query or anchor: following an anchor on the page is not another read.
  usePageReadCounter(isDocsPage ? (router.asPath.split(/[?#]/)[0] ?? router.asPath) : null);
  const menuRef = useRef<HTMLButtonElement>(null);
  const closeDrawer = () => {
    setIsDrawerOpen(false);
    menuRef.current?.focus();
  };
  // Following a link in the drawer closes it.
  useEffect(() => {
    const onDone = () => setIsDrawerOpen(false);
    router.events?.on('routeChangeComplete', onDone);
    return () => router.events?.off('routeChangeComplete', onDone);
  }, [router]);

  return (
    <div className="site">
      {/* The first stop of Tab: past the header and navigation to the page's content. Off screen until focused. */}
      <a className="skip-link" href={`#${MAIN_CONTENT_ID}`}>
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-menu-slot">
          <button
            ref={menuRef}
            type="button"
            className="button button-icon"
            aria-expanded={isDrawerOpen}
            aria-controls={DRAWER_ID}
            onClick={() => setIsDrawerOpen(true)}
          >
            <Icon icon={MenuIcon} title="Open the navigation" />
          </button>
        </div>
        <a className="anchor site-name" href="/docs">
          <span className="site-name-text">{siteName}</span>
        </a>
        <div className="site-search-slot">
          <DocsSearch />
        </div>
        <div className="site-actions">
          <ThemeToggle />
          <ReaderSignIn />
          <AskAssistantButton />
        </div>
      </header>
      {isDrawerOpen ? <NavDrawer nav={nav} onClose={closeDrawer} /> : null}
      <div className="site-body">
        <aside className="site-sidebar">
          <NavContent nav={nav} />
        </aside>
        <main ref={mainRef} id={MAIN_CONTENT_ID} className="site-main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
