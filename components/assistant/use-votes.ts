import { useCallback, useMemo } from 'react';
import useSWR from 'swr';
import { fetcher, isApiError, voteOnMessage, votesUrl, type TList, type TMessageVote, type TVote } from './api';
import { useToasts } from './toasts';

export type TVotes = {
  votes: Map<string, TVote>;
  /**
   * Sets (or, with null, clears) this session's vote on an answer, with the reader's reason for a thumbs-down.
   * Optimistic; rolled back on failure. True once saved.
   */
  vote(messageId: string, vote: TVote | null, reason?: string): Promise<boolean>;
};

type TVoteList = Omit<TList<TMessageVote>, 'first_id' | 'last_id'>;

export function useVotes(threadId: string | null): TVotes {
  const { notifyError } = useToasts();
  const key = threadId ? votesUrl(threadId) : null;
  const { data, mutate } = useSWR<TVoteList>(key, fetcher, {
    revalidateOnFocus: false,
    // A thread that cannot be read is reported by the conversation (useConversation), once.
    onError: (error: unknown) => {
      if (!(isApiError(error) && (error.status === 404 || error.status === 400))) notifyError(error);
    },
  });
  const votes = useMemo(() => new Map((data?.data ?? []).map((entry) => [entry.message_id, entry.vote])), [data]);

  const vote = useCallback(
    async (messageId: string, next: TVote | null, reason?: string) => {
      if (!threadId) return false;
      const apply = (list: TVoteList | undefined): TVoteList => {
        const others = (list?.data ?? []).filter((entry) => entry.message_id !== messageId);
        return { object: 'list', has_more: false, data: next ? [...others, { message_id: messageId, vote: next }] : others };
      };
      try {
        await mutate(
          async (current) => {
            await voteOnMessage(threadId, messageId, next, reason);
            return apply(current);
          },
          { optimisticData: apply, rollbackOnError: true, revalidate: false },
        );
        return true;
      } catch (error) {
        notifyError(error);
        return false;
      }
    },
    [threadId, mutate, notifyError],
  );

  return { votes, vote };
}
