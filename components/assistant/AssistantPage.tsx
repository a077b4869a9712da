import { useRouter } from 'next/router';
import { useCallback, useRef, useState } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Text } from '@twilio-paste/core/text';
import { ArrowBackIcon } from '@twilio-paste/icons/esm/ArrowBackIcon';
import { MenuIcon } from '@twilio-paste/icons/esm/MenuIcon';
import { threadTitle } from './api';
import { Composer, type TComposerHandle } from './Composer';
import { ConversationLog, useRefocusComposer } from './Conversation';
import { InSiteAnchor } from './links';
import { ThreadHeader, ThreadList } from './ThreadList';
import { useNow } from './time';
import { useConversation } from './use-conversation';
import { useThreads } from './use-threads';
import { useVotes } from './use-votes';

// /assistant: the thread list beside the conversation. The selected thread is in the URL (?thread=…), so a
// reload comes back to it and resumes its pending run. Below 400 px the list collapses behind a button.

export function AssistantPage() {
  const router = useRouter();
  const selectedId = typeof router.query.thread === 'string' && router.query.thread !== '' ? router.query.thread : null;
  const [isListOpen, setIsListOpen] = useState(false);
  const composerRef = useRef<TComposerHandle>(null);
  const mainRef = useRef<HTMLElement>(null);
  const now = useNow();
  const threads = useThreads();

  const select = useCallback(
    (threadId: string | null) => {
      void router.replace({ pathname: router.pathname, query: threadId ? { thread: threadId } : {} }, undefined, { shallow: true });
    },
    [router],
  );

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
        <Box display={['block', 'none', 'none']}>
          <Button
            variant="secondary_icon"
            size="reset"
            aria-expanded={isListOpen}
            aria-controls="assistant-thread-list"
            onClick={() => setIsListOpen((value) => !value)}
          >
            <MenuIcon decorative={false} title={isListOpen ? 'Hide threads' : 'Show threads'} />
          </Button>
        </Box>
        <Heading as="h1" variant="heading30" marginBottom="space0">
          Assistant
        </Heading>
        <Box marginLeft="auto" display="flex" alignItems="center" columnGap="space20">
          <ArrowBackIcon decorative />
          <Text as="span" fontSize="fontSize30">
            <InSiteAnchor href="/docs">Back to the docs</InSiteAnchor>
          </Text>
        </Box>
      </Box>
      <Box display="flex" flexGrow={1} minHeight="size0">
        <Box
          as="nav"
          id="assistant-thread-list"
          aria-label="Threads"
          display={[isListOpen ? 'block' : 'none', 'block', 'block']}
          width={['100%', 'size40', 'size40']}
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
              setIsListOpen(false);
              composerRef.current?.focus();
            }}
          />
        </Box>
        <Box
          as="main"
          ref={mainRef}
          display={[isListOpen ? 'none' : 'flex', 'flex', 'flex']}
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
                onRename={(title) => threads.rename(selected.id, title)}
                onDelete={async () => {
                  const isDeleted = await threads.remove(selected.id);
                  if (isDeleted) select(null);
                  return isDeleted;
                }}
              />
            ) : (
              <Heading as="h2" variant="heading40" marginBottom="space0">
                {selectedId ? threadTitle(undefined) : 'New conversation'}
              </Heading>
            )}
          </Box>
          <Box flexGrow={1} overflowY="auto" paddingX={['space40', 'space70', 'space70']}>
            <Box maxWidth="size100" marginX="auto">
              <ConversationLog conversation={conversation} votes={votes} size="fullScreen" />
            </Box>
          </Box>
          <Box paddingX={['space40', 'space70', 'space70']} paddingY="space50">
            <Box maxWidth="size100" marginX="auto">
              <Composer composerRef={composerRef} isDisabled={conversation.isBusy} onSend={conversation.send} />
            </Box>
          </Box>
        </Box>
      </Box>
    </Box>
  );
}
