import { useMemo } from 'react';
import type { TMessage, TMessageContext, TRun } from './api';
import type { TStoredImage } from '@/lib/shared/images';
import type { TRunMode } from '@/lib/shared/runs';
import type { TDraft } from './run-follower';
import { failureOf, type TFailure } from './run-failure';
import { useUiText } from './ui-text';
import { useConversationActions } from './use-conversation-actions';
import { useFollowedRun } from './use-followed-run';
import { useMissingThread } from './use-missing-thread';
import { useOutgoingMessage } from './use-outgoing-message';
import { useThreadReads } from './use-thread-reads';
import { useThreadTitle } from './use-thread-title';

// One conversation: the thread's messages, the reader's message while it is being sent (shown at once), and
// the thread's latest run, followed until it ends. Everything is keyed by thread id, so switching threads
// mid-run neither mixes threads nor locks the composer of another thread; coming back to a thread (or
// reloading the page) finds its pending run through GET …/runs and follows it again.
//
// Put together from one hook per responsibility, each in its file:
//   use-thread-reads.ts       the thread's messages and latest run from the server (SWR), the maintainer-reply poll
//   use-followed-run.ts       the latest run followed until it ends, its draft answer, the messages shown
//   use-outgoing-message.ts   the message being sent, shown at once until the server's copy replaces it
//   use-missing-thread.ts     a thread that cannot be read: said once, the selection cleared
//   use-thread-title.ts       a new thread named from its first question
//   run-failure.ts            what a run that ended without an answer says, and what Retry asks again
//   use-conversation-actions.ts  send, stop, retry, research

export type TConversation = {
  threadId: string | null;
  /** Oldest first. */
  messages: TMessage[];
  isLoading: boolean;
  /** The message being sent, until the server's copy replaces it. */
  pendingText: string | null;
  /** The screenshots sent with the pending message. */
  pendingImages?: TStoredImage[];
  run: TRun | null;
  /** The answer of the latest run as written so far, until the finished message replaces it. */
  draft: TDraft | null;
  /** A message is being sent or the latest run is still going: the composer waits. */
  isBusy: boolean;
  failure: TFailure | null;
  /**
   * The thread that was asked for and could not be read (deleted, in another tab or for good; another
   * browser's; a mistyped link): shown as a notice until the reader starts or opens a conversation.
   */
  missingThreadId: string | null;
  dismissMissing(): void;
  /** Sends a message; `context` names the docs page it is about; `mode` "research" researches it (issue 71). */
  send(text: string, context?: TMessageContext | null, mode?: TRunMode, images?: TStoredImage[]): Promise<boolean>;
  stop(): Promise<void>;
  retry(): Promise<void>;
  /** "Research this" (issue 71): a research run of the stored question `questionId`; the question is not sent again. */
  research(questionId: string): Promise<void>;
};

export function useConversation({
  threadId,
  onThreadCreated,
  onThreadMissing,
}: {
  threadId: string | null;
  /** Sending with no thread selected creates one; the owner selects it. */
  onThreadCreated(threadId: string): void;
  /** The thread is gone (deleted elsewhere): the owner clears its selection. */
  onThreadMissing?(threadId: string): void;
}): TConversation {
  const title = useThreadTitle({ threadId });
  const missing = useMissingThread({ threadId, onThreadMissing });
  const reads = useThreadReads({ threadId, onReadError: missing.onReadError, reportMissing: missing.reportMissing });
  const followed = useFollowedRun(reads);
  const { run, messages } = followed;
  const outgoing = useOutgoingMessage({ threadId, messages });
  const isSending = outgoing.sendingText !== null;
  const t = useUiText();
  const failure = useMemo(() => failureOf({ run, messages, isSending, t }), [run, messages, isSending, t]);
  const actions = useConversationActions({ threadId, onThreadCreated, reads, followed, outgoing, title, missing, failure });

  return {
    threadId,
    messages,
    isLoading: reads.isLoading,
    pendingText: outgoing.pendingText,
    pendingImages: outgoing.pendingImages,
    run,
    draft: followed.draft,
    isBusy: isSending || followed.isRunActive || actions.isRerunning,
    failure,
    missingThreadId: missing.missingThreadId,
    dismissMissing: missing.clearMissing,
    send: actions.send,
    stop: actions.stop,
    retry: actions.retry,
    research: actions.research,
  };
}
