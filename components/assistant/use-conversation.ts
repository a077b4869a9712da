import { useCallback, useMemo, useRef, useState } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import {
  apiFetch,
  cancelRun,
  createThread,
  DEFAULT_THREAD_TITLE,
  fetcher,
  generateTitle,
  isApiError,
  isTerminal,
  latestRunUrl,
  listOf,
  messagesUrl,
  messageText,
  sendMessage,
  THREADS_URL,
  threadTitle,
  updateThreadTitle,
  type TList,
  type TMessage,
  type TRun,
  type TThread,
} from './api';
import { canStream, useRunFollower, type TDraft } from './run-follower';
import { useToasts } from './toasts';
import { replaceThread } from './use-threads';

// One conversation: the thread's messages, the reader's message while it is being sent (shown at once), and
// the thread's latest run, followed until it ends. Everything is keyed by thread id, so switching threads
// mid-run neither mixes threads nor locks the composer of another thread; coming back to a thread (or
// reloading the page) finds its pending run through GET …/runs and follows it again.

/** How long a first message may still be in flight before its thread is named anyway (it was accepted: refusals are immediate). */
const TITLE_GRACE_MS = 1500;

export type TFailure = { run: TRun; message: string; retryText: string | null };

export type TConversation = {
  threadId: string | null;
  /** Oldest first. */
  messages: TMessage[];
  isLoading: boolean;
  /** The message being sent, until the server's copy replaces it. */
  pendingText: string | null;
  run: TRun | null;
  /** The answer of the latest run as written so far, until the finished message replaces it. */
  draft: TDraft | null;
  /** A message is being sent or the latest run is still going: the composer waits. */
  isBusy: boolean;
  failure: TFailure | null;
  send(text: string): Promise<boolean>;
  stop(): Promise<void>;
  retry(): Promise<void>;
};

export function describeFailure(run: TRun): string {
  switch (run.status) {
    case 'cancelled':
      return 'You stopped this answer.';
    case 'failed':
      return run.last_error?.message ?? 'The assistant could not answer. Please try again.';
    case 'expired':
      return run.last_error?.message ?? 'The assistant did not finish answering in time.';
    case 'incomplete':
      return run.incomplete_details?.message ?? 'The assistant stopped before finishing its answer.';
    default:
      return '';
  }
}

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
  const { mutate } = useSWRConfig();
  const { notifyError } = useToasts();
  // Only read to decide whether a thread still has its default title (then the first message names it).
  const threadsQuery = useSWR<TList<TThread>>(threadId ? THREADS_URL : null, fetcher);
  // Per thread: the message being sent, and the ids of the messages the thread had when it was sent.
  const [sending, setSending] = useState<Record<string, { text: string; knownIds: string[] }>>({});
  const settled = useRef(new Set<string>());

  // (A hook's onError replaces the global one, so it reports the failure itself.)
  const onNotFound = useCallback(
    (error: unknown) => {
      notifyError(error);
      if (threadId && isApiError(error) && error.status === 404) onThreadMissing?.(threadId);
    },
    [threadId, onThreadMissing, notifyError],
  );
  const messagesQuery = useSWR<TList<TMessage>>(threadId ? messagesUrl(threadId) : null, fetcher, { onError: onNotFound });
  const latestQuery = useSWR<TList<TRun>>(threadId ? latestRunUrl(threadId) : null, fetcher, { onError: onNotFound });

  /** Fetches the thread's messages and stores them together with `then` (one render, no flicker). */
  const refreshMessages = useCallback(
    async (id: string, then?: () => void) => {
      try {
        const fresh = await apiFetch<TList<TMessage>>(messagesUrl(id));
        await mutate(messagesUrl(id), fresh, { revalidate: false });
        then?.();
      } catch (error) {
        then?.();
        notifyError(error);
      }
    },
    [mutate, notifyError],
  );

  const storeRun = useCallback(
    (run: TRun) => mutate(latestRunUrl(run.thread_id), listOf([run]), { revalidate: false }),
    [mutate],
  );

  const onSettled = useCallback(
    (run: TRun) => {
      if (settled.current.has(run.id)) return;
      settled.current.add(run.id);
      // Messages first, so that the answer replaces the loading indicator in one step.
      void refreshMessages(run.thread_id, () => void storeRun(run));
    },
    [refreshMessages, storeRun],
  );

  const latest = latestQuery.data?.data[0] ?? null;
  // An answer still being written is listed by the server as an in-progress message: it is shown as the
  // run's draft (and followed from there), not as a finished answer.
  const listed = messagesQuery.data?.data;
  const savedDraft = useMemo(
    () => listed?.find((message) => message.role === 'assistant' && message.status === 'in_progress' && message.run_id === latest?.id) ?? null,
    [listed, latest?.id],
  );
  const followed = useRunFollower({ run: latest, onSettled, draftText: savedDraft ? messageText(savedDraft) : null });
  const run = followed.run;

  const messages = useMemo(
    () => [...(listed ?? [])].reverse().filter((message) => !(message.role === 'assistant' && message.status === 'in_progress')),
    [listed],
  );
  // Shown until the run's finished (or incomplete) message is in the list.
  const draft =
    followed.draft && followed.draft.text !== '' && !messages.some((message) => message.role === 'assistant' && message.run_id === followed.draft?.runId)
      ? followed.draft
      : null;
  const pending = threadId ? (sending[threadId] ?? null) : null;
  const sendingText = pending?.text ?? null;
  // Once the server's copy of the message is in the list (a user message that was not there before), the
  // optimistic one is hidden, so the message never shows twice.
  const isEchoed =
    pending !== null &&
    messages.some((message) => message.role === 'user' && !pending.knownIds.includes(message.id) && messageText(message) === pending.text);
  const pendingText = isEchoed ? null : sendingText;
  const isRunActive = run !== null && !isTerminal(run) && followed.lostError === null;
  const isBusy = sendingText !== null || isRunActive;

  const failure = useMemo<TFailure | null>(() => {
    if (!run || !isTerminal(run) || run.status === 'completed' || sendingText !== null) return null;
    const question = messages.find((message) => message.role === 'user' && message.run_id === run.id);
    const lastQuestion = [...messages].reverse().find((message) => message.role === 'user');
    const source = question ?? lastQuestion;
    return { run, message: describeFailure(run), retryText: source ? messageText(source) : null };
  }, [run, messages, sendingText]);

  // The title is asked for in parallel with the answer, but saved only once the message is known to be
  // accepted (or is still being answered after a moment): a refused message must not name the thread.
  const nameThread = useCallback(
    async (id: string, question: string, isAccepted: Promise<boolean>) => {
      try {
        const [title, accepted] = await Promise.all([
          generateTitle(question),
          Promise.race([isAccepted, new Promise<boolean>((resolve) => setTimeout(() => resolve(true), TITLE_GRACE_MS))]),
        ]);
        if (!accepted) return;
        const thread = await updateThreadTitle(id, title);
        await mutate<TList<TThread>>(THREADS_URL, (list) => replaceThread(list, thread), { revalidate: false });
      } catch (error) {
        notifyError(error);
      }
    },
    [mutate, notifyError],
  );

  const send = useCallback(
    async (raw: string): Promise<boolean> => {
      const text = raw.trim();
      if (text === '') return false;
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
        const thread = threadsQuery.data?.data.find((entry) => entry.id === id);
        isFirstMessage = messagesQuery.data?.data.length === 0 && threadTitle(thread) === DEFAULT_THREAD_TITLE;
      }
      const threadKey = id;
      const knownIds = threadId === null ? [] : (messagesQuery.data?.data ?? []).map((message) => message.id);
      setSending((current) => ({ ...current, [threadKey]: { text, knownIds } }));
      const clearSending = () =>
        setSending((current) => {
          const next = { ...current };
          delete next[threadKey];
          return next;
        });
      // With the event stream, the route answers at once and the answer is followed as it is written.
      const request = sendMessage(threadKey, text, { isWaiting: !canStream() });
      if (isFirstMessage) {
        void nameThread(
          threadKey,
          text,
          request.then(
            () => true,
            () => false,
          ),
        );
      }
      try {
        const { run: started } = await request;
        if (isTerminal(started)) settled.current.add(started.id);
        await storeRun(started);
        // The server's copy of the message replaces the optimistic one in the same render.
        await refreshMessages(threadKey, clearSending);
        return true;
      } catch (error) {
        clearSending();
        notifyError(error);
        // The run may have started even though the answer to this request was lost.
        void mutate(latestRunUrl(threadKey));
        void mutate(messagesUrl(threadKey));
        return false;
      }
    },
    [threadId, threadsQuery.data, messagesQuery.data, mutate, notifyError, onThreadCreated, nameThread, storeRun, refreshMessages],
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
      settled.current.add(cancelled.id);
      await storeRun(cancelled);
    } catch (error) {
      if (isApiError(error) && error.status === 409) {
        // It ended on its own meanwhile: show how.
        await Promise.all([mutate(latestRunUrl(threadId)), mutate(messagesUrl(threadId))]);
        return;
      }
      notifyError(error);
    }
  }, [threadId, run, storeRun, mutate, notifyError]);

  const retry = useCallback(async () => {
    if (failure?.retryText) await send(failure.retryText);
  }, [failure, send]);

  return {
    threadId,
    messages,
    isLoading: threadId !== null && messagesQuery.isLoading,
    pendingText,
    run,
    draft,
    isBusy,
    failure,
    send,
    stop,
    retry,
  };
}
