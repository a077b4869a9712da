import type { ReactNode } from 'react';
import { Anchor } from '@twilio-paste/core/anchor';
import { Box } from '@twilio-paste/core/box';
import { Text } from '@twilio-paste/core/text';
import { AskAssistantButton } from '@/components/assistant/AskAssistantButton';
import type { TNavGroup } from '@/lib/shared/docs';
import { DocsNav } from './DocsNav';
import { DocsSearch } from './DocsSearch';

/** Header (site name, search, the assistant button), the navigation sidebar, and the page. */
export function DocsLayout({ nav, currentHref, children }: { nav: TNavGroup[]; currentHref: string; children: ReactNode }) {
  return (
    <Box minHeight="100vh" backgroundColor="colorBackgroundBody">
      <Box
        as="header"
        position="sticky"
        top="0"
        zIndex="zIndex40"
        display="flex"
        alignItems="center"
        columnGap="space70"
        paddingX="space70"
        paddingY="space40"
        backgroundColor="colorBackgroundBody"
        borderBottomStyle="solid"
        borderBottomWidth="borderWidth10"
        borderBottomColor="colorBorderWeak"
      >
        <Anchor href="/docs">
          <Text as="span" fontWeight="fontWeightBold" fontSize="fontSize40">
            Paste Assistant
          </Text>
        </Anchor>
        <Box flexGrow={1} display="flex" justifyContent="center">
          <DocsSearch />
        </Box>
        <AskAssistantButton />
      </Box>
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
          display={['none', 'block']}
          position="sticky"
          top="0"
          alignSelf="flex-start"
          overflowY="auto"
          // Stays in view under the sticky header while the page scrolls.
          style={{ top: '3.6rem', maxHeight: 'calc(100vh - 3.6rem)' }}
        >
          <DocsNav groups={nav} currentHref={currentHref} />
        </Box>
        <Box as="main" flexGrow={1} minWidth="0" paddingX="space100" paddingY="space80" maxWidth="size80">
          {children}
        </Box>
      </Box>
    </Box>
  );
}
