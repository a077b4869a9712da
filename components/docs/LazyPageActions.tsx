import dynamic from 'next/dynamic';
import { useState } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { ChevronDownIcon } from '@twilio-paste/icons/cjs/ChevronDownIcon';

// The "Page actions" menu (PageActions) brings Paste's menu (Reakit) with it, a sixth of a docs page's JS, for
// a button most readers never press. The page ships this stand-in instead: the same button, which loads the
// menu when pointed at or focused and opens it when pressed (the real menu then takes its place, open).

const loadPageActions = () => import('./PageActions');
const preload = () => void loadPageActions().catch(() => {});

function PageActionsButton({ onOpen }: { onOpen?(): void }) {
  return (
    <Box display="flex" alignItems="center" justifyContent="flex-end" marginBottom="space30">
      <Button variant="secondary" size="small" aria-haspopup="menu" aria-expanded={false} onPointerEnter={preload} onFocus={preload} onClick={onOpen}>
        Page actions <ChevronDownIcon decorative />
      </Button>
    </Box>
  );
}

const PageActions = dynamic(() => loadPageActions().then((module) => module.PageActions), {
  ssr: false,
  loading: () => <PageActionsButton />,
});

export function LazyPageActions({ href, title }: { href: string; title: string }) {
  const [isWanted, setIsWanted] = useState(false);
  return isWanted ? <PageActions href={href} title={title} isOpenOnMount /> : <PageActionsButton onOpen={() => setIsWanted(true)} />;
}
