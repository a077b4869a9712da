import { useRef, useState, useSyncExternalStore } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Text } from '@twilio-paste/core/text';
import { ArrowBackIcon } from '@twilio-paste/icons/cjs/ArrowBackIcon';
import { MenuIcon } from '@twilio-paste/icons/cjs/MenuIcon';
import { threadTitle } from './api';
import { Composer, type TComposerHandle } from './Composer';
import { ConversationLog, useRefocusComposer } from './Conversation';
import { InSiteAnchor } from './links';
import { ThreadHeader, ThreadList } from './ThreadList';
import { useNow } from './time';
import { useUiText } from './ui-text';
import { useConversation } from './use-conversation';
import { useThreads } from './use-threads';
import { useVotes } from './use-votes';
import { isMediaQueryMatching, subscribeMediaQuery } from '@/lib/shared/media';

// /assistant: the thread list beside the conversation. The page keeps the selected thread in the URL
// (?thread=…), so a reload comes back to it and resumes its pending run. On narrow screens (Paste's first
// breakpoint, as its SidePanel decides) the list collapses behind a button.

// Below Paste's first breakpoint (size40, 25rem = 400px), which its useWindowSize calls index 0. A media query
// rather than that hook: @twilio-paste/utils is ~6 KB gzip of /assistant's first load for this one test.
const COMPACT_QUERY = '(max-width: 399.98px)';
const subscribeCompact = (onChange: () => void) => subscribeMediaQuery(COMPACT_QUERY, onChange);

/** Whether the window is narrower than Paste's first breakpoint (false while server rendering). */
function useIsCompact(): boolean {
  return useSyncExternalStore(subscribeCompact, () => isMediaQueryMatching(COMPACT_QUERY), () => false);
}

export function AssistantPage({ selectedId, onSelect: select }: { selectedId: string | null; onSelect(threadId: string | null): void }) {
  const [isListOpen, setIsListOpen] = useState(false);
  const t = useUiText();
  const isCompact = useIsCompact();
  const isListShown = !isCompact || isListOpen;
  const isMainShown = !isCompact || !isListOpen;
  const composerRef = useRef<TComposerHandle>(null);
  const mainRef = useRef<HTMLElement>(null);
  const now = useNow();
  const threads = useThreads();

  const conversation = useConversation({ threadId: selectedId, onThreadCreated: select, onThreadMissing: () => select(null) });
  const votes = useVotes(selectedId);
  useRefocusComposer(conversation.isBusy, composerRef, mainRef);
  const selected = threads.threads.find((thread) => thread.id === selectedId);

  return (
    <Box display="flex" flexDirection="column" height="100vh" backgroundColor="colorBackgroundBody">
      <Box
        as="header"
        display="flex"
        alignItems="center"
        columnGap="space40"
        paddingX="space60"
        paddingY="space40"
        borderBottomWidth="borderWidth10"
        borderBottomStyle="solid"
        borderBottomColor="colorBorderWeak"
      >
        {isCompact ? (
          <Button
            variant="secondary_icon"
            size="reset"
            aria-expanded={isListOpen}
            aria-controls="assistant-thread-list"
            onClick={() => setIsListOpen((value) => !value)}
          >
            <MenuIcon decorative={false} title={t(isListOpen ? 'embed.hideThreads' : 'embed.showThreads')} />
          </Button>
        ) : null}
        <Heading as="h1" variant="heading30" marginBottom="space0">
          {t('panel.name')}
        </Heading>
        <Box marginLeft="auto" display="flex" alignItems="center" columnGap="space20">
          <ArrowBackIcon decorative />
          <Text as="span" fontSize="fontSize30">
            <InSiteAnchor href="/docs">{t('page.backToDocs')}</InSiteAnchor>
          </Text>
        </Box>
      </Box>
      <Box display="flex" flexGrow={1} minHeight="size0">
        <Box
          as="nav"
          id="assistant-thread-list"
          aria-label={t('threads.heading')}
          display={isListShown ? 'block' : 'none'}
          width={isCompact ? '100%' : 'size40'}
          flexShrink={0}
          overflowY="auto"
          padding="space50"
          borderRightWidth="borderWidth10"
          borderRightStyle="solid"
          borderRightColor="colorBorderWeak"
          backgroundColor="colorBackgroundWeaker"
        >
          <ThreadList
            threads={threads.threads}
            selectedId={selectedId}
            isLoading={threads.isLoading}
            now={now}
            onSelect={(threadId) => {
              select(threadId);
              setIsListOpen(false);
            }}
            onNew={() => {
              select(null);
              conversation.dismissMissing();
              setIsListOpen(false);
              composerRef.current?.focus();
            }}
            onDeleteAll={async () => {
              const isDeleted = await threads.removeAll();
              if (isDeleted) {
                select(null);
                conversation.dismissMissing();
                setIsListOpen(false);
                composerRef.current?.focus();
              }
              return isDeleted;
            }}
          />
        </Box>
        <Box
          as="main"
          ref={mainRef}
          display={isMainShown ? 'flex' : 'none'}
          flexDirection="column"
          flexGrow={1}
          minWidth="size0"
        >
          <Box
            display="flex"
            alignItems="center"
            minHeight="size10"
            paddingX="space60"
            paddingY="space30"
            borderBottomWidth="borderWidth10"
            borderBottomStyle="solid"
            borderBottomColor="colorBorderWeaker"
          >
            {selected ? (
              <ThreadHeader
                key={selected.id}
                thread={selected}
                isCompact={isCompact}
                onRename={(title) => threads.rename(selected.id, title)}
                onDelete={async () => {
                  const isDeleted = await threads.remove(selected.id);
                  if (isDeleted) {
                    select(null);
                    // The thread's header (and the button that deleted it) is gone: focus goes to the message box
                    // of the new conversation that takes its place, not to the page's body.
                    composerRef.current?.focus();
                  }
                  return isDeleted;
                }}
              />
            ) : (
              <Heading as="h2" variant="heading40" marginBottom="space0">
                {selectedId ? threadTitle(undefined) : t('page.newConversation')}
              </Heading>
            )}
          </Box>
          <Box flexGrow={1} overflowY="auto" paddingX={isCompact ? 'space40' : 'space70'}>
            <Box maxWidth="size100" marginX="auto">
              <ConversationLog conversation={conversation} votes={votes} size="fullScreen" />
            </Box>
          </Box>
          <Box paddingX={isCompact ? 'space40' : 'space70'} paddingY="space50">
            <Box maxWidth="size100" marginX="auto">
              <Composer composerRef={composerRef} isDisabled={conversation.isBusy} onSend={(text, { mode, images }) => conversation.send(text, null, mode, images)} />
            </Box>
          </Box>
        </Box>
      </Box>
    </Box>
  );
}
