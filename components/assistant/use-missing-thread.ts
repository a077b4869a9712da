import { useCallback, useEffect, useRef, useState } from 'react';
import { useSWRConfig } from 'swr';
import { isApiError, latestRunUrl, messagesUrl, THREADS_URL } from './api';
import { useToasts } from './toasts';

// A thread that cannot be read (deleted, in another tab or for good; another browser's; a mistyped link) is said
// once, in the conversation (not as the server's technical message in a toast); the owner clears the selection so
// the next message starts a new thread, and the thread list is refreshed so that a thread deleted elsewhere leaves it.

/** The server cannot give this caller the thread: deleted, another session's (404), or not a thread id (400). */
const isThreadUnavailable = (error: unknown) => isApiError(error) && (error.status === 404 || error.status === 400);

export type TMissingThread = {
  /** The thread that was asked for and could not be read, until the reader starts or opens a conversation. */
  missingThreadId: string | null;
  /** Thread `id` is gone: said only while it is still the thread on screen. */
  reportMissing(id: string): void;
  clearMissing(): void;
  /** The `onError` of the thread's reads (a hook's onError replaces the global one, so it reports the failure itself). */
  onReadError(error: unknown, key: string): void;
};

export function useMissingThread({
  threadId,
  onThreadMissing,
}: {
  threadId: string | null;
  onThreadMissing?(threadId: string): void;
}): TMissingThread {
  const { mutate } = useSWRConfig();
  const { notifyError } = useToasts();
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

  const onReadError = useCallback(
    (error: unknown, key: string) => {
      if (!isThreadUnavailable(error)) return notifyError(error);
      // Only about the thread on screen; a late answer about one the reader has left is moot.
      const selected = selectedRef.current;
      if (selected !== null && (key === messagesUrl(selected) || key === latestRunUrl(selected))) reportMissing(selected);
    },
    [reportMissing, notifyError],
  );
  const clearMissing = useCallback(() => setMissingThreadId(null), []);
  return { missingThreadId, reportMissing, clearMissing, onReadError };
}
