import { useCallback, useRef, useState } from 'react';
import { useSWRConfig } from 'swr';
import { apiFetch, cancelRun, createThread, isApiError, isTerminal, latestRunUrl, rerunMessage, sendMessage, THREADS_URL, type TList, type TMessage, type TMessageContext, type TRun, type TThread } from './api';
import type { TStoredImage } from '@/lib/shared/images';
import type { TRunMode } from '@/lib/shared/runs';
import { canStream } from './run-follower';
import type { TFailure } from './run-failure';
import { useToasts } from './toasts';
import type { TFollowedRun } from './use-followed-run';
import type { TMissingThread } from './use-missing-thread';
import type { TOutgoingMessage } from './use-outgoing-message';
import type { TThreadReads } from './use-thread-reads';
import type { TThreadTitle } from './use-thread-title';
import { useUiText } from './ui-text';

// What the reader does in a conversation: send a message (creating the thread when none is selected), stop the
// answer, retry a failed one, research a question the quick answer did not cover. One request at a time per
// conversation.

export type TConversationActions = {
  /** Sends a message; `context` names the docs page it is about. */
  send(text: string, context?: TMessageContext | null, mode?: TRunMode, images?: TStoredImage[]): Promise<boolean>;
  stop(): Promise<void>;
  retry(): Promise<void>;
  /** "Research this" (issue 71): a research run of the stored question `questionId`, which is not sent again. */
  research(questionId: string): Promise<void>;
  /** A request for a new run of a stored question (Retry, Research this) is in flight for this thread. */
  isRerunning: boolean;
};

export function useConversationActions({
  threadId,
  onThreadCreated,
  reads,
  followed,
  outgoing,
  title,
  missing,
  failure,
}: {
  threadId: string | null;
  onThreadCreated(threadId: string): void;
  reads: Pick<TThreadReads, 'listed' | 'refreshMessages' | 'storeRun' | 'revalidate'>;
  followed: Pick<TFollowedRun, 'run' | 'markSettled'>;
  outgoing: Pick<TOutgoingMessage, 'begin' | 'end'>;
  title: TThreadTitle;
  missing: Pick<TMissingThread, 'reportMissing' | 'clearMissing'>;
  failure: TFailure | null;
}): TConversationActions {
  const { mutate } = useSWRConfig();
  const { notifyError } = useToasts();
  // A 409 on send: the thread's run is still going, most likely started from another tab ('error.busyThread').
  const t = useUiText();
  const { listed, refreshMessages, storeRun, revalidate } = reads;
  const { run, markSettled } = followed;
  const { begin, end } = outgoing;
  const { hasDefaultTitle, nameThread } = title;
  const { reportMissing, clearMissing } = missing;
  // The thread whose Retry or Research this request is in flight.
  const [rerunning, setRerunning] = useState<string | null>(null);

  const deliver = useCallback(
    async (raw: string, context?: TMessageContext | null, mode: TRunMode = 'quick', images: TStoredImage[] = []): Promise<boolean> => {
      const text = raw.trim();
      if (text === '' && images.length === 0) return false;
      clearMissing();
      let id = threadId;
      let isFirstMessage: boolean;
      if (id === null) {
        try {
          const thread = await createThread();
          id = thread.id;
          await mutate<TList<TThread>>(THREADS_URL, (list) => list && { ...list, data: [thread, ...list.data] }, { revalidate: false });
          onThreadCreated(id);
          isFirstMessage = true;
        } catch (error) {
          notifyError(error);
          return false;
        }
      } else {
        isFirstMessage = listed?.length === 0 && hasDefaultTitle(id);
      }
      const threadKey = id;
      const knownIds = threadId === null ? [] : (listed ?? []).map((message: TMessage) => message.id);
      begin(threadKey, text, knownIds, images);
      const clearSending = () => end(threadKey);
      // With the event stream, the route answers at once and the answer is followed as it is written.
      const request = sendMessage(threadKey, text, { isWaiting: !canStream(), context, mode, images });
      if (isFirstMessage && text !== '') {
        void nameThread(
          threadKey,
          text,
          request.then(
            () => true,
            () => false,
          ),
        );
      } else if (isFirstMessage) {
        // A screenshot alone is named from the text the server read in it, once the question is stored.
        void request
          .then(() => import('./screenshot').then((module) => module.screenshotWords(threadKey)))
          .then((words) => (words ? nameThread(threadKey, words, Promise.resolve(true)) : undefined))
          .catch(() => undefined);
      }
      try {
        const { run: started } = await request;
        if (isTerminal(started)) markSettled(started.id);
        await storeRun(started);
        // The server's copy of the message replaces the optimistic one in the same render.
        await refreshMessages(threadKey, clearSending);
        return true;
      } catch (error) {
        clearSending();
        if (isApiError(error) && error.status === 404) {
          // Deleted meanwhile (another tab): the text goes back to the composer, where sending starts anew.
          reportMissing(threadKey);
          return false;
        }
        // A run already active here (another tab sent first): the reader waits for it and follows it.
        // A research question refused because another of the reader's is going says so itself.
        notifyError(isApiError(error) && error.status === 409 && mode !== 'research' ? new Error(t('error.busyThread')) : error);
        // The run may have started even though the answer to this request was lost.
        void revalidate(threadKey);
        return false;
      }
    },
    [threadId, listed, hasDefaultTitle, mutate, notifyError, onThreadCreated, nameThread, begin, end, markSettled, storeRun, refreshMessages, reportMissing, clearMissing, revalidate, t],
  );

  // One message at a time per conversation: a second Enter or click in the same moment, before the render
  // that disables the composer, must neither send the message twice nor create two threads.
  const inFlight = useRef(new Set<string>());
  const send = useCallback(
    async (raw: string, context?: TMessageContext | null, mode?: TRunMode, images?: TStoredImage[]): Promise<boolean> => {
      const key = threadId ?? '';
      if (inFlight.current.has(key)) return false;
      inFlight.current.add(key);
      try {
        return await deliver(raw, context, mode, images);
      } finally {
        inFlight.current.delete(key);
      }
    },
    [threadId, deliver],
  );

  const stop = useCallback(async () => {
    if (!threadId) return;
    try {
      let target = run && !isTerminal(run) ? run : null;
      if (!target) {
        // The message is still being sent, so its run is not known here yet: the thread's latest run is it.
        const candidate = (await apiFetch<TList<TRun>>(latestRunUrl(threadId))).data[0];
        if (candidate && !isTerminal(candidate)) target = candidate;
      }
      if (!target) return;
      const cancelled = await cancelRun(threadId, target.id);
      markSettled(cancelled.id);
      await storeRun(cancelled);
    } catch (error) {
      if (isApiError(error) && error.status === 409) {
        // It ended on its own meanwhile: show how.
        await revalidate(threadId);
        return;
      }
      if (isApiError(error) && error.status === 404) {
        reportMissing(threadId);
        return;
      }
      notifyError(error);
    }
  }, [threadId, run, markSettled, storeRun, revalidate, notifyError, reportMissing]);

  // Retry and Research this ask the server for a new run of a stored question: it is neither shown nor sent twice.
  const rerun = useCallback(
    async (questionId: string, mode: TRunMode) => {
      if (!threadId) return;
      const key = threadId;
      if (inFlight.current.has(key)) return;
      inFlight.current.add(key);
      setRerunning(key);
      try {
        const { run: started } = await rerunMessage(key, questionId, { isWaiting: !canStream(), mode });
        if (isTerminal(started)) markSettled(started.id);
        await storeRun(started);
        await refreshMessages(key);
      } catch (error) {
        if (isApiError(error) && error.status === 404) reportMissing(key);
        // A research run refused because another of the reader's is going says so itself, as on send.
        else notifyError(isApiError(error) && error.status === 409 && error.message.includes('still active') ? new Error(t('error.busyThread')) : error);
        void revalidate(key);
      } finally {
        inFlight.current.delete(key);
        setRerunning(null);
      }
    },
    [threadId, markSettled, storeRun, refreshMessages, reportMissing, notifyError, revalidate, t],
  );

  const retry = useCallback(async () => {
    if (!failure?.questionId) return;
    // A stopped or failed research run is retried as research (only a research run carries research_steps).
    await rerun(failure.questionId, failure.run.research_steps === undefined ? 'quick' : 'research');
  }, [failure, rerun]);

  // The quick answer stays; the research answer follows it under the same question (create_run_for_message_by_id).
  const research = useCallback((questionId: string) => rerun(questionId, 'research'), [rerun]);

  return { send, stop, retry, research, isRerunning: rerunning !== null && rerunning === threadId };
}
