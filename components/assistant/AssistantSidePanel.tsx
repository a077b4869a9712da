import { useRouter } from 'next/router';
import { useCallback, useEffect, useRef, useState, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import {
  SidePanel,
  SidePanelBody,
  SidePanelContainer,
  SidePanelFooter,
  SidePanelHeader,
  SidePanelHeaderActions,
  SidePanelPushContentWrapper,
} from '@twilio-paste/core/side-panel';
import { Text } from '@twilio-paste/core/text';
import { ArtificialIntelligenceIcon } from '@twilio-paste/icons/cjs/ArtificialIntelligenceIcon';
import { PlusIcon } from '@twilio-paste/icons/cjs/PlusIcon';
import { Composer, type TComposerHandle } from './Composer';
import { ConversationLog, useRefocusComposer } from './Conversation';
import { InSiteAnchor } from './links';
import { useAssistantPanel } from './panel-context';
import { useConversation } from './use-conversation';
import { useVotes } from './use-votes';

// The assistant beside every page, mounted once in _app: its thread and any message being sent live here,
// above the page, so they survive navigation between docs pages (and, through sessionStorage, a reload of
// the tab). Paste's SidePanel unmounts its contents when closed; reopening finds a pending run again.
// /assistant is the assistant itself, so it gets no panel.

const PANEL_THREAD_KEY = 'paste-assistant:panel-thread';
export const FULL_PAGE_PATH = '/assistant';

function readStoredThread(): string | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage.getItem(PANEL_THREAD_KEY);
  } catch {
    return null;
  }
}

function usePanelThread(): [string | null, (threadId: string | null) => void] {
  // Read once on the client. Nothing the server renders depends on it: the panel starts closed.
  const [threadId, setThreadId] = useState<string | null>(readStoredThread);
  const update = useCallback((next: string | null) => {
    setThreadId(next);
    try {
      if (next) window.sessionStorage.setItem(PANEL_THREAD_KEY, next);
      else window.sessionStorage.removeItem(PANEL_THREAD_KEY);
    } catch {
      // Storage unavailable (private mode): the thread is still kept for this page's lifetime.
    }
  }, []);
  return [threadId, update];
}

export function AssistantSidePanel({ children }: { children: ReactNode }) {
  const router = useRouter();
  const panel = useAssistantPanel();
  const [threadId, setThreadId] = usePanelThread();
  const composerRef = useRef<TComposerHandle>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const returnFocusTo = useRef<HTMLElement | null>(null);
  const isFullPage = router.pathname === FULL_PAGE_PATH;
  const isOpen = panel.isOpen && !isFullPage;

  // Closed, the panel asks the server nothing; opened, it loads its thread and resumes a pending run.
  const conversation = useConversation({
    threadId: isOpen ? threadId : null,
    onThreadCreated: setThreadId,
    onThreadMissing: () => setThreadId(null),
  });
  const votes = useVotes(isOpen ? threadId : null);
  useRefocusComposer(conversation.isBusy, composerRef, panelRef);

  const { open, close } = panel;
  const setIsOpen: Dispatch<SetStateAction<boolean>> = useCallback(
    (value) => {
      const next = typeof value === 'function' ? value(isOpen) : value;
      if (next) open();
      else close();
    },
    [isOpen, open, close],
  );

  // The last element focused outside the panel: where focus goes back when the panel closes.
  useEffect(() => {
    const onFocusIn = (event: FocusEvent) => {
      if (event.target instanceof HTMLElement && !panelRef.current?.contains(event.target)) returnFocusTo.current = event.target;
    };
    document.addEventListener('focusin', onFocusIn);
    return () => document.removeEventListener('focusin', onFocusIn);
  }, []);

  // Opening moves focus to the message box (the composer focuses itself when it mounts); closing gives it back.
  useEffect(() => {
    if (isOpen) return;
    const target = returnFocusTo.current;
    const active = document.activeElement;
    const isFocusInPanel = active !== null && (panelRef.current?.contains(active) ?? false);
    if (target?.isConnected && (active === null || active === document.body || isFocusInPanel)) target.focus();
  }, [isOpen]);

  if (isFullPage) return <>{children}</>;

  const fullPageHref = threadId ? `${FULL_PAGE_PATH}?thread=${encodeURIComponent(threadId)}` : FULL_PAGE_PATH;
  return (
    <SidePanelContainer
      isOpen={isOpen}
      setIsOpen={setIsOpen}
      sidePanelId="assistant-side-panel"
      i18nCloseSidePanelTitle="Close the assistant"
      i18nOpenSidePanelTitle="Open the assistant"
    >
      <SidePanel
        label="Assistant"
        ref={panelRef}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && !event.defaultPrevented) {
            event.preventDefault();
            close();
          }
        }}
      >
        <SidePanelHeader>
          <Box display="flex" alignItems="center" columnGap="space30">
            <ArtificialIntelligenceIcon decorative size="sizeIcon40" color="colorTextIcon" />
            <Heading as="h2" variant="heading30" marginBottom="space0">
              Assistant
            </Heading>
          </Box>
          <SidePanelHeaderActions>
            <Box display="flex" alignItems="center" height="sizeIcon50">
              <Button
                variant="secondary_icon"
                size="reset"
                onClick={() => {
                  setThreadId(null);
                  conversation.dismissMissing();
                  composerRef.current?.focus();
                }}
              >
                <PlusIcon decorative={false} title="New thread" size="sizeIcon40" />
              </Button>
            </Box>
          </SidePanelHeaderActions>
        </SidePanelHeader>
        <SidePanelBody>
          <Box width="100%">
            <ConversationLog conversation={conversation} votes={votes} />
          </Box>
        </SidePanelBody>
        <SidePanelFooter variant="chat">
          <Box display="flex" flexDirection="column" rowGap="space30" width="100%">
            <Composer composerRef={composerRef} isDisabled={conversation.isBusy} onSend={conversation.send} isAutoFocused />
            <Text as="p" fontSize="fontSize20" color="colorTextWeak" textAlign="center">
              <InSiteAnchor href={fullPageHref}>Open all threads</InSiteAnchor> · Ctrl/⌘+I toggles this panel
            </Text>
          </Box>
        </SidePanelFooter>
      </SidePanel>
      <SidePanelPushContentWrapper>{children}</SidePanelPushContentWrapper>
    </SidePanelContainer>
  );
}
