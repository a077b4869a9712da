import { lazy, Suspense, useState } from 'react';
import { Icon } from '@/components/site/Icon';
import { ChevronDownIcon } from '@/components/site/paste-icons/ChevronDownIcon';
import { LoadFailureBoundary } from '@/components/site/LoadFailureBoundary';

// The "Page actions" menu (PageActions) is Paste's menu (Reakit, and Paste's styling runtime with it), for a
// button most readers never press. The page ships this stand-in instead: the same button in plain HTML, which
// loads the menu when pointed at or focused and opens it when pressed (the real menu then takes its place, open).

const loadPageActions = () =>
  Promise.all([import('./PageActions'), import('@/components/site/SiteTheme')]).then(([{ PageActions }, { SiteTheme }]) => ({ PageActions, SiteTheme }));
const preload = () => void loadPageActions().catch(() => {});

function PageActionsButton({ onOpen }: { onOpen?(): void }) {
  return (
    <div className="page-actions">
      <button
        type="button"
        className="button button-secondary button-small"
        aria-haspopup="menu"
        aria-expanded={false}
        onPointerEnter={preload}
        onFocus={preload}
        onClick={onOpen}
      >
        Page actions <Icon icon={ChevronDownIcon} />
      </button>
    </div>
  );
}

// Rendered only in the browser, once wanted: React.lazy is enough (next/dynamic's loader would be in every page).
const PageActions = lazy(() =>
  loadPageActions().then(({ PageActions: Menu, SiteTheme }) => {
    function ThemedPageActions(props: { href: string; title: string; isOpenOnMount: boolean }) {
      return (
        <SiteTheme>
          <Menu {...props} />
        </SiteTheme>
      );
    }
    return { default: ThemedPageActions };
  }),
);

export function LazyPageActions({ href, title }: { href: string; title: string }) {
  const [isWanted, setIsWanted] = useState(false);
  if (!isWanted) return <PageActionsButton onOpen={() => setIsWanted(true)} />;
  return (
    <LoadFailureBoundary fallback={<PageActionsButton />}>
      <Suspense fallback={<PageActionsButton />}>
        <PageActions href={href} title={title} isOpenOnMount />
      </Suspense>
    </LoadFailureBoundary>
  );
}
