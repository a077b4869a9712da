import { useRouter } from 'next/router';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Anchor } from '@twilio-paste/core/anchor';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Text } from '@twilio-paste/core/text';
import { CloseIcon } from '@twilio-paste/icons/cjs/CloseIcon';
import { MenuIcon } from '@twilio-paste/icons/cjs/MenuIcon';
import { AskAssistantButton } from '@/components/assistant/AskAssistantButton';
import { ThemeToggle } from '@/components/site/ThemeToggle';
import type { TNavGroup } from '@/lib/shared/docs';
import { DocsNav } from './DocsNav';
import { DocsSearch } from './DocsSearch';

// Header (site name, search, theme, the assistant button), the navigation, and the page. Responsive arrays follow
// Paste's breakpoints: [phones < 25rem, ≥ 25rem, ≥ 64rem, ≥ 77rem]. From 64rem the navigation is a sidebar;
// below, it is a drawer behind the header's menu button. On phones the search box takes a row of its own.

export const MAIN_CONTENT_ID = 'main-content';
const DRAWER_ID = 'docs-nav-drawer';

/** The first stop of Tab: past the header and navigation to the page's content. */
function SkipLink() {
  const [isFocused, setIsFocused] = useState(false);
  return (
    <Box
      as="a"
      href={`#${MAIN_CONTENT_ID}`}
      position="absolute"
      left="space40"
      top="space40"
      zIndex="zIndex90"
      padding="space30"
      backgroundColor="colorBackgroundBody"
      color="colorTextLink"
      borderRadius="borderRadius20"
      boxShadow="shadowFocus"
      onFocus={() => setIsFocused(true)}
      onBlur={() => setIsFocused(false)}
      // Off screen until focused: still reachable by keyboard and read by screen readers.
      style={isFocused ? undefined : { transform: 'translateY(-300%)' }}
    >
      Skip to content
    </Box>
  );
}

/** The navigation as a drawer from the left (below 64rem): modal, closed by Escape, the backdrop or a link. */
function NavDrawer({ groups, currentHref, onClose }: { groups: TNavGroup[]; currentHref: string; onClose(): void }) {
  const drawerRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    drawerRef.current?.querySelector<HTMLElement>('[aria-current="page"]')?.scrollIntoView?.({ block: 'center' });
    drawerRef.current?.querySelector<HTMLElement>('button')?.focus();
  }, []);
  return (
    <>
      <Box position="fixed" top="0" right="0" bottom="0" left="0" zIndex="zIndex70" backgroundColor="colorBackgroundOverlay" onClick={onClose} />
      <Box
        ref={drawerRef}
        id={DRAWER_ID}
        role="dialog"
        aria-modal="true"
        aria-label="Documentation"
        position="fixed"
        top="0"
        left="0"
        bottom="0"
        width={['85%', 'size40']}
        maxWidth="100%"
        zIndex="zIndex80"
        display="flex"
        flexDirection="column"
        backgroundColor="colorBackgroundBody"
        boxShadow="shadowElevation20"
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
        <Box display="flex" alignItems="center" justifyContent="space-between" paddingX="space60" paddingY="space40" flexShrink={0}>
          <Text as="span" fontWeight="fontWeightBold">
            Documentation
          </Text>
          <Button variant="secondary_icon" size="reset" onClick={onClose}>
            <CloseIcon decorative={false} title="Close the navigation" />
          </Button>
        </Box>
        <Box overflowY="auto" paddingX="space60" paddingBottom="space80" flexGrow={1}>
          <DocsNav groups={groups} currentHref={currentHref} />
        </Box>
      </Box>
    </>
  );
}

export function DocsLayout({ nav, currentHref, children }: { nav: TNavGroup[]; currentHref: string; children: ReactNode }) {
  const router = useRouter();
  const [isDrawerOpen, setIsDrawerOpen] = useState(false);
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
    <Box minHeight="100vh" backgroundColor="colorBackgroundBody">
      <SkipLink />
      <Box
        as="header"
        position="sticky"
        top="0"
        zIndex="zIndex40"
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        columnGap={['space30', 'space50', 'space70']}
        rowGap="space30"
        paddingX={['space40', 'space60', 'space70']}
        paddingY="space40"
        backgroundColor="colorBackgroundBody"
        borderBottomStyle="solid"
        borderBottomWidth="borderWidth10"
        borderBottomColor="colorBorderWeak"
      >
        <Box display={['block', 'block', 'none']}>
          <Button
            ref={menuRef}
            variant="secondary_icon"
            size="reset"
            aria-expanded={isDrawerOpen}
            aria-controls={DRAWER_ID}
            onClick={() => setIsDrawerOpen(true)}
          >
            <MenuIcon decorative={false} title="Open the navigation" />
          </Button>
        </Box>
        <Anchor href="/docs">
          <Text as="span" fontWeight="fontWeightBold" fontSize={['fontSize30', 'fontSize40']} whiteSpace="nowrap">
            Paste Assistant
          </Text>
        </Anchor>
        <Box order={[3, 0]} flexBasis={['100%', 'auto']} flexGrow={1} minWidth="size0" display="flex" justifyContent="center">
          <DocsSearch />
        </Box>
        <Box flexGrow={[1, 0]} justifyContent="flex-end" display="flex" alignItems="center" columnGap={['space30', 'space50']}>
          <ThemeToggle />
          <AskAssistantButton />
        </Box>
      </Box>
      {isDrawerOpen ? <NavDrawer groups={nav} currentHref={currentHref} onClose={closeDrawer} /> : null}
      <Box display="flex" maxWidth="size100" marginX="auto">
        <Box
          as="aside"
          width="size30"
          flexShrink={0}
          paddingX="space70"
          paddingY="space80"
          borderRightStyle="solid"
          borderRightWidth="borderWidth10"
          borderRightColor="colorBorderWeaker"
          display={['none', 'none', 'block']}
          position="sticky"
          top="0"
          alignSelf="flex-start"
          overflowY="auto"
          // Stays in view under the sticky header while the page scrolls.
          style={{ top: '3.6rem', maxHeight: 'calc(100vh - 3.6rem)' }}
        >
          <DocsNav groups={nav} currentHref={currentHref} />
        </Box>
        <Box
          as="main"
          id={MAIN_CONTENT_ID}
          tabIndex={-1}
          flexGrow={1}
          minWidth="0"
          paddingX={['space50', 'space70', 'space100']}
          paddingY={['space60', 'space80']}
          maxWidth="size80"
          _focus={{ outline: 'none' }}
        >
          {children}
        </Box>
      </Box>
    </Box>
  );
}
