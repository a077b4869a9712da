import useSWR from 'swr';
import { fetcher, isApiError, isTerminal, runUrl, type TApiError, type TRun } from './api';

// Following a run until it ends. The contract, shared by every implementation:
//   - given the run as last known (or null), return the freshest run known;
//   - call onSettled exactly when a terminal run is seen, so the caller can fetch the messages;
//   - `lostError` is set when the run can no longer be followed (e.g. its thread was deleted: 404).
// Today it is SWR polling of GET …/run/[rid] every second (which also lets the server dispatch tool calls).
// An event stream can replace `useRunFollower` with the same signature without touching the callers.

export const RUN_POLL_INTERVAL_MS = 1000;

export type TRunFollowerOptions = { run: TRun | null; onSettled: (run: TRun) => void };
export type TRunFollowerResult = { run: TRun | null; lostError: TApiError | null };
export type TRunFollower = (options: TRunFollowerOptions) => TRunFollowerResult;

export const usePolledRun: TRunFollower = ({ run, onSettled }) => {
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
  const isLost = key !== null && error !== undefined && isApiError(error) && error.status >= 400 && error.status < 500;
  const fresh = data && run && data.id === run.id ? data : run;
  return { run: fresh, lostError: isLost ? error : null };
};

/** The run follower the UI uses. */
export const useRunFollower: TRunFollower = usePolledRun;
