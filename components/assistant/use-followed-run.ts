import { useCallback, useMemo, useRef } from 'react';
import { isTerminal, messageText, type TMessage, type TRun } from './api';
import { useRunFollower, type TDraft } from './run-follower';
import type { TThreadReads } from './use-thread-reads';

// The thread's latest run, followed until it ends (./run-follower.ts: the event stream, else polling), and what
// is shown of it: the answer as written so far (the draft), then the finished message in its place.

export type TFollowedRun = {
  /** The latest run, as fresh as the follower has it. */
  run: TRun | null;
  /** The answer being written, until the finished (or incomplete) message is in the list. */
  draft: TDraft | null;
  /** Oldest first, without an answer still being written (that one is the draft). */
  messages: TMessage[];
  /** The run is going and still followed (not lost). */
  isRunActive: boolean;
  /** A run this conversation already knows ended (it stored it itself): the follower does not settle it again. */
  markSettled(runId: string): void;
};

export function useFollowedRun({ latestRun, listed, refreshMessages, storeRun }: Pick<TThreadReads, 'latestRun' | 'listed' | 'refreshMessages' | 'storeRun'>): TFollowedRun {
  const settled = useRef(new Set<string>());
  const onSettled = useCallback(
    (run: TRun) => {
      if (settled.current.has(run.id)) return;
      settled.current.add(run.id);
      // Messages first, so that the answer replaces the loading indicator in one step.
      void refreshMessages(run.thread_id, () => void storeRun(run));
    },
    [refreshMessages, storeRun],
  );
  const markSettled = useCallback((runId: string) => {
    settled.current.add(runId);
  }, []);

  // An answer still being written is listed by the server as an in-progress message: it is shown as the
  // run's draft (and followed from there), not as a finished answer.
  const savedDraft = useMemo(
    () => listed?.find((message) => message.role === 'assistant' && message.status === 'in_progress' && message.run_id === latestRun?.id) ?? null,
    [listed, latestRun?.id],
  );
  const followed = useRunFollower({ run: latestRun, onSettled, draftText: savedDraft ? messageText(savedDraft) : null });
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
  const isRunActive = run !== null && !isTerminal(run) && followed.lostError === null;
  return { run, draft, messages, isRunActive, markSettled };
}
