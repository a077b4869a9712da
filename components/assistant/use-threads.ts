import { useCallback } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { createThread, deleteAllThreads, deleteThread, fetcher, THREADS_URL, updateThreadTitle, type TList, type TThread } from './api';
import { useToasts } from './toasts';

// The caller's threads, newest first, as the server lists them; every change goes to the server and the list
// is updated from its answer (no reload needed).

export function replaceThread(list: TList<TThread> | undefined, thread: TThread): TList<TThread> | undefined {
  return list && { ...list, data: list.data.map((entry) => (entry.id === thread.id ? thread : entry)) };
}

export function useThreads() {
  const { notifyError } = useToasts();
  const { mutate } = useSWRConfig();
  const query = useSWR<TList<TThread>>(THREADS_URL, fetcher);

  const create = useCallback(async (): Promise<TThread | null> => {
    try {
      const thread = await createThread();
      await mutate<TList<TThread>>(
        THREADS_URL,
        (list) => list && { ...list, data: [thread, ...list.data.filter((entry) => entry.id !== thread.id)] },
        { revalidate: true },
      );
      return thread;
    } catch (error) {
      notifyError(error);
      return null;
    }
  }, [mutate, notifyError]);

  const rename = useCallback(
    async (threadId: string, title: string): Promise<boolean> => {
      try {
        const thread = await updateThreadTitle(threadId, title);
        await mutate<TList<TThread>>(THREADS_URL, (list) => replaceThread(list, thread), { revalidate: false });
        return true;
      } catch (error) {
        notifyError(error);
        return false;
      }
    },
    [mutate, notifyError],
  );

  const remove = useCallback(
    async (threadId: string): Promise<boolean> => {
      try {
        await deleteThread(threadId);
        await mutate<TList<TThread>>(
          THREADS_URL,
          (list) => list && { ...list, data: list.data.filter((entry) => entry.id !== threadId) },
          { revalidate: false },
        );
        return true;
      } catch (error) {
        notifyError(error);
        return false;
      }
    },
    [mutate, notifyError],
  );

  const removeAll = useCallback(async (): Promise<boolean> => {
    try {
      await deleteAllThreads();
      await mutate<TList<TThread>>(THREADS_URL, (list) => list && { ...list, data: [], first_id: null, last_id: null, has_more: false }, { revalidate: true });
      return true;
    } catch (error) {
      notifyError(error);
      return false;
    }
  }, [mutate, notifyError]);

  return {
    threads: query.data?.data ?? [],
    isLoading: query.isLoading,
    error: query.error as Error | undefined,
    create,
    rename,
    remove,
    removeAll,
  };
}
