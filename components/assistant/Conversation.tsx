import { readRemovedKinds } from '@/lib/shared/privacy';
import { readQuote } from '@/lib/shared/quote';
import { Fragment, lazy, Suspense, useEffect, useRef, type RefObject } from 'react';
import { AIChatLog } from '@twilio-paste/core/ai-chat-log';
import { Box } from '@twilio-paste/core/box';
import { Callout, CalloutHeading, CalloutText } from '@twilio-paste/core/callout';
import { ScreenReaderOnly } from '@twilio-paste/core/screen-reader-only';
import { SkeletonLoader } from '@twilio-paste/core/skeleton-loader';
import { isTerminal, messageText } from './api';
import { researchableQuestion } from './research-offer-question';
import { EmptyState } from './EmptyState';
import { preloadMarkdown } from './LazyMarkdown';
import { isMaintainerReply } from '@/lib/shared/messages';
import { readChoices } from '@/lib/shared/choices';
import { useIsCheckingBrowser } from './challenge';
import {
  AssistantMessage,
  CheckingBrowserMessage,
  DraftMessage,
  FailureMessage,
  LoadingMessage,
  sourcesOf,
  UserMessage,
} from './Messages';
import type { TComposerHandle } from './Composer';
import type { TConversation } from './use-conversation';
import type { TVotes } from './use-votes';
import { useUiText } from './ui-text';

// The hand-off's form (Paste's inputs) loads only when a conversation has an answer: /assistant's first load stays
// within its budget (npm run bench: client bundles).
const HandoffButton = lazy(() => import('./HandoffButton').then((module) => ({ default: module.HandoffButton })));
// So do what shows only once there is an answer, a research run or a maintainer's reply: sharing, choices, follow-ups,
// research steps and the research offer, a maintainer's reply.
const ShareButton = lazy(() => import('./ShareButton').then((module) => ({ default: module.ShareButton })));
const Choices = lazy(() => import('./Choices').then((module) => ({ default: module.Choices })));
const FollowUps = lazy(() => import('./FollowUps').then((module) => ({ default: module.FollowUps })));
const ResearchSteps = lazy(() => import('./ResearchSteps').then((module) => ({ default: module.ResearchSteps })));
const ResearchOffer = lazy(() => import('./ResearchOffer').then((module) => ({ default: module.ResearchOffer })));
const MaintainerMessage = lazy(() => import('./MaintainerMessage').then((module) => ({ default: module.MaintainerMessage })));

// The conversation as a Paste AIChatLog (a role="log" live region, so new messages are announced), or the
// empty state when there is nothing to show yet.

export function ConversationLog({
  conversation,
  votes,
  size = 'default',
}: {
  conversation: TConversation;
  votes: TVotes;
  size?: 'default' | 'fullScreen';
}) {
  const { messages, pendingText, isBusy, failure, isLoading, draft } = conversation;
  const isCheckingBrowser = useIsCheckingBrowser();
  const t = useUiText();
  const endRef = useRef<HTMLDivElement>(null);
  const answerStartRef = useRef<HTMLDivElement>(null);
  const isEmpty = messages.length === 0 && pendingText === null && !isBusy && failure === null;
  const last = messages[messages.length - 1];
  // The assistant's last answer (not a maintainer's reply): not covered, or voted down, it puts "Ask the maintainers" first.
  const lastAnswer = [...messages].reverse().find((message) => message.role === 'assistant' && !isMaintainerReply(message));
  // The answer being shown last: the one being written, or the newest stored one. Its start is what a reader
  // reads first, so a new answer scrolls to its start, and its growth never drags the view to its end.
  const answerKey = draft ? `answer-${draft.runId}` : isBusy ? 'answer-pending' : last?.role === 'assistant' ? last.id : null;
  // Once per answer: the placeholder, the draft and the stored message of one run share a start.
  const answerScrollKey = draft ? draft.runId : last?.role === 'assistant' ? (last.run_id ?? last.id) : answerKey;

  useEffect(() => {
    // The answers' renderer is on its way as soon as a conversation can be shown (the panel, /assistant, the embed),
    // not when the first answer needs it. A failed fetch is tried again by the first message that needs it.
    preloadMarkdown().catch(() => undefined);
  }, []);

  useEffect(() => {
    // The reader's own question, as it is sent, and a failure come into view at the end of the log.
    if (pendingText !== null || failure !== null) endRef.current?.scrollIntoView?.({ block: 'end' });
  }, [pendingText, failure]);

  useEffect(() => {
    if (answerScrollKey !== null && answerStartRef.current) scrollToStart(answerStartRef.current);
  }, [answerScrollKey]);

  if (isLoading) {
    return (
      <Box display="flex" flexDirection="column" rowGap="space40" paddingY="space70" aria-busy="true">
        <ScreenReaderOnly>{t('log.loading')}</ScreenReaderOnly>
        <SkeletonLoader height="48px" />
        <SkeletonLoader height="96px" />
      </Box>
    );
  }
  if (isEmpty) {
    return (
      <>
        {conversation.missingThreadId !== null ? <MissingThreadNotice /> : null}
        <EmptyState onAsk={(question) => void conversation.send(question)} isDisabled={isBusy} />
      </>
    );
  }

  // A quick answer that found nothing it trusts offers to research the question (issue 71).
  const researchQuestion = researchableQuestion(messages);

  // Follow-up questions go under the conversation's last message when it is a complete answer.
  const followUpSources =
    last?.role === 'assistant' && last.status !== 'incomplete' && pendingText === null && !isBusy
      ? sourcesOf(last.content.flatMap((part) => part.text.annotations ?? [])).map((source) => source.url)
      : [];
  // The last answer's clarifying choices, under the same conditions: a choice taken is a new question, and they go.
  const lastChoices = last?.role === 'assistant' && last.status !== 'incomplete' && pendingText === null && !isBusy ? readChoices(last.metadata) : [];
  return (
    <>
      <AIChatLog size={size} aria-label={t('log.label')}>
        {messages.map((message) =>
          message.role === 'user' ? (
            <UserMessage
              key={message.id}
              text={messageText(message)}
              removed={readRemovedKinds(message.metadata)}
              quote={readQuote(message.metadata)}
              screenshots={conversation.threadId ? { stored: { threadId: conversation.threadId, messageId: message.id, count: screenshotCount(message.metadata) } } : null}
            />
          ) : isMaintainerReply(message) ? (
            <Suspense key={message.id} fallback={null}>
              <MaintainerMessage message={message} />
            </Suspense>
          ) : (
            <Fragment key={message.id}>
              {message === last && !draft && !isBusy ? <div ref={answerStartRef} data-answer-start="" /> : null}
              <AssistantMessage
                message={message}
                vote={votes.votes.get(message.id)}
                onVote={votes.vote}
                followUps={
                  message === last && (followUpSources.length > 0 || lastChoices.length > 0) ? (
                    <Suspense fallback={null}>
                      <Choices choices={lastChoices} isDisabled={isBusy} onAsk={(question) => void conversation.send(question)} />
                      {followUpSources.length > 0 ? <FollowUps sources={followUpSources} isDisabled={isBusy} onAsk={(question) => void conversation.send(question)} /> : null}
                    </Suspense>
                  ) : undefined
                }
              />
            </Fragment>
          ),
        )}
        {pendingText !== null ? <UserMessage key="pending" text={pendingText} screenshots={{ images: conversation.pendingImages }} /> : null}
        {draft || isBusy ? <div ref={answerStartRef} data-answer-start="" /> : null}
        {isBusy && conversation.run?.research_steps && !isTerminal(conversation.run) ? (
          <Suspense fallback={null}>
            <ResearchSteps steps={conversation.run.research_steps} />
          </Suspense>
        ) : null}
        {draft ? (
          <DraftMessage key={`draft-${draft.runId}`} text={draft.text} onStop={isBusy ? () => void conversation.stop() : undefined} />
        ) : isCheckingBrowser ? (
          <CheckingBrowserMessage />
        ) : isBusy ? (
          <LoadingMessage onStop={() => void conversation.stop()} />
        ) : null}
        {failure ? <FailureMessage failure={failure} onRetry={() => void conversation.retry()} /> : null}
      </AIChatLog>
      {conversation.threadId !== null && last?.role === 'assistant' && !isBusy && pendingText === null ? (
        <>
          {/* Each lazy part in a boundary of its own: the hand-off's may wait on its request, the others never do. */}
          <Suspense fallback={null}>
            {researchQuestion ? <ResearchOffer onResearch={() => void conversation.research(researchQuestion.id)} isDisabled={isBusy} /> : null}
          </Suspense>
          <Suspense fallback={null}>
            <HandoffButton
              threadId={conversation.threadId}
              isSuggested={lastAnswer?.metadata?.no_docs_match === true || (lastAnswer !== undefined && votes.votes.get(lastAnswer.id) === 'down')}
              replyCount={messages.filter(isMaintainerReply).length}
            />
          </Suspense>
          <Suspense fallback={null}>
            <ShareButton threadId={conversation.threadId} />
          </Suspense>
        </>
      ) : null}
      <div ref={endRef} />
    </>
  );
}

/**
 * Brings `element` to the top of the panel's scrolling area only: `scrollIntoView` would also scroll the page
 * around the panel when the answer is still too short to fill it, shifting the whole layout.
 */
function scrollToStart(element: HTMLElement) {
  for (let parent = element.parentElement; parent; parent = parent.parentElement) {
    const { overflowY } = window.getComputedStyle(parent);
    if ((overflowY === 'auto' || overflowY === 'scroll') && parent.scrollHeight > parent.clientHeight) {
      const offset = element.getBoundingClientRect().top - parent.getBoundingClientRect().top;
      parent.scrollTo?.({ top: parent.scrollTop + offset });
      return;
    }
  }
  element.scrollIntoView?.({ block: 'start' });
}

/**
 * A link or a selection that points at a thread this browser cannot read. Threads belong to the browser
 * session that started them, so "not found" covers deleted, someone else's, and mistyped alike.
 */
export function MissingThreadNotice() {
  const t = useUiText();
  return (
    <Box role="status" paddingTop="space60">
      <Callout variant="warning" marginY="space0">
        <CalloutHeading as="h3">{t('missing.heading')}</CalloutHeading>
        <CalloutText>{t('missing.text')}</CalloutText>
      </Callout>
    </Box>
  );
}

/** Gives the composer focus back when a run ends, if focus was lost while it was disabled (or was in the chat). */
export function useRefocusComposer(isBusy: boolean, composerRef: RefObject<TComposerHandle | null>, containerRef: RefObject<HTMLElement | null>) {
  const wasBusy = useRef(isBusy);
  useEffect(() => {
    if (wasBusy.current && !isBusy) {
      const active = document.activeElement;
      const isFocusLost = active === null || active === document.body;
      if (isFocusLost || (containerRef.current?.contains(active) ?? false)) composerRef.current?.focus();
    }
    wasBusy.current = isBusy;
  }, [isBusy, composerRef, containerRef]);
}

/** How many screenshots a question carries (its metadata lists their types; the images load with them, lazily). */
function screenshotCount(metadata: Record<string, unknown>): number {
  const images = metadata.images;
  return Array.isArray(images) ? images.length : 0;
}
