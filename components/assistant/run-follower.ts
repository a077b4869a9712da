import { useEffect, useRef, useState } from 'react';
import useSWR from 'swr';
import {
  applyTextDelta,
  cursorFor,
  DELTA_EVENT,
  DONE_EVENT,
  MESSAGE_COMPLETED_EVENT,
  MESSAGE_INCOMPLETE_EVENT,
  RUN_EVENT_NAMES,
  type TTextDelta,
} from '@/lib/shared/stream-protocol';
import { openEventSource } from './event-source';
import { fetcher, isApiError, isTerminal, messagesUrl, messageText, runEventsUrl, runUrl, type TApiError, type TMessage, type TRun } from './api';

// Following a run until it ends. The contract, shared by every implementation:
//   - given the run as last known (or null), return the freshest run known;
//   - call onSettled exactly when a terminal run is seen, so the caller can fetch the messages;
//   - `lostError` is set when the run can no longer be followed (e.g. its thread was deleted: 404);
//   - `draft` is the answer as written so far (null when there is none yet), shown while the run goes on.
// The UI follows the run's event stream (GET …/events, EventSource): status changes and the answer's text
// as the model writes it. When the stream cannot be used (no EventSource) or fails (an error response, or
// it keeps dropping), the run is followed by polling: GET …/run every second (which also lets the server
// dispatch tool calls) and the messages, whose in-progress answer grows as the server saves it.

export const RUN_POLL_INTERVAL_MS = 1000;
/** Connection failures in a row (EventSource retries by itself in between) before giving up on the stream. */
export const STREAM_FAILURES_BEFORE_POLLING = 3;

export type TDraft = { runId: string; text: string };
export type TRunFollowerOptions = {
  run: TRun | null;
  onSettled: (run: TRun) => void;
  /** The run's answer as last saved (its in-progress message), so that following resumes from there. */
  draftText?: string | null;
};
export type TRunFollowerResult = { run: TRun | null; lostError: TApiError | null; draft: TDraft | null; mode: 'stream' | 'poll' };
export type TRunFollower = (options: TRunFollowerOptions) => TRunFollowerResult;

export const usePolledRun: TRunFollower = ({ run, onSettled, draftText = null }) => {
  const key = run && !isTerminal(run) ? runUrl(run.thread_id, run.id) : null;
  const { data, error } = useSWR<TRun, TApiError>(key, fetcher, {
    refreshInterval: (latest) => (latest && isTerminal(latest) ? 0 : RUN_POLL_INTERVAL_MS),
    // SWR reuses a request younger than dedupingInterval; it must be shorter than the polling cadence.
    dedupingInterval: RUN_POLL_INTERVAL_MS / 2,
    revalidateOnFocus: false,
    refreshWhenHidden: true,
    onSuccess: (latest) => {
      if (isTerminal(latest)) onSettled(latest);
    },
    // A network blip must not end the polling: keep trying (with a capped backoff) unless the server said the
    // run is not there for us (4xx).
    onErrorRetry: (failure, _key, _config, revalidate, { retryCount }) => {
      if (isApiError(failure) && failure.status >= 400 && failure.status < 500) return;
      setTimeout(() => void revalidate({ retryCount }), Math.min(1000 * 2 ** retryCount, 10_000));
    },
  });
  const fresh = data && run && data.id === run.id ? data : run;
  const isActive = fresh !== null && !isTerminal(fresh);
  // The answer so far is the thread's in-progress message: the same SWR key as the conversation's messages,
  // so polling it here refreshes what the conversation shows.
  useSWR<unknown>(isActive && run ? messagesUrl(run.thread_id) : null, fetcher, {
    refreshInterval: RUN_POLL_INTERVAL_MS,
    dedupingInterval: RUN_POLL_INTERVAL_MS / 2,
    revalidateOnFocus: false,
    refreshWhenHidden: true,
  });
  const isLost = key !== null && error !== undefined && isApiError(error) && error.status >= 400 && error.status < 500;
  return {
    run: fresh,
    lostError: isLost ? error : null,
    draft: run && draftText ? { runId: run.id, text: draftText } : null,
    mode: 'poll',
  };
};

export function canStream(): boolean {
  return typeof window !== 'undefined' && typeof window.EventSource === 'function';
}

type TStreamed = { run: TRun; text: string };

/** The event stream of the run, with polling as the fallback (for this run) when the stream fails. */
export const useStreamedRun: TRunFollower = ({ run, onSettled, draftText = null }) => {
  const activeId = run && !isTerminal(run) ? run.id : null;
  const [pollingIds, setPollingIds] = useState<ReadonlySet<string>>(() => new Set());
  const isStreaming = activeId !== null && canStream() && !pollingIds.has(activeId);
  const [streamed, setStreamed] = useState<TStreamed | null>(null);
  // Read when the stream opens (and onSettled when it ends), without reopening it whenever they change.
  const latest = useRef({ run, onSettled, draftText });
  useEffect(() => {
    latest.current = { run, onSettled, draftText };
  });
  const threadId = run?.thread_id ?? null;

  useEffect(() => {
    const start = latest.current.run;
    if (!isStreaming || !start || start.id !== activeId || threadId === null) return;
    let current: TRun = start;
    let text = latest.current.draftText ?? '';
    let failures = 0;
    setStreamed({ run: current, text });
    const source = openEventSource(runEventsUrl(threadId, start.id, cursorFor(text, start.status)));
    const fallBack = () => {
      source.close();
      setPollingIds((ids) => new Set(ids).add(start.id));
    };
    const onRun = (event: MessageEvent<string>) => {
      failures = 0;
      current = JSON.parse(event.data) as TRun;
      setStreamed({ run: current, text });
    };
    const onDelta = (event: MessageEvent<string>) => {
      failures = 0;
      text = applyTextDelta(text, JSON.parse(event.data) as TTextDelta);
      setStreamed({ run: current, text });
    };
    const onMessage = (event: MessageEvent<string>) => {
      text = messageText(JSON.parse(event.data) as TMessage);
      setStreamed({ run: current, text });
    };
    const onDone = () => {
      source.close();
      if (isTerminal(current)) latest.current.onSettled(current);
      else fallBack();
    };
    const onError = (event: Event) => {
      // An `error` event the server sent (the stream failed after it started): follow the run by polling.
      if (event instanceof MessageEvent) return fallBack();
      // The connection failed. EventSource reconnects by itself (sending Last-Event-ID) unless the server
      // answered with an error status (CLOSED): then, or after repeated failures, poll instead.
      failures += 1;
      if (source.readyState === 2 /* CLOSED */ || failures >= STREAM_FAILURES_BEFORE_POLLING) fallBack();
    };
    for (const name of RUN_EVENT_NAMES) source.addEventListener(name, onRun);
    source.addEventListener(DELTA_EVENT, onDelta);
    source.addEventListener(MESSAGE_COMPLETED_EVENT, onMessage);
    source.addEventListener(MESSAGE_INCOMPLETE_EVENT, onMessage);
    source.addEventListener(DONE_EVENT, onDone);
    source.addEventListener('error', onError);
    return () => source.close();
  }, [isStreaming, activeId, threadId]);

  const polled = usePolledRun({ run: isStreaming ? null : run, onSettled, draftText });
  if (!isStreaming) return polled;
  const own = streamed && run && streamed.run.id === run.id ? streamed : null;
  return {
    run: own?.run ?? run,
    lostError: null,
    draft: run ? { runId: run.id, text: own?.text ?? draftText ?? '' } : null,
    mode: 'stream',
  };
};

/** The run follower the UI uses. */
export const useRunFollower: TRunFollower = useStreamedRun;
