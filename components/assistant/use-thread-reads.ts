import { useCallback } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { apiFetch, fetcher, isApiError, isTerminal, latestRunUrl, listOf, messagesUrl, type TList, type TMessage, type TRun } from './api';
import { useToasts } from './toasts';

// What the conversation reads from the server, in SWR's cache keyed by thread: the thread's messages and its
// latest run (GET …/runs, which finds a pending run again after a reload), and the two ways they are written back.

/** How soon a maintainer's reply from Slack shows in an open conversation. */
export const MAINTAINER_REPLY_POLL_MS = 10_000;

export type TThreadReads = {
  /** The thread's latest run as listed by the server (before the run follower's newer copy). */
  latestRun: TRun | null;
  /** The thread's messages as listed, newest first, in-progress answers included; undefined until read. */
  listed: TMessage[] | undefined;
  isLoading: boolean;
  /** Fetches the thread's messages and stores them together with `then` (one render, no flicker). */
  refreshMessages(id: string, then?: () => void): Promise<void>;
  /** Stores a run as its thread's latest without asking the server again. */
  storeRun(run: TRun): Promise<unknown>;
  /** Reads the thread's latest run and messages again: after a request whose outcome is unknown. */
  revalidate(id: string): Promise<unknown>;
};

export function useThreadReads({
  threadId,
  onReadError,
  reportMissing,
}: {
  threadId: string | null;
  onReadError(error: unknown, key: string): void;
  reportMissing(id: string): void;
}): TThreadReads {
  const { mutate } = useSWRConfig();
  const { notifyError } = useToasts();
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

  const revalidate = useCallback((id: string) => Promise.all([mutate(latestRunUrl(id)), mutate(messagesUrl(id))]), [mutate]);

  return {
    latestRun: latestQuery.data?.data[0] ?? null,
    listed: messagesQuery.data?.data,
    isLoading: threadId !== null && messagesQuery.isLoading,
    refreshMessages,
    storeRun,
    revalidate,
  };
}
