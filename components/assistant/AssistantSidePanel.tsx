import type { TRunMode } from '@/lib/shared/runs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useReducedMotion, Globals } from '@twilio-paste/core/animation-library';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Text } from '@twilio-paste/core/text';
import { ArtificialIntelligenceIcon } from '@twilio-paste/icons/cjs/ArtificialIntelligenceIcon';
import { CloseIcon } from '@twilio-paste/icons/cjs/CloseIcon';
import { PlusIcon } from '@twilio-paste/icons/cjs/PlusIcon';
import { useAssistantName } from './EmptyState';
import type { TStoredImage } from '@/lib/shared/images';
import { Composer, type TComposerHandle } from './Composer';
import { ConversationLog, useRefocusComposer } from './Conversation';
import { FULL_PAGE_PATH, PANEL_ID, PANEL_WIDTH } from './panel-layout';
import { InSiteAnchor } from './links';
import { useAssistantPanel } from './panel-context';
import { QuoteAttachment } from './QuoteAttachment';
import { AssistantToasts } from './toasts';
import { useConversation } from './use-conversation';
import { useVotes } from './use-votes';
import { useUiText } from './ui-text';

// The assistant beside every page: loaded on the first opening (AssistantHost), then mounted for the page's
// lifetime, so its thread and any message being sent survive navigation between docs pages (and, through
// sessionStorage, a reload of the tab). Closed, it renders nothing and asks the server nothing; reopening
// finds a pending run again. Its height is the viewport's: header on top, the conversation scrolling in
// between, the composer always on screen at the bottom.

const PANEL_THREAD_KEY = 'paste-assistant:panel-thread';

function readStoredThread(): string | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage.getItem(PANEL_THREAD_KEY);
  } catch {
    return null;
  }
}

function usePanelThread(): [string | null, (threadId: string | null) => void] {
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

/** Paste's animations (toasts, loading dots) follow the reader's reduced-motion setting. */
function useReducedMotionGlobals() {
  const prefersReducedMotion = useReducedMotion();
  useEffect(() => {
    Globals.assign({ skipAnimation: prefersReducedMotion });
  }, [prefersReducedMotion]);
}

export function AssistantSidePanel({ isDocked }: { isDocked: boolean }) {
  useReducedMotionGlobals();
  return (
    <AssistantToasts>
      <PanelContents isDocked={isDocked} />
    </AssistantToasts>
  );
}

function PanelContents({ isDocked }: { isDocked: boolean }) {
  const panel = useAssistantPanel();
  const [threadId, setThreadId] = usePanelThread();
  const composerRef = useRef<TComposerHandle>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const { isOpen, close, pendingAsk, clearAsk, pageContext, setPageContext, quote, setQuote } = panel;
  const t = useUiText();

  const conversation = useConversation({
    threadId: isOpen ? threadId : null,
    onThreadCreated: setThreadId,
    onThreadMissing: () => setThreadId(null),
  });
  const votes = useVotes(isOpen ? threadId : null);
  useRefocusComposer(conversation.isBusy, composerRef, panelRef);

  // A question asked from elsewhere (search, ?ask=, a selection): sent once the conversation is ready for it.
  const { isLoading, isBusy, send } = conversation;
  useEffect(() => {
    if (!isOpen || !pendingAsk || isLoading || isBusy) return;
    clearAsk(pendingAsk.id);
    void send(pendingAsk.question, pendingAsk.context ? { page: pendingAsk.context.href } : null);
  }, [isOpen, pendingAsk, isLoading, isBusy, send, clearAsk]);
  // A quote goes with the next question only, with the page it is on; the page attached ("Ask about this page") stays.
  const sendWithContext = useCallback(
    async (text: string, { mode, images }: { mode: TRunMode; images?: TStoredImage[] }) => {
      const page = quote?.href ?? pageContext?.href;
      const isSent = await send(text, page || quote ? { ...(page ? { page } : {}), ...(quote ? { quote: quote.text, title: quote.title } : {}) } : null, mode, images);
      if (isSent && quote) setQuote(null);
      return isSent;
    },
    [send, pageContext, quote, setQuote],
  );
  // A passage attached while the panel is open: the reader types the question next.
  useEffect(() => {
    if (isOpen && quote) composerRef.current?.focus();
  }, [isOpen, quote]);

  if (!isOpen) return null;
  const fullPageHref = threadId ? `${FULL_PAGE_PATH}?thread=${encodeURIComponent(threadId)}` : FULL_PAGE_PATH;
  return (
    <>
      {isDocked ? null : (
        // The page behind an overlaid panel is inert; a click on it closes the panel.
        <Box position="fixed" top="0" right="0" bottom="0" left="0" zIndex="zIndex70" backgroundColor="colorBackgroundOverlay" onClick={close} data-testid="assistant-backdrop" />
      )}
      <Box
        ref={panelRef}
        id={PANEL_ID}
        role="dialog"
        aria-label={t('panel.name')}
        aria-modal={isDocked ? undefined : 'true'}
        position="fixed"
        top="0"
        right="0"
        bottom="0"
        width={['100%', PANEL_WIDTH]}
        zIndex="zIndex80"
        display="flex"
        flexDirection="column"
        backgroundColor="colorBackgroundBody"
        borderLeftStyle="solid"
        borderLeftWidth="borderWidth10"
        borderLeftColor="colorBorderWeak"
        boxShadow={isDocked ? undefined : 'shadowElevation20'}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && !event.defaultPrevented) {
            event.preventDefault();
            close();
          }
        }}
      >
        <Box
          display="flex"
          alignItems="center"
          columnGap="space30"
          paddingX="space60"
          paddingY="space40"
          borderBottomStyle="solid"
          borderBottomWidth="borderWidth10"
          borderBottomColor="colorBorderWeaker"
          flexShrink={0}
        >
          <ArtificialIntelligenceIcon decorative size="sizeIcon40" color="colorTextIcon" />
          <Heading as="h2" variant="heading30" marginBottom="space0">
            <AssistantName />
          </Heading>
          <Box marginLeft="auto" display="flex" alignItems="center" columnGap="space40">
            <Button
              variant="secondary_icon"
              size="reset"
              onClick={() => {
                setThreadId(null);
                conversation.dismissMissing();
                composerRef.current?.focus();
              }}
            >
              <PlusIcon decorative={false} title={t('panel.newThread')} size="sizeIcon40" />
            </Button>
            <Button variant="secondary_icon" size="reset" onClick={close} aria-controls={PANEL_ID} aria-expanded="true">
              <CloseIcon decorative={false} title={t('panel.close')} size="sizeIcon40" />
            </Button>
          </Box>
        </Box>
        <Box flexGrow={1} minHeight="size0" overflowY="auto" paddingX="space60" data-testid="assistant-panel-body">
          <ConversationLog conversation={conversation} votes={votes} />
        </Box>
        <Box flexShrink={0} paddingX="space60" paddingY="space40" borderTopStyle="solid" borderTopWidth="borderWidth10" borderTopColor="colorBorderWeaker">
          <Box display="flex" flexDirection="column" rowGap="space30" width="100%">
            {pageContext ? (
              <Box display="flex" alignItems="center" columnGap="space20" fontSize="fontSize20" color="colorTextWeak" data-testid="page-context">
                <Text as="span" fontSize="fontSize20" color="colorTextWeak">
                  {t('panel.askingAboutPage')} <Text as="span" fontSize="fontSize20" fontWeight="fontWeightSemibold">{pageContext.title}</Text>
                </Text>
                <Button
                  variant="secondary_icon"
                  size="reset"
                  onClick={() => {
                    setPageContext(null);
                    composerRef.current?.focus();
                  }}
                >
                  <CloseIcon decorative={false} title={t('panel.stopAskingAbout', { title: pageContext.title })} size="sizeIcon10" />
                </Button>
              </Box>
            ) : null}
            {quote ? (
              <QuoteAttachment
                text={quote.text}
                title={quote.title}
                onRemove={() => {
                  setQuote(null);
                  composerRef.current?.focus();
                }}
              />
            ) : null}
            <Composer
              composerRef={composerRef}
              isDisabled={conversation.isBusy}
              onSend={sendWithContext}
              isAutoFocused
              placeholder={quote ? t('composer.quotePlaceholder') : undefined}
              emptyMessage={quote ? t('composer.explainQuote') : undefined}
            />
            <Text as="p" fontSize="fontSize20" color="colorTextWeak" textAlign="center">
              {/* Not prefetched when it comes into view (next/link's default): that fetched /assistant's code, ~16 KB
                  gzip, for every reader who opens the panel. Pointing at the link still prefetches it. */}
              <InSiteAnchor href={fullPageHref} prefetch={false}>
                {t('panel.openAllThreads')}
              </InSiteAnchor>{' '}
              · {t('panel.toggleHint')}
            </Text>
          </Box>
        </Box>
      </Box>
    </>
  );
}

/** The panel's name as the site configures it; "Assistant" (in the reader's language) until it is known, or when it names none. */
function AssistantName() {
  const t = useUiText();
  return <>{useAssistantName(t('panel.name'))}</>;
}
