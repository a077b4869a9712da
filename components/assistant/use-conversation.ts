import { readRemovedKinds } from '@/lib/shared/privacy';
import { titleFromQuestion } from '@/lib/shared/titles';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
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
  rerunMessage,
  sendMessage,
  THREADS_URL,
  threadTitle,
  updateThreadTitle,
  type TList,
  type TMessage,
  type TMessageContext,
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

/** How soon a maintainer's reply from Slack shows in an open conversation. */
export const MAINTAINER_REPLY_POLL_MS = 10_000;

/** A 409 on send: the thread's run is still going, most likely started from another tab. */
export const BUSY_THREAD_MESSAGE =
  'The assistant is still answering in this conversation (perhaps in another tab). Wait for the answer, then send your message again.';

/** The server cannot give this caller the thread: deleted, another session's (404), or not a thread id (400). */
const isThreadUnavailable = (error: unknown) => isApiError(error) && (error.status === 404 || error.status === 400);

/** A run that ended without an answer: why, and the question Retry runs again (null: nothing to retry). */
export type TFailure = { run: TRun; message: string; retryText: string | null; questionId: string | null };

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
  /**
   * The thread that was asked for and could not be read (deleted, in another tab or for good; another
   * browser's; a mistyped link): shown as a notice until the reader starts or opens a conversation.
   */
  missingThreadId: string | null;
  dismissMissing(): void;
  /** Sends a message; `context` names the docs page it is about. */
  send(text: string, context?: TMessageContext | null): Promise<boolean>;
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
  // The thread whose Retry request is in flight.
  const [retrying, setRetrying] = useState<string | null>(null);

  // A thread that cannot be read is said once, in the conversation (not as the server's technical message in
  // a toast); the owner clears the selection so the next message starts a new thread, and the thread list is
  // refreshed so that a thread deleted elsewhere leaves it.
  const [missingThreadId, setMissingThreadId] = useState<string | null>(null);
  const [shownThreadId, setShownThreadId] = useState(threadId);
  if (shownThreadId !== threadId) {
    setShownThreadId(threadId);
    if (threadId !== null) setMissingThreadId(null);
  }
  const selectedRef = useRef(threadId);
  useEffect(() => {
    selectedRef.current = threadId;
  });
  const reportMissing = useCallback(
    (id: string) => {
      // An answer about a thread the reader has already left changes nothing on screen.
      if (selectedRef.current !== id) return;
      setMissingThreadId(id);
      void mutate(THREADS_URL);
      onThreadMissing?.(id);
    },
    [mutate, onThreadMissing],
  );

  // (A hook's onError replaces the global one, so it reports the failure itself.)
  const onReadError = useCallback(
    (error: unknown, key: string) => {
      if (!isThreadUnavailable(error)) return notifyError(error);
      // Only about the thread on screen; a late answer about one the reader has left is moot.
      const selected = selectedRef.current;
      if (selected !== null && (key === messagesUrl(selected) || key === latestRunUrl(selected))) reportMissing(selected);
    },
    [reportMissing, notifyError],
  );
  const latestQuery = useSWR<TList<TRun>>(threadId ? latestRunUrl(threadId) : null, fetcher, { onError: onReadError });
  // A maintainer may reply from Slack at any time (a message no run of this reader produced): while the thread
  // has messages and no run is going, its messages are read again every MAINTAINER_REPLY_POLL_MS (and when the
  // tab regains focus); SWR pauses this while the tab is hidden. During a run, the run follower reads them.
  const listedRun = latestQuery.data?.data[0];
  const isIdle = listedRun === undefined || isTerminal(listedRun);
  const messagesQuery = useSWR<TList<TMessage>>(threadId ? messagesUrl(threadId) : null, fetcher, {
    onError: onReadError,
    refreshInterval: (data) => (isIdle && (data?.data.length ?? 0) > 0 ? MAINTAINER_REPLY_POLL_MS : 0),
  });

  /** Fetches the thread's messages and stores them together with `then` (one render, no flicker). */
  const refreshMessages = useCallback(
    async (id: string, then?: () => void) => {
      try {
        const fresh = await apiFetch<TList<TMessage>>(messagesUrl(id));
        await mutate(messagesUrl(id), fresh, { revalidate: false });
        then?.();
      } catch (error) {
        then?.();
        if (isApiError(error) && error.status === 404) reportMissing(id);
        else notifyError(error);
      }
    },
    [mutate, notifyError, reportMissing],
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
    messages.some(
      (message) =>
        message.role === 'user' &&
        !pending.knownIds.includes(message.id) &&
        // The stored copy differs from what was typed when personal data was masked in it.
        (messageText(message) === pending.text || readRemovedKinds(message.metadata).length > 0),
    );
  const pendingText = isEchoed ? null : sendingText;
  const isRunActive = run !== null && !isTerminal(run) && followed.lostError === null;
  const isBusy = sendingText !== null || isRunActive || (retrying !== null && retrying === threadId);

  const failure = useMemo<TFailure | null>(() => {
    if (!run || !isTerminal(run) || run.status === 'completed' || sendingText !== null) return null;
    const question = messages.find((message) => message.role === 'user' && message.run_id === run.id);
    const lastQuestion = [...messages].reverse().find((message) => message.role === 'user');
    const source = question ?? lastQuestion;
    return { run, message: describeFailure(run), retryText: source ? messageText(source) : null, questionId: source?.id ?? null };
  }, [run, messages, sendingText]);

  // The title is asked for in parallel with the answer, but saved only once the message is known to be
  // accepted (or is still being answered after a moment): a refused message must not name the thread.
  const nameThread = useCallback(
    async (id: string, question: string, isAccepted: Promise<boolean>) => {
      try {
        const [title, accepted] = await Promise.all([
          generateTitle(question).catch((error: unknown) => {
            // Near the hourly limit the title request can be refused (it is a model call too) while the message
            // itself went through: the thread is named from the question's first words, without an error.
            if (isApiError(error) && error.status === 429) return titleFromQuestion(question);
            throw error;
          }),
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

  const deliver = useCallback(
    async (raw: string, context?: TMessageContext | null): Promise<boolean> => {
      const text = raw.trim();
      if (text === '') return false;
      setMissingThreadId(null);
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
      const request = sendMessage(threadKey, text, { isWaiting: !canStream(), context });
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
        if (isApiError(error) && error.status === 404) {
          // Deleted meanwhile (another tab): the text goes back to the composer, where sending starts anew.
          reportMissing(threadKey);
          return false;
        }
        // A run already active here (another tab sent first): the reader waits for it and follows it below.
        notifyError(isApiError(error) && error.status === 409 ? new Error(BUSY_THREAD_MESSAGE) : error);
        // The run may have started even though the answer to this request was lost.
        void mutate(latestRunUrl(threadKey));
        void mutate(messagesUrl(threadKey));
        return false;
      }
    },
    [threadId, threadsQuery.data, messagesQuery.data, mutate, notifyError, onThreadCreated, nameThread, storeRun, refreshMessages, reportMissing],
  );

  // One message at a time per conversation: a second Enter or click in the same moment, before the render
  // that disables the composer, must neither send the message twice nor create two threads.
  const inFlight = useRef(new Set<string>());
  const send = useCallback(
    async (raw: string, context?: TMessageContext | null): Promise<boolean> => {
      const key = threadId ?? '';
      if (inFlight.current.has(key)) return false;
      inFlight.current.add(key);
      try {
        return await deliver(raw, context);
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
      settled.current.add(cancelled.id);
      await storeRun(cancelled);
    } catch (error) {
      if (isApiError(error) && error.status === 409) {
        // It ended on its own meanwhile: show how.
        await Promise.all([mutate(latestRunUrl(threadId)), mutate(messagesUrl(threadId))]);
        return;
      }
      if (isApiError(error) && error.status === 404) {
        reportMissing(threadId);
        return;
      }
      notifyError(error);
    }
  }, [threadId, run, storeRun, mutate, notifyError, reportMissing]);

  // Retry asks the server for a new run of the same question: it is neither shown nor sent twice.
  const retry = useCallback(async () => {
    if (!threadId || !failure?.questionId) return;
    const key = threadId;
    if (inFlight.current.has(key)) return;
    inFlight.current.add(key);
    setRetrying(key);
    try {
      const { run: started } = await rerunMessage(key, failure.questionId, { isWaiting: !canStream() });
      if (isTerminal(started)) settled.current.add(started.id);
      await storeRun(started);
      await refreshMessages(key);
    } catch (error) {
      if (isApiError(error) && error.status === 404) reportMissing(key);
      else notifyError(isApiError(error) && error.status === 409 && error.message.includes('still active') ? new Error(BUSY_THREAD_MESSAGE) : error);
      void mutate(latestRunUrl(key));
      void mutate(messagesUrl(key));
    } finally {
      inFlight.current.delete(key);
      setRetrying(null);
    }
  }, [threadId, failure, storeRun, refreshMessages, reportMissing, notifyError, mutate]);

  return {
    threadId,
    messages,
    isLoading: threadId !== null && messagesQuery.isLoading,
    pendingText,
    run,
    draft,
    isBusy,
    failure,
    missingThreadId,
    dismissMissing: () => setMissingThreadId(null),
    send,
    stop,
    retry,
  };
}
