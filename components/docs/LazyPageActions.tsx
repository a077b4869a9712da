import dynamic from 'next/dynamic';
import { useState } from 'react';
import { Icon } from '@/components/site/Icon';

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
        Page actions <Icon name="ChevronDownIcon" />
      </button>
    </div>
  );
}

const PageActions = dynamic(
  () =>
    loadPageActions().then(({ PageActions: Menu, SiteTheme }) => {
      function ThemedPageActions(props: { href: string; title: string; isOpenOnMount: boolean }) {
        return (
          <SiteTheme>
            <Menu {...props} />
          </SiteTheme>
        );
      }
      return ThemedPageActions;
    }),
  { ssr: false, loading: () => <PageActionsButton /> },
);

export function LazyPageActions({ href, title }: { href: string; title: string }) {
  const [isWanted, setIsWanted] = useState(false);
  return isWanted ? <PageActions href={href} title={title} isOpenOnMount /> : <PageActionsButton onOpen={() => setIsWanted(true)} />;
}
