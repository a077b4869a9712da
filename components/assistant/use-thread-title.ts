import { titleFromQuestion } from '@/lib/shared/titles';
import { useCallback } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { DEFAULT_THREAD_TITLE, fetcher, generateTitle, isApiError, THREADS_URL, threadTitle, updateThreadTitle, type TList, type TThread } from './api';
import { useToasts } from './toasts';
import { replaceThread } from './use-threads';

// A new thread is named from its first question. The title is asked for in parallel with the answer, but saved
// only once the message is known to be accepted (or is still being answered after a moment): a refused message
// must not name the thread.

/** How long a first message may still be in flight before its thread is named anyway (it was accepted: refusals are immediate). */
const TITLE_GRACE_MS = 1500;

export type TThreadTitle = {
  /** The thread still has the title every thread starts with (so its first message names it). */
  hasDefaultTitle(threadId: string): boolean;
  nameThread(threadId: string, question: string, isAccepted: Promise<boolean>): Promise<void>;
};

export function useThreadTitle({ threadId }: { threadId: string | null }): TThreadTitle {
  const { mutate } = useSWRConfig();
  const { notifyError } = useToasts();
  // Only read to decide whether a thread still has its default title.
  const threadsQuery = useSWR<TList<TThread>>(threadId ? THREADS_URL : null, fetcher);
  const threads = threadsQuery.data;
  const hasDefaultTitle = useCallback((id: string) => threadTitle(threads?.data.find((entry) => entry.id === id)) === DEFAULT_THREAD_TITLE, [threads]);

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
  return { hasDefaultTitle, nameThread };
}
