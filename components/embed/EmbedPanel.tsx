import type { TRunMode } from '@/lib/shared/runs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Text } from '@twilio-paste/core/text';
import { ArtificialIntelligenceIcon } from '@twilio-paste/icons/cjs/ArtificialIntelligenceIcon';
import { CloseIcon } from '@twilio-paste/icons/cjs/CloseIcon';
import { MenuIcon } from '@twilio-paste/icons/cjs/MenuIcon';
import { PlusIcon } from '@twilio-paste/icons/cjs/PlusIcon';
import type { TStoredImage } from '@/lib/shared/images';
import { Composer, type TComposerHandle } from '@/components/assistant/Composer';
import { QuoteAttachment } from '@/components/assistant/QuoteAttachment';
import { ConversationLog, useRefocusComposer } from '@/components/assistant/Conversation';
import { useAssistantName } from '@/components/assistant/EmptyState';
import { ThreadList } from '@/components/assistant/ThreadList';
import { useNow } from '@/components/assistant/time';
import { useConversation } from '@/components/assistant/use-conversation';
import { useThreads } from '@/components/assistant/use-threads';
import { useVotes } from '@/components/assistant/use-votes';
import { useUiText } from '@/components/assistant/ui-text';
import type { TEmbedReaderStatus } from '@/lib/shared/embed-protocol';

// The assistant inside the /embed frame: the side panel's conversation with the /assistant page's thread list
// behind a button (the frame is at most a side panel wide). The thread shown is kept in the frame's storage,
// partitioned by the host site, so a reload of the host page comes back to it.

const THREAD_KEY = 'paste-assistant:embed-thread';

function readStored(): { threadId: string | null; hasStorage: boolean } {
  try {
    return { threadId: window.localStorage.getItem(THREAD_KEY), hasStorage: true };
  } catch {
    return { threadId: null, hasStorage: false };
  }
}

/**
 * The thread shown, and whether it is remembered. Without storage (a browser that gives the frame none), a
 * reopened panel shows the reader's newest thread until they choose another or start a new one.
 */
function useStoredThread(newestId: string | null): [string | null, (threadId: string | null) => void] {
  const [stored] = useState(readStored);
  const [threadId, setThreadId] = useState<string | null>(stored.threadId);
  const [hasChosen, setHasChosen] = useState(false);
  const update = useCallback((next: string | null) => {
    setThreadId(next);
    setHasChosen(true);
    try {
      if (next) window.localStorage.setItem(THREAD_KEY, next);
      else window.localStorage.removeItem(THREAD_KEY);
    } catch {
      // Storage unavailable: the thread is kept for the frame's lifetime.
    }
  }, []);
  return [threadId ?? (stored.hasStorage || hasChosen ? null : newestId), update];
}

export type TEmbedAsk = { id: number; question: string };
/** A passage the reader selected on the host page ("Ask about this"), with the page's address and title. */
export type TEmbedQuote = { id: number; text: string; url?: string; title?: string };
/** What the panel knows of the reader the host named: nothing asked yet, being signed in, or how it went. */
export type TEmbedReader = { kind: 'none' } | { kind: 'signing-in' } | { kind: 'done'; status: TEmbedReaderStatus };

export function EmbedPanel({
  ask,
  askCount,
  onAsked,
  quote = null,
  onQuoteDone,
  onClose,
  focusRequest,
  reader = { kind: 'none' },
}: {
  /** The passage the next question is about, until it is sent or removed (`onQuoteDone`). */
  quote?: TEmbedQuote | null;
  onQuoteDone?(id: number): void;
  ask: TEmbedAsk | null;
  /** Questions the host has asked so far: a new one closes the thread list, to show its answer. */
  askCount: number;
  onAsked(id: number): void;
  onClose(): void;
  focusRequest: number;
  /** The reader the host site named (components/embed/EmbedApp.tsx): questions wait while they are signed in. */
  reader?: TEmbedReader;
}) {
  const threads = useThreads();
  const [threadId, setThreadId] = useStoredThread(threads.threads[0]?.id ?? null);
  const [listOpenedAt, setListOpenedAt] = useState<number | null>(null);
  const isListOpen = listOpenedAt === askCount;
  const setIsListOpen = (next: boolean | ((value: boolean) => boolean)) =>
    setListOpenedAt((typeof next === 'function' ? next(isListOpen) : next) ? askCount : null);
  const composerRef = useRef<TComposerHandle>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const now = useNow();
  const t = useUiText();
  const assistantName = useAssistantName(t('panel.name'));
  const conversation = useConversation({ threadId, onThreadCreated: setThreadId, onThreadMissing: () => setThreadId(null) });
  const votes = useVotes(threadId);
  useRefocusComposer(conversation.isBusy, composerRef, panelRef);

  // A question from the host page (PasteAssistant.open({ question })): sent once the conversation can take it.
  const { isLoading, isBusy, send } = conversation;
  const isSigningIn = reader.kind === 'signing-in';
  useEffect(() => {
    if (!ask || isLoading || isBusy || isSigningIn) return;
    onAsked(ask.id);
    void send(ask.question);
  }, [ask, isLoading, isBusy, isSigningIn, send, onAsked]);

  useEffect(() => {
    if (focusRequest > 0) composerRef.current?.focus();
  }, [focusRequest]);

  // The reader's question, with the host page's passage it is about when one is attached (sent with it only).
  const sendTyped = useCallback(
    async (text: string, { mode, images }: { mode: TRunMode; images?: TStoredImage[] }) => {
      if (!quote) return send(text, null, mode, images);
      const isSent = await send(text, { quote: quote.text, ...(quote.url ? { url: quote.url } : {}), ...(quote.title ? { title: quote.title } : {}) }, mode, images);
      if (isSent) onQuoteDone?.(quote.id);
      return isSent;
    },
    [send, quote, onQuoteDone],
  );

  const startNew = () => {
    setThreadId(null);
    conversation.dismissMissing();
    setIsListOpen(false);
    composerRef.current?.focus();
  };

  return (
    <Box
      ref={panelRef}
      as="main"
      aria-label={t('embed.label')}
      display="flex"
      flexDirection="column"
      height="100vh"
      backgroundColor="colorBackgroundBody"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <Box
        display="flex"
        alignItems="center"
        columnGap="space30"
        paddingX="space50"
        paddingY="space40"
        borderBottomStyle="solid"
        borderBottomWidth="borderWidth10"
        borderBottomColor="colorBorderWeaker"
        flexShrink={0}
      >
        <Button variant="secondary_icon" size="reset" aria-expanded={isListOpen} aria-controls="embed-thread-list" onClick={() => setIsListOpen((value) => !value)}>
          <MenuIcon decorative={false} title={isListOpen ? t('embed.hideThreads') : t('embed.showThreads')} size="sizeIcon40" />
        </Button>
        <ArtificialIntelligenceIcon decorative size="sizeIcon40" color="colorTextIcon" />
        <Heading as="h1" variant="heading30" marginBottom="space0">
          {assistantName}
        </Heading>
        <Box marginLeft="auto" display="flex" alignItems="center" columnGap="space40">
          <Button variant="secondary_icon" size="reset" onClick={startNew}>
            <PlusIcon decorative={false} title={t('panel.newThread')} size="sizeIcon40" />
          </Button>
          <Button variant="secondary_icon" size="reset" onClick={onClose}>
            <CloseIcon decorative={false} title={t('panel.close')} size="sizeIcon40" />
          </Button>
        </Box>
      </Box>
      {isListOpen ? (
        <Box as="nav" id="embed-thread-list" aria-label={t('embed.threads')} flexGrow={1} minHeight="size0" overflowY="auto" padding="space50" backgroundColor="colorBackgroundWeaker">
          <ThreadList
            threads={threads.threads}
            selectedId={threadId}
            isLoading={threads.isLoading}
            now={now}
            onSelect={(id) => {
              setThreadId(id);
              setIsListOpen(false);
            }}
            onNew={startNew}
            onDeleteAll={async () => {
              const isDeleted = await threads.removeAll();
              if (isDeleted) startNew();
              return isDeleted;
            }}
          />
        </Box>
      ) : (
        <>
          {reader.kind === 'done' && reader.status === 'refused' ? (
            <Box role="status" flexShrink={0} paddingX="space50" paddingY="space30" backgroundColor="colorBackgroundWarningWeakest" borderBottomStyle="solid" borderBottomWidth="borderWidth10" borderBottomColor="colorBorderWarningWeaker">
              <Text as="p" fontSize="fontSize30">
                {t('embed.readerRefused')}
              </Text>
            </Box>
          ) : null}
          <Box flexGrow={1} minHeight="size0" overflowY="auto" paddingX="space50" data-testid="assistant-panel-body">
            <ConversationLog conversation={conversation} votes={votes} />
          </Box>
          <Box flexShrink={0} paddingX="space50" paddingY="space40" borderTopStyle="solid" borderTopWidth="borderWidth10" borderTopColor="colorBorderWeaker">
            {quote ? (
              <Box marginBottom="space30">
                <QuoteAttachment
                  text={quote.text}
                  title={quote.title ?? quote.url ?? ''}
                  onRemove={() => {
                    onQuoteDone?.(quote.id);
                    composerRef.current?.focus();
                  }}
                />
              </Box>
            ) : null}
            <Composer
              composerRef={composerRef}
              isDisabled={conversation.isBusy || isSigningIn}
              onSend={sendTyped}
              isAutoFocused
              placeholder={quote ? t('composer.quotePlaceholder') : undefined}
              emptyMessage={quote ? t('composer.explainQuote') : undefined}
            />
          </Box>
        </>
      )}
    </Box>
  );
}
